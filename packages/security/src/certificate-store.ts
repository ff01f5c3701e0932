// The charge point's certificate store (whitepaper M03-M05, A02/A03, 7.1 AdditionalRootCertificateCheck,
// 7.4 CertificateStoreMaxLength), persisted in a directory. File names are the SHA-256 fingerprint
// of the certificate and directory names come from a fixed list, so no field of a request or a
// certificate ever reaches a path. Every write is atomic (temp + fsync + rename + directory fsync).
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CertificateHashData,
  CertificateSignedStatus,
  CertificateUse,
  DeleteCertificateStatus,
  GetInstalledCertificateIdsResponse,
  HashAlgorithm,
  InstallCertificateStatus,
} from '@ocpp-kit/messages';
import { tempFilePrefix, unlinkDurable, writeFileAtomic } from './atomic-file.js';
import {
  type Certificate,
  isIssuedBy,
  parseCertificateDer,
  parsePemCertificates,
} from './certificate.js';
import {
  type ChainRejectionReason,
  keyStrengthProblem,
  validateCertificateSigned,
  validateRootCertificate,
} from './chain.js';
import { SecurityError } from './errors.js';
import {
  certificateHashData,
  certificateHashDataEquals,
  isCertificateHashData,
} from './hash-data.js';
import { readPrivateKey } from './keys.js';

/** The store's directories: the two CertificateUse values plus the charge point's own. */
const rootTypes = [
  'CentralSystemRootCertificate',
  'ManufacturerRootCertificate',
] as const satisfies readonly CertificateUse[];
const chargePointDir = 'ChargePointCertificate';
const stateFile = 'state.json';
const pendingKeyFile = 'pending-csr.key';
const fingerprintFile = /^[0-9a-f]{64}\.pem$/;

export interface CertificateStoreOptions {
  readonly directory: string;
  /** CertificateStoreMaxLength: how many root/CA certificates may be installed (M05.FR.03). */
  readonly maxLength?: number;
  /** AdditionalRootCertificateCheck (7.1, M05.FR.08-13). */
  readonly additionalRootCertificateCheck?: boolean;
  /** Algorithm for GetInstalledCertificateIds hash data; SHA256 when omitted. */
  readonly hashAlgorithm?: HashAlgorithm;
  /** How many charge point certificates to keep as fallback (A02.FR.10); 3 when omitted. */
  readonly keepChargePointCertificates?: number;
  readonly now?: () => Date;
}

/** A file found unreadable when the store was opened; it is left on disk untouched. */
export interface StoreProblem {
  readonly file: string;
  readonly message: string;
}

/** An installed root/CA certificate. */
export interface InstalledCertificate {
  readonly type: CertificateUse;
  readonly certificate: Certificate;
  /** The certificate that issued it when not self-signed (AdditionalRootCertificateCheck). */
  readonly issuer: Certificate | undefined;
  /** The previous CentralSystemRootCertificate kept until a connection succeeds (M05.FR.11). */
  readonly fallback: boolean;
}

/** Why an InstallCertificate / CertificateSigned was refused, beyond chain reasons. */
export type StoreRejectionReason =
  | ChainRejectionReason
  | 'StoreFull'
  | 'NotSignedByCurrentRoot'
  | 'NoPendingCsr'
  | 'WriteFailed';

export interface InstallResult {
  readonly status: InstallCertificateStatus;
  readonly reason?: StoreRejectionReason;
  readonly message?: string;
}

export interface CertificateSignedResult {
  readonly status: CertificateSignedStatus;
  readonly reason?: StoreRejectionReason;
  readonly message?: string;
  /** Set on rejection: the event A02.FR.07 requires. */
  readonly securityEvent?: 'InvalidChargePointCertificate';
}

/** The charge point certificate to present in TLS (security profile 3). */
export interface ChargePointCredentials {
  readonly certificate: Certificate;
  /** Leaf then sub-CA certificates, PEM. */
  readonly chainPem: string;
  readonly privateKeyPem: string;
}

interface ChargePointEntry {
  readonly chain: Certificate[];
  readonly chainPem: string;
  readonly privateKeyPem: string;
}

interface State {
  fallbackRoot: string | null;
}

export class CertificateStore {
  readonly problems: readonly StoreProblem[];
  readonly #dir: string;
  readonly #options: CertificateStoreOptions;
  readonly #roots: Map<string, InstalledCertificate>;
  readonly #chargePoint: Map<string, ChargePointEntry>;
  #pendingKey: string | undefined;
  #rootInUse: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    options: CertificateStoreOptions,
    roots: Map<string, InstalledCertificate>,
    chargePoint: Map<string, ChargePointEntry>,
    pendingKey: string | undefined,
    problems: StoreProblem[],
  ) {
    this.#dir = options.directory;
    this.#options = options;
    this.#roots = roots;
    this.#chargePoint = chargePoint;
    this.#pendingKey = pendingKey;
    this.problems = problems;
  }

  /**
   * Opens (creating if needed) the store in `options.directory`. Unreadable files are reported in
   * `problems` and left in place; leftover temp files of interrupted writes are removed.
   */
  static async open(options: CertificateStoreOptions): Promise<CertificateStore> {
    const problems: StoreProblem[] = [];
    const dir = options.directory;
    try {
      for (const sub of [...rootTypes, chargePointDir])
        await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new SecurityError('STORE_IO', `Cannot create the certificate store in ${dir}`, {
        cause,
      });
    }
    let fallbackRoot: string | null = null;
    try {
      const state = JSON.parse(await readFile(join(dir, stateFile), 'utf8')) as Partial<State>;
      if (typeof state.fallbackRoot === 'string' && /^[0-9a-f]{64}$/.test(state.fallbackRoot)) {
        fallbackRoot = state.fallbackRoot;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        problems.push({
          file: join(dir, stateFile),
          message: `unreadable state: ${(error as Error).message}`,
        });
      }
    }
    const roots = new Map<string, InstalledCertificate>();
    for (const type of rootTypes) {
      for (const [fingerprint, chain] of await readChains(join(dir, type), problems)) {
        const [certificate, issuer] = chain as [Certificate, Certificate | undefined];
        roots.set(fingerprint, {
          type,
          certificate,
          issuer,
          fallback: fingerprint === fallbackRoot,
        });
      }
    }
    const chargePoint = new Map<string, ChargePointEntry>();
    for (const [fingerprint, chain] of await readChains(join(dir, chargePointDir), problems)) {
      const keyPath = join(dir, chargePointDir, `${fingerprint}.key`);
      try {
        const privateKeyPem = await readFile(keyPath, 'utf8');
        readPrivateKey(privateKeyPem);
        chargePoint.set(fingerprint, {
          chain,
          chainPem: chain.map((c) => c.pem).join(''),
          privateKeyPem,
        });
      } catch (error) {
        problems.push({
          file: keyPath,
          message: `missing or unreadable private key: ${(error as Error).message}`,
        });
      }
    }
    let pendingKey: string | undefined;
    try {
      pendingKey = await readFile(join(dir, pendingKeyFile), 'utf8');
      readPrivateKey(pendingKey);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        problems.push({ file: join(dir, pendingKeyFile), message: (error as Error).message });
      }
      pendingKey = undefined;
    }
    return new CertificateStore(options, roots, chargePoint, pendingKey, problems);
  }

  /** Installed certificates of one type (current and fallback). */
  installed(type: CertificateUse): InstalledCertificate[] {
    return [...this.#roots.values()].filter((entry) => entry.type === type);
  }

  /** PEMs to trust for `type`: for TLS `ca` (current and fallback, M05.FR.13) and firmware checks. */
  trustedRoots(type: CertificateUse): string[] {
    return this.installed(type).map((entry) => entry.certificate.pem);
  }

  /**
   * The installed root of `type` that anchors `chain` (e.g. the central system's TLS chain,
   * leaf first, as PEM or DER certificates): pass its fingerprint to `setRootInUse` and
   * `connectionSucceeded`. `undefined` when no installed root issued any of them.
   */
  trustAnchorFor(
    type: CertificateUse,
    chain: string | readonly Uint8Array[],
  ): InstalledCertificate | undefined {
    let certificates: Certificate[];
    try {
      certificates =
        typeof chain === 'string'
          ? parsePemCertificates(chain, 'chain')
          : chain.map((der, i) => parseCertificateDer(Buffer.from(der), `chain[${i}]`));
    } catch {
      return undefined;
    }
    for (const cert of certificates) {
      const same = this.#roots.get(cert.fingerprint);
      const anchor = same?.type === type ? same : this.#issuerAmongRoots(cert, type);
      if (anchor !== undefined) return anchor;
    }
    return undefined;
  }

  /** InstallCertificate.req (M05). */
  install(type: CertificateUse, pem: string): Promise<InstallResult> {
    return this.#serialize(() => this.#install(type, pem));
  }

  /** GetInstalledCertificateIds.req (M03.FR.01-04). */
  installedCertificateIds(type: CertificateUse): GetInstalledCertificateIdsResponse {
    const algorithm = this.#options.hashAlgorithm ?? 'SHA256';
    const entries = this.installed(type);
    if (entries.length === 0) return { status: 'NotFound' };
    return {
      status: 'Accepted',
      certificateHashData: entries.map((e) => this.#hashOf(e, algorithm)),
    };
  }

  /** DeleteCertificate.req (M04.FR.01-07). Never deletes the charge point's own certificate. */
  delete(hashData: CertificateHashData): Promise<DeleteCertificateStatus> {
    return this.#serialize(() => this.#delete(hashData));
  }

  /**
   * Tells the store which root validated the current connection to the central system (by
   * fingerprint), so it is not deleted (M04.FR.06); `undefined` when disconnected.
   */
  setRootInUse(fingerprint: string | undefined): void {
    this.#rootInUse = fingerprint;
  }

  /**
   * Reports a successful connection validated by root `fingerprint` (see `trustAnchorFor`). When
   * that is the new CentralSystemRootCertificate, the fallback root is removed (M05.FR.12); any
   * other fingerprint (the fallback itself, a ManufacturerRootCertificate, an unknown one) keeps it.
   */
  connectionSucceeded(fingerprint: string): Promise<void> {
    this.#rootInUse = fingerprint;
    return this.#serialize(async () => {
      const entry = this.#roots.get(fingerprint);
      const fallback = this.#fallback();
      if (
        entry === undefined ||
        entry.type !== 'CentralSystemRootCertificate' ||
        entry.fallback ||
        fallback === undefined
      ) {
        return;
      }
      await this.#removeRoot(fallback);
      await this.#writeState();
    });
  }

  /** Keeps the private key of the CSR just sent (A02.FR.02), until CertificateSigned arrives. */
  async setPendingKey(privateKeyPem: string): Promise<void> {
    readPrivateKey(privateKeyPem);
    return this.#serialize(async () => {
      await this.#io(() => writeFileAtomic(join(this.#dir, pendingKeyFile), privateKeyPem));
      this.#pendingKey = privateKeyPem;
    });
  }

  /**
   * CertificateSigned.req (A02.FR.06-10): validates the chain against the installed
   * CentralSystemRootCertificates and the pending CSR key, then stores it with that key.
   */
  acceptCertificateSigned(
    certificateChain: string,
    expect: {
      readonly cpoName?: string;
      readonly serialNumber?: string;
      readonly maxChainSize?: number;
    } = {},
  ): Promise<CertificateSignedResult> {
    return this.#serialize(async () => {
      const key = this.#pendingKey;
      if (key === undefined) {
        return rejectSigned(
          'NoPendingCsr',
          'No CSR is pending: a certificate is only accepted for a key this charge point generated',
        );
      }
      const result = validateCertificateSigned({
        certificateChain,
        centralSystemRoots: this.trustedRoots('CentralSystemRootCertificate'),
        csrPublicKey: readPrivateKey(key),
        now: this.#now(),
        ...expect,
      });
      if (!result.valid) return rejectSigned(result.reason, result.message);
      const chain = result.path.filter((c) => !this.#roots.has(c.fingerprint));
      const chainPem = chain.map((c) => c.pem).join('');
      const fingerprint = result.certificate.fingerprint;
      try {
        const base = join(this.#dir, chargePointDir, fingerprint);
        await writeFileAtomic(`${base}.key`, key);
        await writeFileAtomic(`${base}.pem`, chainPem, 0o644);
        await unlinkDurable(join(this.#dir, pendingKeyFile)).catch(() => undefined);
      } catch (cause) {
        return rejectSigned(
          'WriteFailed',
          `Storing the certificate failed: ${(cause as Error).message}`,
        );
      }
      this.#chargePoint.set(fingerprint, { chain, chainPem, privateKeyPem: key });
      this.#pendingKey = undefined;
      await this.#pruneChargePoint();
      return { status: 'Accepted' };
    });
  }

  /**
   * The certificate to use now: among valid ones the newest by notBefore (A02.FR.08-09);
   * `undefined` when none is valid yet.
   */
  chargePointCredentials(): ChargePointCredentials | undefined {
    const now = this.#now().getTime();
    let best: ChargePointEntry | undefined;
    for (const entry of this.#chargePoint.values()) {
      const leaf = entry.chain[0] as Certificate;
      if (leaf.notBefore.getTime() > now || leaf.notAfter.getTime() < now) continue;
      if (best === undefined || leaf.notBefore > (best.chain[0] as Certificate).notBefore)
        best = entry;
    }
    if (best === undefined) return undefined;
    return {
      certificate: best.chain[0] as Certificate,
      chainPem: best.chainPem,
      privateKeyPem: best.privateKeyPem,
    };
  }

  async #install(type: CertificateUse, pem: string): Promise<InstallResult> {
    if (!rootTypes.includes(type as (typeof rootTypes)[number])) {
      return {
        status: 'Rejected',
        reason: 'Malformed',
        message: `certificateType must be one of ${rootTypes.join(', ')}`,
      };
    }
    const now = this.#now();
    const arcc =
      this.#options.additionalRootCertificateCheck === true &&
      type === 'CentralSystemRootCertificate';
    const current = arcc ? this.installed(type).find((e) => !e.fallback) : undefined;
    let certificate: Certificate;
    let issuer: Certificate | undefined;
    if (current !== undefined) {
      // M05.FR.09-10: the replacement must be signed by the root it replaces.
      let parsed: Certificate[];
      try {
        parsed = parsePemCertificates(pem, 'certificate');
      } catch (cause) {
        return { status: 'Rejected', reason: 'Malformed', message: (cause as Error).message };
      }
      const candidate = parsed[0] as Certificate;
      if (parsed.length !== 1)
        return {
          status: 'Rejected',
          reason: 'Malformed',
          message: 'certificate must hold one certificate',
        };
      if (candidate.fingerprint === current.certificate.fingerprint) return { status: 'Accepted' };
      if (!isIssuedBy(candidate, current.certificate)) {
        return {
          status: 'Rejected',
          reason: 'NotSignedByCurrentRoot',
          message:
            'AdditionalRootCertificateCheck: the new CentralSystemRootCertificate is not signed by the installed one (M05.FR.10)',
        };
      }
      const checked = validateIssuedRoot(candidate, now);
      if (checked !== undefined) return checked;
      certificate = candidate;
      issuer = current.certificate;
    } else {
      const result = validateRootCertificate(pem, now);
      if (!result.valid)
        return { status: 'Rejected', reason: result.reason, message: result.message };
      certificate = result.certificate;
    }
    if (this.#roots.has(certificate.fingerprint)) return { status: 'Accepted' };
    const previousFallback = arcc ? this.#fallback() : undefined;
    const count = this.#roots.size + 1 - (previousFallback === undefined ? 0 : 1);
    const max = this.#options.maxLength ?? Number.POSITIVE_INFINITY;
    if (count > max) {
      return {
        status: 'Rejected',
        reason: 'StoreFull',
        message: `CertificateStoreMaxLength is ${max}; ${this.#roots.size} certificates are installed (M05.FR.03)`,
      };
    }
    try {
      const text = issuer === undefined ? certificate.pem : certificate.pem + issuer.pem;
      await writeFileAtomic(join(this.#dir, type, `${certificate.fingerprint}.pem`), text, 0o644);
    } catch (cause) {
      return {
        status: 'Failed',
        reason: 'WriteFailed',
        message: `Storing the certificate failed: ${(cause as Error).message}`,
      };
    }
    this.#roots.set(certificate.fingerprint, { type, certificate, issuer, fallback: false });
    if (current !== undefined) {
      // M05.FR.11: the replaced root stays as the (only) fallback until a connection succeeds.
      if (previousFallback !== undefined)
        await this.#removeRoot(previousFallback).catch(() => undefined);
      this.#roots.set(current.certificate.fingerprint, { ...current, fallback: true });
      await this.#writeState().catch(() => undefined);
    }
    return { status: 'Accepted' };
  }

  async #delete(hashData: CertificateHashData): Promise<DeleteCertificateStatus> {
    // A peer's object that skipped schema validation matches nothing.
    if (!isCertificateHashData(hashData)) return 'NotFound';
    const algorithm = hashData.hashAlgorithm;
    for (const entry of this.#chargePoint.values()) {
      const [leaf, issuer] = entry.chain as [Certificate, Certificate | undefined];
      const issuerCert = issuer ?? this.#issuerAmongRoots(leaf)?.certificate;
      if (
        issuerCert !== undefined &&
        certificateHashDataEquals(certificateHashData(leaf, issuerCert, algorithm), hashData)
      ) {
        return 'Failed'; // M04.FR.05
      }
    }
    for (const entry of this.#roots.values()) {
      if (!certificateHashDataEquals(this.#hashOf(entry, algorithm), hashData)) continue;
      if (entry.certificate.fingerprint === this.#rootInUse) return 'Failed'; // M04.FR.06
      try {
        await this.#removeRoot(entry);
        if (entry.fallback) await this.#writeState();
      } catch {
        return 'Failed'; // M04.FR.03
      }
      return 'Accepted';
    }
    return 'NotFound';
  }

  #hashOf(entry: InstalledCertificate, algorithm: HashAlgorithm): CertificateHashData {
    return certificateHashData(entry.certificate, entry.issuer ?? entry.certificate, algorithm);
  }

  /** The first installed root (of `type`, when given) that issued `cert`. */
  #issuerAmongRoots(cert: Certificate, type?: CertificateUse): InstalledCertificate | undefined {
    for (const entry of this.#roots.values())
      if ((type === undefined || entry.type === type) && isIssuedBy(cert, entry.certificate))
        return entry;
    return undefined;
  }

  #fallback(): InstalledCertificate | undefined {
    return [...this.#roots.values()].find((e) => e.fallback);
  }

  async #removeRoot(entry: InstalledCertificate): Promise<void> {
    await unlinkDurable(join(this.#dir, entry.type, `${entry.certificate.fingerprint}.pem`));
    this.#roots.delete(entry.certificate.fingerprint);
  }

  async #writeState(): Promise<void> {
    const state: State = { fallbackRoot: this.#fallback()?.certificate.fingerprint ?? null };
    await writeFileAtomic(join(this.#dir, stateFile), `${JSON.stringify(state)}\n`);
  }

  async #pruneChargePoint(): Promise<void> {
    const keep = this.#options.keepChargePointCertificates ?? 3;
    const inUse = this.chargePointCredentials()?.certificate.fingerprint;
    const byAge = [...this.#chargePoint.entries()].sort(
      ([, a], [, b]) =>
        (b.chain[0] as Certificate).notBefore.getTime() -
        (a.chain[0] as Certificate).notBefore.getTime(),
    );
    for (const [fingerprint] of byAge.slice(keep)) {
      if (fingerprint === inUse) continue;
      const base = join(this.#dir, chargePointDir, fingerprint);
      await unlinkDurable(`${base}.pem`).catch(() => undefined);
      await unlinkDurable(`${base}.key`).catch(() => undefined);
      this.#chargePoint.delete(fingerprint);
    }
  }

  async #io<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      throw new SecurityError(
        'STORE_IO',
        `Certificate store write failed in ${this.#dir}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #serialize<T>(action: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(action, action);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function rejectSigned(reason: StoreRejectionReason, message: string): CertificateSignedResult {
  return { status: 'Rejected', reason, message, securityEvent: 'InvalidChargePointCertificate' };
}

/** Checks a replacement root issued by the current one (AdditionalRootCertificateCheck). */
function validateIssuedRoot(candidate: Certificate, now: Date): InstallResult | undefined {
  if (candidate.notAfter < now)
    return { status: 'Rejected', reason: 'Expired', message: 'The new root has expired' };
  if (candidate.notBefore > now)
    return { status: 'Rejected', reason: 'NotYetValid', message: 'The new root is not valid yet' };
  if (
    candidate.basicConstraints?.ca !== true ||
    (candidate.keyUsage !== undefined && !candidate.keyUsage.has('keyCertSign'))
  ) {
    return {
      status: 'Rejected',
      reason: 'NotCertificateAuthority',
      message: 'The new root is not a CA certificate',
    };
  }
  const weak = keyStrengthProblem(candidate.x509.publicKey);
  return weak === undefined ? undefined : { status: 'Rejected', reason: 'WeakKey', message: weak };
}

/** Reads every `<fingerprint>.pem` of a directory; bad files become problems, never deletions. */
async function readChains(
  dir: string,
  problems: StoreProblem[],
): Promise<Map<string, Certificate[]>> {
  const out = new Map<string, Certificate[]>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new SecurityError('STORE_IO', `Cannot list ${dir}`, { cause });
  }
  for (const name of names) {
    const path = join(dir, name);
    if (name.startsWith(tempFilePrefix)) {
      await unlink(path).catch(() => undefined); // an interrupted, never-committed write
      continue;
    }
    if (!name.endsWith('.pem')) continue;
    try {
      if (!fingerprintFile.test(name))
        throw new Error('file name is not a certificate fingerprint');
      const chain = parsePemCertificates(await readFile(path, 'utf8'), name);
      const fingerprint = (chain[0] as Certificate).fingerprint;
      if (`${fingerprint}.pem` !== name)
        throw new Error('content does not match the file name (corrupted?)');
      out.set(fingerprint, chain);
    } catch (error) {
      problems.push({ file: path, message: (error as Error).message });
    }
  }
  return out;
}
