// Certificate path validation for CertificateSigned.req (A02.FR.06, A03.FR.06), InstallCertificate
// (M05) and firmware signing certificates (L01.FR.12): a path to an installed root of the right
// hierarchy, validity periods, basic constraints / key usage, key strength (A00.FR.501-503), and
// for a charge point certificate: the CSR's key and O/CN. Every refusal names a precise reason.
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type Certificate,
  isIssuedBy,
  isSelfIssued,
  isSelfSigned,
  keyPurposes,
  parsePemCertificate,
  parsePemCertificates,
} from './certificate.js';
import { SecurityError } from './errors.js';
import { nameConstraintsProblem, sameName } from './names.js';
import { chargePointSubjectProblem } from './subject.js';

/** Why a certificate or chain was refused. */
export const chainRejectionReasons = [
  /** CertificateSigned.req certificateChain longer than CertificateSignedMaxChainSize. */
  'ChainTooLong',
  /** Not PEM, not X.509, or text outside the PEM blocks. */
  'Malformed',
  /** InstallCertificate: the certificate is not a self-signed root. */
  'NotARoot',
  /** No certificate in the chain or the store is named as the issuer of a certificate. */
  'IssuerNotFound',
  /** The chain ends in a self-signed root that is not installed for this hierarchy. */
  'UntrustedRoot',
  /** An issuer with the right name exists but its key does not verify the signature. */
  'SignatureInvalid',
  'Expired',
  'NotYetValid',
  /** An issuing certificate lacks basicConstraints cA or the keyCertSign key usage. */
  'NotCertificateAuthority',
  'PathLengthExceeded',
  /** The end-entity certificate is itself a CA. */
  'LeafIsCertificateAuthority',
  /** The end-entity certificate's key usage does not allow its purpose. */
  'KeyUsage',
  /** A certificate's extendedKeyUsage does not include the purpose (TLS client, code signing). */
  'ExtendedKeyUsage',
  /** A certificate carries a critical extension that is not processed (RFC 5280 §4.2). */
  'UnknownCriticalExtension',
  /** A name is outside a CA's permitted subtrees or inside its excluded ones (RFC 5280 §4.2.1.10). */
  'NameConstraintsViolation',
  /** RSA < 2048 bits, EC < 224 bits or another key type (A00.FR.501-503). */
  'WeakKey',
  /** Signed with MD2, MD4, MD5 or SHA-1, or an algorithm we do not know (A00.FR.504). */
  'WeakSignatureAlgorithm',
  /** The certificate's key is not the key of the CSR the charge point sent. */
  'PublicKeyMismatch',
  /** O or CN missing, repeated, a URL/IP address (CN), or not CpoName / the serial number. */
  'SubjectMismatch',
  /** The firmware signing certificate is not issued directly by a manufacturer root. */
  'IntermediateNotAllowed',
] as const;
export type ChainRejectionReason = (typeof chainRejectionReasons)[number];

export type ChainValidation =
  | {
      readonly status: 'Accepted';
      /** End-entity (or root, for InstallCertificate) certificate. */
      readonly certificate: Certificate;
      /** Leaf first, installed root last. */
      readonly path: readonly Certificate[];
    }
  | ChainRejection;

/** A refused chain: the one refusal shape of the SDK (`status`, `reason`, `message`). */
export interface ChainRejection {
  readonly status: 'Rejected';
  readonly reason: ChainRejectionReason;
  readonly message: string;
}

/** Schema maximum of CertificateSigned.req certificateChain (whitepaper 7.3 caps the key too). */
export const certificateSignedMaxChainSize = 10_000;

export interface CertificateSignedCheck {
  /** The certificateChain field: leaf first, then sub-CA certificates. */
  readonly certificateChain: string;
  /** Installed CentralSystemRootCertificate PEMs (the CPO hierarchy, §2.6.2). */
  readonly centralSystemRoots: readonly string[];
  /** Key (PEM or KeyObject, public or private) of the CSR this certificate answers (A02.FR.06). */
  readonly csrPublicKey: string | KeyObject;
  /** CpoName configuration key: the leaf's O must equal it (A00.FR.509, A02.FR.13). */
  readonly cpoName: string;
  /** The charge point serial number: the leaf's CN must equal it (A00.FR.511). */
  readonly serialNumber: string;
  /** CertificateSignedMaxChainSize; the schema's 10000 when omitted. */
  readonly maxChainSize?: number;
  /** Current time in epoch milliseconds; `Date.now` when omitted. */
  readonly clock?: () => number;
}

/**
 * Validates a CertificateSigned.req chain. A leaf whose notBefore is still ahead is accepted: the
 * charge point switches to it once it becomes valid (A02.FR.08); an expired one is refused.
 */
export function validateCertificateSigned(check: CertificateSignedCheck): ChainValidation {
  // A missing or non-numeric configuration value must not switch the schema's cap off.
  const configured = check.maxChainSize ?? Number.NaN;
  const maxChainSize = Number.isFinite(configured)
    ? Math.min(configured, certificateSignedMaxChainSize)
    : certificateSignedMaxChainSize;
  if (typeof check.cpoName !== 'string' || typeof check.serialNumber !== 'string') {
    throw new SecurityError(
      'INVALID_SUBJECT',
      "validateCertificateSigned needs this charge point's cpoName and serialNumber (strings): without them any CPO's certificate would be accepted",
    );
  }
  if (typeof check.certificateChain !== 'string') {
    return reject('Malformed', 'certificateChain must be a string of PEM certificates');
  }
  if (check.certificateChain.length > maxChainSize) {
    return reject(
      'ChainTooLong',
      `certificateChain is ${check.certificateChain.length} characters; CertificateSignedMaxChainSize is ${maxChainSize}`,
    );
  }
  const parsed = parseAll(check.certificateChain, 'certificateChain', check.centralSystemRoots);
  if (!parsed.ok) return parsed.rejection;
  // The chain's order is not prescribed (5.1): the end-entity is the first non-CA certificate.
  const leaf =
    parsed.chain.find((c) => c.basicConstraints?.ca !== true) ?? (parsed.chain[0] as Certificate);
  const intermediates = parsed.chain.filter((c) => c !== leaf);
  const now = (check.clock ?? Date.now)();
  const path = buildPath(leaf, intermediates, parsed.roots);
  if (!path.ok) return path.rejection;
  const checked =
    checkValidity(path.path, now, true) ??
    checkPath(path.path, keyPurposes.clientAuth) ??
    checkEndEntity(leaf, 'digitalSignature');
  if (checked !== undefined) return checked;
  let expected: Buffer;
  try {
    const key = check.csrPublicKey;
    expected = spki(typeof key === 'string' || key.type === 'private' ? createPublicKey(key) : key);
  } catch (cause) {
    throw new SecurityError('UNSUPPORTED_KEY', 'csrPublicKey is not a readable public key', {
      cause,
    });
  }
  if (!spki(leaf.x509.publicKey).equals(expected)) {
    return reject(
      'PublicKeyMismatch',
      'The certificate does not certify the key of the CSR this charge point sent',
    );
  }
  const subject = checkChargePointSubject(leaf, check.cpoName, check.serialNumber);
  return subject ?? { status: 'Accepted', certificate: leaf, path: path.path };
}

/** A02.FR.06 "the properties in Certificate Properties" of the charge point certificate. */
function checkChargePointSubject(
  leaf: Certificate,
  cpoName: string | undefined,
  serialNumber: string | undefined,
): Rejection | undefined {
  const problem = chargePointSubjectProblem(leaf.organizationNames, leaf.commonNames, {
    cpoName,
    serialNumber,
  });
  return problem === undefined ? undefined : reject('SubjectMismatch', `Certificate ${problem}`);
}

/** Validates an InstallCertificate.req certificate: exactly one valid, self-signed CA root. */
export function validateRootCertificate(
  pem: string,
  options: { readonly clock?: () => number } = {},
): ChainValidation {
  const now = (options.clock ?? Date.now)();
  let root: Certificate;
  try {
    root = parsePemCertificate(pem, 'certificate');
  } catch (cause) {
    return reject('Malformed', (cause as Error).message);
  }
  if (!isSelfSigned(root)) {
    return reject(
      'NotARoot',
      'InstallCertificate accepts root certificates only (M05); this certificate is not self-signed',
    );
  }
  return (
    rootCertificateProblem(root, now) ?? { status: 'Accepted', certificate: root, path: [root] }
  );
}

/**
 * The checks every installed root passes, self-signed or (AdditionalRootCertificateCheck) issued
 * by the root it replaces: valid now, a CA, key and digest strength, no unknown critical extension.
 */
export function rootCertificateProblem(root: Certificate, now: number): ChainRejection | undefined {
  return (
    checkValidity([root], now, false) ??
    checkIssuers([root, root]) ??
    checkKeys([root]) ??
    checkExtensions([root])
  );
}

export interface FirmwareSigningCheck {
  /** Firmware.signingCertificate (PEM). */
  readonly signingCertificate: string;
  /** Installed ManufacturerRootCertificate PEMs. */
  readonly manufacturerRoots: readonly string[];
  /** Current time in epoch milliseconds; `Date.now` when omitted. */
  readonly clock?: () => number;
}

/**
 * Validates a firmware signing certificate against the manufacturer roots (L01.FR.12, L01.FR.23):
 * issued directly by a root, since the manufacturer SHALL NOT use intermediates (L01 remarks).
 */
export function validateFirmwareSigningCertificate(check: FirmwareSigningCheck): ChainValidation {
  const parsed = parseAll(check.signingCertificate, 'signingCertificate', check.manufacturerRoots);
  if (!parsed.ok) return parsed.rejection;
  const [leaf, ...extra] = parsed.chain as [Certificate, ...Certificate[]];
  if (extra.length > 0) {
    return reject(
      'IntermediateNotAllowed',
      'signingCertificate must hold one certificate, without intermediates',
    );
  }
  const path = buildPath(leaf, [], parsed.roots);
  if (!path.ok) return path.rejection;
  const checked =
    checkValidity(path.path, (check.clock ?? Date.now)(), false) ??
    checkPath(path.path, keyPurposes.codeSigning) ??
    checkEndEntity(leaf, 'digitalSignature');
  return checked ?? { status: 'Accepted', certificate: leaf, path: path.path };
}

type Rejection = ChainRejection;

function reject(reason: ChainRejectionReason, message: string): Rejection {
  return { status: 'Rejected', reason, message };
}

function parseAll(
  text: string,
  field: string,
  rootPems: readonly string[],
): { ok: true; chain: Certificate[]; roots: Certificate[] } | { ok: false; rejection: Rejection } {
  let chain: Certificate[];
  try {
    chain = parsePemCertificates(text, field);
  } catch (cause) {
    return { ok: false, rejection: reject('Malformed', (cause as Error).message) };
  }
  if (!Array.isArray(rootPems)) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `the installed roots must be an array of PEM strings; got ${rootPems === null ? 'null' : typeof rootPems}`,
    );
  }
  // Installed roots were validated when installed; a damaged one is a programming error.
  const roots = rootPems.map((pem, i) => parsePemCertificate(pem, `roots[${i}]`));
  return { ok: true, chain, roots };
}

/** Maximum path length we follow; far above any real CPO hierarchy. */
const maxDepth = 8;

function buildPath(
  leaf: Certificate,
  intermediates: readonly Certificate[],
  roots: readonly Certificate[],
): { ok: true; path: Certificate[] } | { ok: false; rejection: Rejection } {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < maxDepth; depth++) {
    const root = roots.find((r) => isIssuedBy(current, r));
    if (root !== undefined) {
      if (root.fingerprint !== current.fingerprint) path.push(root);
      return { ok: true, path };
    }
    const next = intermediates.find(
      (c) => !path.includes(c) && c.fingerprint !== current.fingerprint && isIssuedBy(current, c),
    );
    if (next === undefined) break;
    path.push(next);
    current = next;
  }
  const issuerName = current.x509.issuer.replace(/\n/g, ', ');
  const named = [...roots, ...intermediates].find((c) =>
    sameName(c.subjectName, current.issuerName),
  );
  if (named !== undefined && !isSelfSigned(current)) {
    return {
      ok: false,
      rejection: reject(
        'SignatureInvalid',
        `The signature of "${subjectOf(current)}" does not verify with the key of "${issuerName}"`,
      ),
    };
  }
  if (isSelfSigned(current)) {
    return {
      ok: false,
      rejection: reject(
        'UntrustedRoot',
        `The chain ends in root "${subjectOf(current)}", which is not an installed root of this hierarchy`,
      ),
    };
  }
  return {
    ok: false,
    rejection: reject(
      'IssuerNotFound',
      `The issuer "${issuerName}" of "${subjectOf(current)}" is neither in the chain nor an installed root (missing sub-CA certificate?)`,
    ),
  };
}

function checkValidity(
  path: readonly Certificate[],
  now: number,
  leafMayBeFuture: boolean,
): Rejection | undefined {
  for (const [i, cert] of path.entries()) {
    if (cert.notAfter.getTime() < now) {
      return reject('Expired', `"${subjectOf(cert)}" expired at ${cert.notAfter.toISOString()}`);
    }
    if (cert.notBefore.getTime() > now && !(leafMayBeFuture && i === 0)) {
      return reject(
        'NotYetValid',
        `"${subjectOf(cert)}" is not valid before ${cert.notBefore.toISOString()}`,
      );
    }
  }
  return undefined;
}

/** The RFC 5280 §6.1 checks of a built path (leaf first), for certificates used for `purpose`. */
function checkPath(path: readonly Certificate[], purpose: string): Rejection | undefined {
  return (
    checkIssuers(path) ??
    checkKeys(path) ??
    checkExtensions(path) ??
    checkPurpose(path, purpose) ??
    checkNameConstraints(path)
  );
}

/** RFC 5280 §4.2: a critical extension that is not processed refuses the certificate. */
function checkExtensions(path: readonly Certificate[]): Rejection | undefined {
  for (const cert of path) {
    const [unknown] = cert.unknownCriticalExtensions;
    if (unknown !== undefined) {
      return reject(
        'UnknownCriticalExtension',
        `"${subjectOf(cert)}" has critical extension ${unknown}, which is not processed (RFC 5280 §4.2)`,
      );
    }
  }
  return undefined;
}

/** extendedKeyUsage, where present below the root, must allow the purpose (or anyExtendedKeyUsage). */
function checkPurpose(path: readonly Certificate[], purpose: string): Rejection | undefined {
  for (const cert of path.slice(0, -1)) {
    const eku = cert.extendedKeyUsage;
    if (eku !== undefined && !eku.has(purpose) && !eku.has(keyPurposes.any)) {
      const name = purpose === keyPurposes.clientAuth ? 'clientAuth' : 'codeSigning';
      return reject(
        'ExtendedKeyUsage',
        `"${subjectOf(cert)}" extendedKeyUsage lacks ${name}: it is not for this use (RFC 5280 §4.2.1.12)`,
      );
    }
  }
  return undefined;
}

/** RFC 5280 §4.2.1.10: a CA's constraints bind every certificate below it (self-issued CAs aside). */
function checkNameConstraints(path: readonly Certificate[]): Rejection | undefined {
  for (let i = path.length - 1; i >= 1; i--) {
    const constraints = (path[i] as Certificate).nameConstraints;
    if (constraints === undefined) continue;
    for (let j = i - 1; j >= 0; j--) {
      const cert = path[j] as Certificate;
      if (j > 0 && isSelfIssued(cert)) continue;
      const problem = nameConstraintsProblem(constraints, {
        subject: cert.subjectName,
        altNames: cert.altNames,
      });
      if (problem !== undefined) {
        return reject(
          'NameConstraintsViolation',
          `"${subjectOf(cert)}": ${problem} of "${subjectOf(path[i] as Certificate)}"`,
        );
      }
    }
  }
  return undefined;
}

/** Every certificate that issued another must be a CA allowed to sign certificates. */
function checkIssuers(path: readonly Certificate[]): Rejection | undefined {
  for (let i = 1; i < path.length; i++) {
    const cert = path[i] as Certificate;
    if (cert.basicConstraints?.ca !== true) {
      return reject(
        'NotCertificateAuthority',
        `"${subjectOf(cert)}" issues certificates but lacks basicConstraints cA=TRUE`,
      );
    }
    // RFC 5280 §4.2.1.9 / §4.2.1.3: a CA marks basicConstraints critical and carries keyUsage.
    if (!cert.basicConstraints.critical) {
      return reject(
        'NotCertificateAuthority',
        `"${subjectOf(cert)}" issues certificates but its basicConstraints is not critical (RFC 5280 §4.2.1.9)`,
      );
    }
    if (cert.keyUsage === undefined) {
      return reject(
        'NotCertificateAuthority',
        `"${subjectOf(cert)}" issues certificates but has no keyUsage (RFC 5280 §4.2.1.3)`,
      );
    }
    if (!cert.keyUsage.has('keyCertSign')) {
      return reject(
        'NotCertificateAuthority',
        `"${subjectOf(cert)}" issues certificates but its key usage lacks keyCertSign`,
      );
    }
    // RFC 5280 §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below.
    const below = Math.max(0, i - 1);
    const limit = cert.basicConstraints.pathLength;
    if (limit !== undefined && below > limit) {
      return reject(
        'PathLengthExceeded',
        `"${subjectOf(cert)}" allows ${limit} intermediate(s) below it; the chain has ${below}`,
      );
    }
  }
  return undefined;
}

/** Key strength (A00.FR.501-503) and signature digest (A00.FR.504) of every certificate. */
function checkKeys(path: readonly Certificate[]): Rejection | undefined {
  for (const cert of path) {
    const problem = keyStrengthProblem(cert.x509.publicKey);
    if (problem !== undefined) return reject('WeakKey', `"${subjectOf(cert)}": ${problem}`);
    const digest = signatureAlgorithmProblem(cert);
    if (digest !== undefined) {
      return reject('WeakSignatureAlgorithm', `"${subjectOf(cert)}": ${digest}`);
    }
  }
  return undefined;
}

const weakDigests: ReadonlySet<string> = new Set(['md2', 'md4', 'md5', 'sha1', 'unknown']);

/** Undefined when the certificate's signature uses a digest A00.FR.504 allows, else the reason. */
export function signatureAlgorithmProblem(cert: Certificate): string | undefined {
  if (!weakDigests.has(cert.signatureDigest)) return undefined;
  return cert.signatureDigest === 'unknown'
    ? 'signed with an unknown signature algorithm; use ECDSA or RSA with SHA-256 or stronger (A00.FR.504)'
    : `signed with ${cert.signatureDigest.toUpperCase()}, which is broken; re-issue it with SHA-256 or stronger (A00.FR.504)`;
}

function checkEndEntity(leaf: Certificate, usage: 'digitalSignature'): Rejection | undefined {
  if (leaf.basicConstraints?.ca === true) {
    return reject(
      'LeafIsCertificateAuthority',
      `"${subjectOf(leaf)}" is a CA certificate, not an end-entity certificate`,
    );
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.has(usage)) {
    return reject('KeyUsage', `"${subjectOf(leaf)}" key usage lacks ${usage} (A00.FR.512)`);
  }
  return undefined;
}

/** Undefined when the key meets A00.FR.501-503, else the reason. */
export function keyStrengthProblem(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    return bits >= 2048
      ? undefined
      : `RSA key of ${bits} bits; at least 2048 are required (A00.FR.502)`;
  }
  if (key.asymmetricKeyType === 'ec') {
    const bits = Number(/(\d{3})/.exec(details.namedCurve ?? '')?.[1] ?? 0);
    return bits >= 224
      ? undefined
      : `EC curve ${details.namedCurve}; at least 224 bits are required (A00.FR.503)`;
  }
  return `key type ${key.asymmetricKeyType} is neither RSA nor ECDSA (A00.FR.501-505)`;
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function subjectOf(cert: Certificate): string {
  return cert.x509.subject.replace(/\n/g, ', ');
}
