// The charge point's certificate store (whitepaper M03-M05, A02/A03, 7.1 AdditionalRootCertificateCheck,
// 7.4 CertificateStoreMaxLength). The whole store is one JSON document written through a
// `CertificateStoreStorage` (by default one file, replaced atomically), and every mutation is one
// write of the next document: a crash leaves the state before or after it, never a mix.
import { mkdir } from 'node:fs/promises';
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
import {
  type Certificate,
  isIssuedBy,
  parseCertificateDer,
  parsePemCertificate,
  parsePemCertificates,
} from './certificate.js';
import { type CertificateStoreStorage, certificateStoreFile } from './certificate-store-storage.js';
import {
  chainRejectionReasons,
  rootCertificateProblem,
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

/** The root types InstallCertificate may name (CertificateUse). */
const rootTypes = [
  'CentralSystemRootCertificate',
  'ManufacturerRootCertificate',
] as const satisfies readonly CertificateUse[];
type RootType = (typeof rootTypes)[number];

/** File of the default storage inside `directory`. */
export const certificateStoreFileName = 'certificate-store.json';

/** Where the store keeps its document: a directory (default file storage) or your own storage. */
export type CertificateStoreLocation =
  | { readonly directory: string; readonly storage?: never }
  | { readonly storage: CertificateStoreStorage; readonly directory?: never };

export type CertificateStoreOptions = CertificateStoreLocation & {
  /** CertificateStoreMaxLength: how many root/CA certificates may be installed (M05.FR.03). */
  readonly maxLength?: number;
  /** AdditionalRootCertificateCheck (7.1, M05.FR.08-13). */
  readonly additionalRootCertificateCheck?: boolean;
  /** Algorithm for GetInstalledCertificateIds hash data; SHA256 when omitted. */
  readonly hashAlgorithm?: HashAlgorithm;
  /** How many charge point certificates to keep as fallback (A02.FR.10); 3 when omitted. */
  readonly keepChargePointCertificates?: number;
  /** Current time in epoch milliseconds; `Date.now` when omitted. */
  readonly clock?: () => number;
};

/** Something found unreadable when the store was opened; it is kept in the document, never dropped. */
export interface StoreProblem {
  /** Which part: `document`, `roots[i]`, `chargePoint[i]` or `pendingKey`. */
  readonly entry: string;
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

/** Why an InstallCertificate / CertificateSigned was refused: chain reasons, then the store's own. */
export const storeRejectionReasons = [
  ...chainRejectionReasons,
  /** CertificateStoreMaxLength certificates are installed already (M05.FR.03). */
  'StoreFull',
  /** AdditionalRootCertificateCheck: the new root is not signed by the installed one (M05.FR.10). */
  'NotSignedByCurrentRoot',
  /** A certificate with the same issuer and serial number is installed (M03, M04). */
  'DuplicateCertificate',
  /** CertificateSigned without a pending CSR key (A02.FR.06). */
  'NoPendingCsr',
  /** The storage write failed; nothing changed. */
  'WriteFailed',
] as const;
export type StoreRejectionReason = (typeof storeRejectionReasons)[number];

/** InstallCertificate.req outcome; `status` is the InstallCertificate.conf status. */
export type CertificateInstallResult =
  | { readonly status: Extract<InstallCertificateStatus, 'Accepted'> }
  | {
      /** Failed: the storage write failed (`WriteFailed`); Rejected: the certificate was refused. */
      readonly status: Exclude<InstallCertificateStatus, 'Accepted'>;
      readonly reason: StoreRejectionReason;
      readonly message: string;
    };

/** CertificateSigned.req outcome; `status` is the CertificateSigned.conf status. */
export type CertificateSignedResult =
  | { readonly status: Extract<CertificateSignedStatus, 'Accepted'> }
  | {
      readonly status: Exclude<CertificateSignedStatus, 'Accepted'>;
      readonly reason: StoreRejectionReason;
      readonly message: string;
      /** The event A02.FR.07 requires. */
      readonly securityEvent: 'InvalidChargePointCertificate';
    };

/** Who this charge point is: what a CertificateSigned leaf must name (A02.FR.06, A00.FR.509/511). */
export interface ChargePointIdentity {
  /** The CpoName configuration key: the leaf's O. */
  readonly cpoName: string;
  /** The charge point's serial number: the leaf's CN. */
  readonly serialNumber: string;
  /** CertificateSignedMaxChainSize; the schema's 10000 when omitted. */
  readonly maxChainSize?: number;
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

/** Everything the store knows; replaced as a whole by each commit. */
interface Model {
  readonly roots: ReadonlyMap<string, InstalledCertificate>;
  readonly chargePoint: ReadonlyMap<string, ChargePointEntry>;
  readonly pendingKey: string | undefined;
}

/** The persisted document. `unreadable` and `damaged` carry what could not be read, verbatim. */
interface StoredDocument {
  readonly version: 1;
  readonly roots: readonly {
    readonly type: RootType;
    readonly certificate: string;
    readonly issuer: string | null;
    readonly fallback: boolean;
  }[];
  readonly chargePoint: readonly { readonly chain: string; readonly privateKey: string }[];
  readonly pendingKey: string | null;
  readonly unreadable: readonly unknown[];
  readonly damaged: readonly string[];
}

export class CertificateStore {
  readonly problems: readonly StoreProblem[];
  readonly #storage: CertificateStoreStorage;
  readonly #clock: () => number;
  readonly #options: CertificateStoreOptions;
  readonly #unreadable: readonly unknown[];
  readonly #damaged: readonly string[];
  #model: Model;
  #rootInUse: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    options: CertificateStoreOptions,
    storage: CertificateStoreStorage,
    loaded: Loaded,
  ) {
    this.#options = options;
    this.#storage = storage;
    this.#clock = options.clock ?? Date.now;
    this.#model = loaded.model;
    this.#unreadable = loaded.unreadable;
    this.#damaged = loaded.damaged;
    this.problems = loaded.problems;
  }

  /**
   * Opens (creating if needed) the store. Entries that cannot be read are reported in `problems`
   * and kept verbatim in the document; a document that is not the store's JSON is kept inside the
   * next one (`damaged`) and the store starts empty, trusting nothing.
   */
  static async open(options: CertificateStoreOptions): Promise<CertificateStore> {
    let storage = options.storage;
    const where = storage === undefined ? options.directory : 'the given storage';
    if (storage === undefined) {
      if (typeof options.directory !== 'string' || options.directory === '') {
        throw new SecurityError(
          'STORE_IO',
          'CertificateStore.open needs a `directory` (string) or a `storage`',
        );
      }
      try {
        await mkdir(options.directory, { recursive: true, mode: 0o700 });
      } catch (cause) {
        throw new SecurityError(
          'STORE_IO',
          `Cannot create the certificate store in ${options.directory}`,
          { cause },
        );
      }
      storage = certificateStoreFile(join(options.directory, certificateStoreFileName));
    }
    let text: string | undefined;
    try {
      text = await storage.read();
    } catch (cause) {
      throw new SecurityError('STORE_IO', `Cannot read the certificate store in ${where}`, {
        cause,
      });
    }
    return new CertificateStore(options, storage, load(text));
  }

  /** Installed certificates of one type (current and fallback). */
  installed(type: CertificateUse): InstalledCertificate[] {
    return [...this.#model.roots.values()].filter((entry) => entry.type === type);
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
      const same = this.#model.roots.get(cert.fingerprint);
      const anchor = same?.type === type ? same : this.#issuerAmongRoots(cert, type);
      if (anchor !== undefined) return anchor;
    }
    return undefined;
  }

  /** InstallCertificate.req (M05). */
  install(type: CertificateUse, pem: string): Promise<CertificateInstallResult> {
    return this.#serialize(() => this.#install(type, pem));
  }

  /** GetInstalledCertificateIds.req (M03.FR.01-04). */
  installedCertificateIds(type: CertificateUse): GetInstalledCertificateIdsResponse {
    const algorithm = this.#options.hashAlgorithm ?? 'SHA256';
    const entries = this.installed(type);
    if (entries.length === 0) return { status: 'NotFound' };
    return {
      status: 'Accepted',
      certificateHashData: entries.map((e) => hashOf(e, algorithm)),
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
      const entry = this.#model.roots.get(fingerprint);
      const fallback = this.#fallback();
      if (
        entry === undefined ||
        entry.type !== 'CentralSystemRootCertificate' ||
        entry.fallback ||
        fallback === undefined
      ) {
        return;
      }
      const roots = new Map(this.#model.roots);
      roots.delete(fallback.certificate.fingerprint);
      await this.#io(() => this.#commit({ ...this.#model, roots }));
    });
  }

  /** Keeps the private key of the CSR just sent (A02.FR.02), until CertificateSigned arrives. */
  async setPendingKey(privateKeyPem: string): Promise<void> {
    readPrivateKey(privateKeyPem);
    return this.#serialize(() =>
      this.#io(() => this.#commit({ ...this.#model, pendingKey: privateKeyPem })),
    );
  }

  /**
   * CertificateSigned.req (A02.FR.06-10): validates the chain against the installed
   * CentralSystemRootCertificates, the pending CSR key and this charge point's identity (its O
   * must be `cpoName`, its CN `serialNumber`), then stores it with that key.
   */
  acceptCertificateSigned(
    certificateChain: string,
    identity: ChargePointIdentity,
  ): Promise<CertificateSignedResult> {
    return this.#serialize(async () => {
      const key = this.#model.pendingKey;
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
        clock: this.#clock,
        cpoName: identity?.cpoName,
        serialNumber: identity?.serialNumber,
        ...(identity?.maxChainSize === undefined ? {} : { maxChainSize: identity.maxChainSize }),
      });
      if (result.status === 'Rejected') return rejectSigned(result.reason, result.message);
      const chain = result.path.filter((c) => !this.#model.roots.has(c.fingerprint));
      const chargePoint = new Map(this.#model.chargePoint);
      chargePoint.set(result.certificate.fingerprint, {
        chain,
        chainPem: chain.map((c) => c.pem).join(''),
        privateKeyPem: key,
      });
      this.#prune(chargePoint);
      try {
        await this.#commit({ ...this.#model, chargePoint, pendingKey: undefined });
      } catch (cause) {
        return rejectSigned(
          'WriteFailed',
          `Storing the certificate failed: ${(cause as Error).message}`,
        );
      }
      return { status: 'Accepted' };
    });
  }

  /**
   * The certificate to use now: among valid ones the newest by notBefore (A02.FR.08-09);
   * `undefined` when none is valid yet.
   */
  chargePointCredentials(): ChargePointCredentials | undefined {
    const best = newestValid(this.#model.chargePoint, this.#clock());
    if (best === undefined) return undefined;
    return {
      certificate: best.chain[0] as Certificate,
      chainPem: best.chainPem,
      privateKeyPem: best.privateKeyPem,
    };
  }

  async #install(type: CertificateUse, pem: string): Promise<CertificateInstallResult> {
    if (!rootTypes.includes(type as RootType)) {
      return {
        status: 'Rejected',
        reason: 'Malformed',
        message: `certificateType must be one of ${rootTypes.join(', ')}`,
      };
    }
    const now = this.#clock();
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
      const checked = rootCertificateProblem(candidate, now);
      if (checked !== undefined) {
        return { status: 'Rejected', reason: checked.reason, message: checked.message };
      }
      certificate = candidate;
      issuer = current.certificate;
    } else {
      const result = validateRootCertificate(pem, { clock: () => now });
      if (result.status === 'Rejected')
        return { status: 'Rejected', reason: result.reason, message: result.message };
      certificate = result.certificate;
    }
    if (this.#model.roots.has(certificate.fingerprint)) return { status: 'Accepted' };
    // A certificate is identified by its hash data (M03, M04): a second one with the same issuer
    // and serial number would be listed twice and survive a DeleteCertificate of the first.
    const identity = certificateHashData(certificate, issuer ?? certificate);
    for (const entry of this.#model.roots.values()) {
      if (certificateHashDataEquals(hashOf(entry, 'SHA256'), identity)) {
        return {
          status: 'Rejected',
          reason: 'DuplicateCertificate',
          message: `A certificate with the same issuer and serial number (${identity.serialNumber}) is installed; delete it first`,
        };
      }
    }
    const previousFallback = arcc ? this.#fallback() : undefined;
    const size = this.#model.roots.size;
    const count = size + 1 - (previousFallback === undefined ? 0 : 1);
    const max = this.#options.maxLength ?? Number.POSITIVE_INFINITY;
    if (count > max) {
      return {
        status: 'Rejected',
        reason: 'StoreFull',
        message: `CertificateStoreMaxLength is ${max}; ${size} certificates are installed (M05.FR.03)`,
      };
    }
    const roots = new Map(this.#model.roots);
    roots.set(certificate.fingerprint, { type, certificate, issuer, fallback: false });
    if (current !== undefined) {
      // M05.FR.11: the replaced root stays as the (only) fallback until a connection succeeds.
      if (previousFallback !== undefined) roots.delete(previousFallback.certificate.fingerprint);
      roots.set(current.certificate.fingerprint, { ...current, fallback: true });
    }
    try {
      await this.#commit({ ...this.#model, roots });
    } catch (cause) {
      return {
        status: 'Failed',
        reason: 'WriteFailed',
        message: `Storing the certificate failed: ${(cause as Error).message}`,
      };
    }
    return { status: 'Accepted' };
  }

  async #delete(hashData: CertificateHashData): Promise<DeleteCertificateStatus> {
    // A peer's object that skipped schema validation matches nothing.
    if (!isCertificateHashData(hashData)) return 'NotFound';
    const algorithm = hashData.hashAlgorithm;
    for (const entry of this.#model.chargePoint.values()) {
      const [leaf, issuer] = entry.chain as [Certificate, Certificate | undefined];
      const issuerCert = issuer ?? this.#issuerAmongRoots(leaf)?.certificate;
      if (
        issuerCert !== undefined &&
        certificateHashDataEquals(certificateHashData(leaf, issuerCert, algorithm), hashData)
      ) {
        return 'Failed'; // M04.FR.05
      }
    }
    const matches = [...this.#model.roots.values()].filter((entry) =>
      certificateHashDataEquals(hashOf(entry, algorithm), hashData),
    );
    if (matches.length === 0) return 'NotFound';
    if (matches.some((entry) => entry.certificate.fingerprint === this.#rootInUse)) {
      return 'Failed'; // M04.FR.06
    }
    const roots = new Map(this.#model.roots);
    for (const entry of matches) roots.delete(entry.certificate.fingerprint);
    try {
      await this.#commit({ ...this.#model, roots });
    } catch {
      return 'Failed'; // M04.FR.03
    }
    return 'Accepted';
  }

  /** The first installed root (of `type`, when given) that issued `cert`. */
  #issuerAmongRoots(cert: Certificate, type?: CertificateUse): InstalledCertificate | undefined {
    for (const entry of this.#model.roots.values())
      if ((type === undefined || entry.type === type) && isIssuedBy(cert, entry.certificate))
        return entry;
    return undefined;
  }

  #fallback(): InstalledCertificate | undefined {
    return [...this.#model.roots.values()].find((e) => e.fallback);
  }

  /** Keeps the newest `keepChargePointCertificates` (A02.FR.10) and the one in use. */
  #prune(chargePoint: Map<string, ChargePointEntry>): void {
    const keep = this.#options.keepChargePointCertificates ?? 3;
    const inUse = newestValid(chargePoint, this.#clock());
    const byAge = [...chargePoint.entries()].sort(
      ([, a], [, b]) =>
        (b.chain[0] as Certificate).notBefore.getTime() -
        (a.chain[0] as Certificate).notBefore.getTime(),
    );
    for (const [fingerprint, entry] of byAge.slice(keep)) {
      if (entry !== inUse) chargePoint.delete(fingerprint);
    }
  }

  /** Writes `next` as the whole document, then makes it the state: one atomic commit. */
  async #commit(next: Model): Promise<void> {
    await this.#storage.write(serialize(next, this.#unreadable, this.#damaged));
    this.#model = next;
  }

  async #io<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      throw new SecurityError(
        'STORE_IO',
        `Certificate store write failed: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  #serialize<T>(action: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(action, action);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function hashOf(entry: InstalledCertificate, algorithm: HashAlgorithm): CertificateHashData {
  return certificateHashData(entry.certificate, entry.issuer ?? entry.certificate, algorithm);
}

function newestValid(
  chargePoint: ReadonlyMap<string, ChargePointEntry>,
  now: number,
): ChargePointEntry | undefined {
  let best: ChargePointEntry | undefined;
  for (const entry of chargePoint.values()) {
    const leaf = entry.chain[0] as Certificate;
    if (leaf.notBefore.getTime() > now || leaf.notAfter.getTime() < now) continue;
    if (best === undefined || leaf.notBefore > (best.chain[0] as Certificate).notBefore)
      best = entry;
  }
  return best;
}

function serialize(
  model: Model,
  unreadable: readonly unknown[],
  damaged: readonly string[],
): string {
  const document: StoredDocument = {
    version: 1,
    roots: [...model.roots.values()].map((entry) => ({
      type: entry.type as RootType,
      certificate: entry.certificate.pem,
      issuer: entry.issuer?.pem ?? null,
      fallback: entry.fallback,
    })),
    chargePoint: [...model.chargePoint.values()].map((entry) => ({
      chain: entry.chainPem,
      privateKey: entry.privateKeyPem,
    })),
    pendingKey: model.pendingKey ?? null,
    unreadable,
    damaged,
  };
  return `${JSON.stringify(document)}\n`;
}

interface Loaded {
  readonly model: Model;
  readonly unreadable: unknown[];
  readonly damaged: string[];
  readonly problems: StoreProblem[];
}

/** Reads a stored document; nothing in it is trusted, nothing unreadable is dropped. */
function load(text: string | undefined): Loaded {
  const roots = new Map<string, InstalledCertificate>();
  const chargePoint = new Map<string, ChargePointEntry>();
  const loaded = {
    model: { roots, chargePoint, pendingKey: undefined as string | undefined },
    unreadable: [] as unknown[],
    damaged: [] as string[],
    problems: [] as StoreProblem[],
  };
  if (text === undefined) return loaded;
  let document: Partial<Record<keyof StoredDocument, unknown>>;
  try {
    document = JSON.parse(text);
    if (typeof document !== 'object' || document === null || document.version !== 1)
      throw new Error('not a version 1 certificate store document');
  } catch (error) {
    loaded.damaged.push(text);
    loaded.problems.push({
      entry: 'document',
      message: `unreadable, kept in "damaged" and starting empty: ${(error as Error).message}`,
    });
    return loaded;
  }
  const keep = (entry: string, raw: unknown, error: unknown) => {
    loaded.unreadable.push(raw);
    loaded.problems.push({ entry, message: (error as Error).message });
  };
  if (Array.isArray(document.damaged))
    loaded.damaged.push(...document.damaged.filter((d) => typeof d === 'string'));
  if (Array.isArray(document.unreadable)) loaded.unreadable.push(...document.unreadable);
  for (const [i, raw] of (Array.isArray(document.roots) ? document.roots : []).entries()) {
    try {
      const entry = raw as Record<string, unknown>;
      const type = entry.type as RootType;
      if (!rootTypes.includes(type)) throw new Error(`unknown certificate type ${String(type)}`);
      const certificate = parsePemCertificate(String(entry.certificate), `roots[${i}]`);
      const issuer =
        entry.issuer === null
          ? undefined
          : parsePemCertificate(String(entry.issuer), `roots[${i}]`);
      roots.set(certificate.fingerprint, {
        type,
        certificate,
        issuer,
        fallback: entry.fallback === true,
      });
    } catch (error) {
      keep(`roots[${i}]`, raw, error);
    }
  }
  for (const [i, raw] of (Array.isArray(document.chargePoint)
    ? document.chargePoint
    : []
  ).entries()) {
    try {
      const entry = raw as Record<string, unknown>;
      const chain = parsePemCertificates(String(entry.chain), `chargePoint[${i}]`);
      const privateKeyPem = String(entry.privateKey);
      readPrivateKey(privateKeyPem);
      chargePoint.set((chain[0] as Certificate).fingerprint, {
        chain,
        chainPem: chain.map((c) => c.pem).join(''),
        privateKeyPem,
      });
    } catch (error) {
      keep(`chargePoint[${i}]`, raw, error);
    }
  }
  if (typeof document.pendingKey === 'string') {
    try {
      readPrivateKey(document.pendingKey);
      loaded.model.pendingKey = document.pendingKey;
    } catch (error) {
      loaded.problems.push({ entry: 'pendingKey', message: (error as Error).message });
    }
  }
  return loaded;
}

function rejectSigned(reason: StoreRejectionReason, message: string): CertificateSignedResult {
  return { status: 'Rejected', reason, message, securityEvent: 'InvalidChargePointCertificate' };
}
