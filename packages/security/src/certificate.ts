// Certificates as the whitepaper needs them: Node's X509Certificate for signatures and keys, plus
// the few DER fields Node does not expose (exact issuer bytes, serial bytes, key-usage bits,
// basic constraints, subject O/CN). No X.509 library is loaded here.
import { createHash, X509Certificate } from 'node:crypto';
import {
  assertDer,
  children,
  content,
  decodeOid,
  decodeString,
  decodeTime,
  derTag,
  encoding,
  expectTlv,
  type Tlv,
} from './der.js';
import { SecurityError } from './errors.js';
import {
  type AltNames,
  type CanonicalName,
  canonicalName,
  type NameConstraints,
  parseAltNames,
  parseNameConstraints,
  sameName,
} from './names.js';

/** RFC 5280 §4.2.1.3 key-usage bits, in bit order. */
export const keyUsageNames = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof keyUsageNames)[number];

/** A parsed certificate. Byte fields are views into `der`. */
export interface Certificate {
  /** Node's view, for signatures, keys and text. */
  readonly x509: X509Certificate;
  readonly der: Buffer;
  readonly pem: string;
  /** SHA-256 of the DER, lower-case hex: the certificate's identity in the store. */
  readonly fingerprint: string;
  /** Content bytes of the serialNumber INTEGER (may start with a 0x00 sign byte). */
  readonly serialNumber: Uint8Array;
  /** The issuer Name, DER, exactly as encoded in this certificate. */
  readonly issuerDer: Uint8Array;
  /** The subject Name, DER, exactly as encoded in this certificate. */
  readonly subjectDer: Uint8Array;
  /** subjectPublicKey BIT STRING content without the unused-bits byte (RFC 6960 issuerKeyHash). */
  readonly publicKeyBits: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Key usage bits, `undefined` when the extension is absent. */
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  /** Basic constraints, `undefined` when the extension is absent. */
  readonly basicConstraints:
    | { readonly ca: boolean; readonly pathLength?: number; readonly critical: boolean }
    | undefined;
  /** Values of the subject's O (organizationName) attributes, in order. */
  readonly organizationNames: readonly string[];
  /** Values of the subject's CN (commonName) attributes, in order. */
  readonly commonNames: readonly string[];
  /** The digest of the issuer's signature, e.g. `sha256`; `md5`/`sha1` are refused (A00.FR.504). */
  readonly signatureDigest: SignatureDigest;
  /** Subject and issuer as RFC 5280 §7.1 compares them (case and spacing folded). */
  readonly subjectName: CanonicalName;
  readonly issuerName: CanonicalName;
  /** extendedKeyUsage purpose OIDs, `undefined` when the extension is absent. */
  readonly extendedKeyUsage: ReadonlySet<string> | undefined;
  /** subjectAltName, `undefined` when absent. */
  readonly altNames: AltNames | undefined;
  /** nameConstraints of a CA, `undefined` when absent. */
  readonly nameConstraints: NameConstraints | undefined;
  /** OIDs of critical extensions this package does not process; such a certificate is refused. */
  readonly unknownCriticalExtensions: readonly string[];
}

/** OIDs of the purposes `extendedKeyUsage` can name here. */
export const keyPurposes = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  any: '2.5.29.37.0',
} as const;

/** Digests a certificate signature can use; `unknown` for algorithms not listed in `signatureOids`. */
export type SignatureDigest =
  | 'md2'
  | 'md4'
  | 'md5'
  | 'sha1'
  | 'sha224'
  | 'sha256'
  | 'sha384'
  | 'sha512'
  | 'none'
  | 'unknown';

/** Signature algorithm OIDs and the digest each implies (RFC 3279, 4055, 5758, 8410). */
const signatureOids: Readonly<Record<string, SignatureDigest>> = {
  '1.2.840.113549.1.1.2': 'md2',
  '1.2.840.113549.1.1.3': 'md4',
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.3.14.3.2.29': 'sha1',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10040.4.3': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': 'none',
  '1.3.101.113': 'none',
};
const rsassaPss = '1.2.840.113549.1.1.10';
/** Digest OIDs inside RSASSA-PSS parameters (RFC 4055 §2.1). */
const digestOids: Readonly<Record<string, SignatureDigest>> = {
  '1.2.840.113549.2.2': 'md2',
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const oid = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
} as const;

/** Critical extensions a path may carry: the ones read here, plus policy ones openssl processes. */
const understood: ReadonlySet<string> = new Set([
  ...Object.values(oid),
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.32', // certificatePolicies
  '2.5.29.36', // policyConstraints
  '2.5.29.54', // inhibitAnyPolicy
]);

/**
 * Input bounds checked before any parsing, far above any OCPP field (CertificateSigned.req's
 * chain is at most 10 000 characters, InstallCertificate's certificate 5 500).
 */
export const certificateLimits = { pemCharacters: 100_000, derBytes: 16_384 } as const;

/** Parses one DER certificate; throws `MALFORMED_CERTIFICATE` naming `field`. */
export function parseCertificateDer(der: Buffer, field = 'certificate'): Certificate {
  if (!(der instanceof Uint8Array)) {
    throw new SecurityError('MALFORMED_CERTIFICATE', `${field} must be DER bytes (a Buffer)`);
  }
  if (der.length > certificateLimits.derBytes) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} is ${der.length} bytes; certificates over ${certificateLimits.derBytes} bytes are refused before parsing`,
    );
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (cause) {
    throw new SecurityError('MALFORMED_CERTIFICATE', `${field} is not a valid X.509 certificate`, {
      cause,
    });
  }
  try {
    return fromDer(der, x509);
  } catch (cause) {
    if (cause instanceof SecurityError) {
      throw new SecurityError('MALFORMED_CERTIFICATE', `${field}: ${cause.message}`, { cause });
    }
    throw cause;
  }
}

const pemBlock = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;

/**
 * Parses a PEM text holding one or more certificates (A00.FR.507). Anything but whitespace
 * outside the CERTIFICATE blocks is refused, so a damaged chain is reported, never half-read.
 */
export function parsePemCertificates(text: string, field = 'certificate'): Certificate[] {
  if (typeof text !== 'string') {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} must be PEM text (a string); got ${text === null ? 'null' : typeof text}`,
    );
  }
  if (text.length > certificateLimits.pemCharacters) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} is ${text.length} characters; PEM over ${certificateLimits.pemCharacters} is refused before parsing`,
    );
  }
  const out: Certificate[] = [];
  let last = 0;
  for (const match of text.matchAll(pemBlock)) {
    if (text.slice(last, match.index).trim() !== '') {
      throw new SecurityError(
        'MALFORMED_CERTIFICATE',
        `${field} contains text outside the PEM CERTIFICATE blocks (at character ${last})`,
      );
    }
    last = match.index + match[0].length;
    const body = (match[1] as string).replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    if (der.toString('base64') !== body) {
      throw new SecurityError('MALFORMED_CERTIFICATE', `${field} holds invalid base64`);
    }
    out.push(parseCertificateDer(der, `${field}[${out.length}]`));
  }
  if (text.slice(last).trim() !== '') {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} contains text outside the PEM CERTIFICATE blocks (at character ${last})`,
    );
  }
  if (out.length === 0) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} holds no "-----BEGIN CERTIFICATE-----" block`,
    );
  }
  return out;
}

/** Parses a PEM text that must hold exactly one certificate. */
export function parsePemCertificate(text: string, field = 'certificate'): Certificate {
  const all = parsePemCertificates(text, field);
  if (all.length !== 1) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `${field} must hold exactly one certificate; got ${all.length}`,
    );
  }
  return all[0] as Certificate;
}

/** PEM text of a DER certificate (64-character lines, RFC 7468). */
function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** True when the certificate is self-issued and verifies with its own key. */
export function isSelfSigned(cert: Certificate): boolean {
  return isSelfIssued(cert) && verifiesWith(cert, cert);
}

/** Subject and issuer are the same name (RFC 5280 §7.1 comparison). */
export function isSelfIssued(cert: Certificate): boolean {
  return sameName(cert.issuerName, cert.subjectName);
}

/** True when `issuer`'s subject names `cert`'s issuer (RFC 5280 §7.1) and its key verifies `cert`. */
export function isIssuedBy(cert: Certificate, issuer: Certificate): boolean {
  return sameName(cert.issuerName, issuer.subjectName) && verifiesWith(cert, issuer);
}

function verifiesWith(cert: Certificate, issuer: Certificate): boolean {
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false; // e.g. a signature algorithm that does not fit the issuer's key type
  }
}

function fromDer(der: Buffer, x509: X509Certificate): Certificate {
  assertDer(der);
  const certificate = expectTlv(der, 0, der.length, derTag.sequence, 'Certificate');
  if (certificate.end !== der.length)
    throw new SecurityError('MALFORMED_CERTIFICATE', 'trailing bytes');
  const tbs = expectTlv(
    der,
    certificate.contentStart,
    certificate.end,
    derTag.sequence,
    'TBSCertificate',
  );
  const [, outerAlgorithm, signatureValue, extra] = children(der, certificate);
  if (
    outerAlgorithm?.tag !== derTag.sequence ||
    signatureValue?.tag !== derTag.bitString ||
    extra !== undefined
  ) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      'Certificate must be TBSCertificate, signatureAlgorithm, signatureValue',
    );
  }
  const fields = children(der, tbs);
  let i = 0;
  if (fields[0]?.tag === 0xa0) i++; // [0] EXPLICIT version
  const serial = field(fields, i++, derTag.integer, 'serialNumber');
  const innerAlgorithm = field(fields, i++, derTag.sequence, 'signature');
  // RFC 5280 §4.1.1.2: the signed algorithm and the outer one MUST be identical.
  if (!Buffer.from(encoding(der, innerAlgorithm)).equals(encoding(der, outerAlgorithm))) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      'TBSCertificate.signature differs from signatureAlgorithm (RFC 5280 §4.1.1.2)',
    );
  }
  const issuer = field(fields, i++, derTag.sequence, 'issuer');
  const validity = field(fields, i++, derTag.sequence, 'validity');
  const subject = field(fields, i++, derTag.sequence, 'subject');
  const spki = field(fields, i++, derTag.sequence, 'subjectPublicKeyInfo');
  const [notBeforeTlv, notAfterTlv] = children(der, validity);
  if (notBeforeTlv === undefined || notAfterTlv === undefined) {
    throw new SecurityError('MALFORMED_CERTIFICATE', 'validity lacks notBefore/notAfter');
  }
  const keyBits = children(der, spki)[1];
  if (keyBits?.tag !== derTag.bitString || keyBits.end - keyBits.contentStart < 1) {
    throw new SecurityError('MALFORMED_CERTIFICATE', 'subjectPublicKey is not a BIT STRING');
  }
  let keyUsage: Set<KeyUsage> | undefined;
  let basicConstraints: { ca: boolean; pathLength?: number; critical: boolean } | undefined;
  let extendedKeyUsage: Set<string> | undefined;
  let altNames: AltNames | undefined;
  let nameConstraints: NameConstraints | undefined;
  const unknownCriticalExtensions: string[] = [];
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions !== undefined) {
    const list = expectTlv(
      der,
      extensions.contentStart,
      extensions.end,
      derTag.sequence,
      'Extensions',
    );
    const seen = new Set<string>();
    for (const ext of children(der, list)) {
      const parts = children(der, ext);
      const [idTlv, flag] = parts;
      const value = parts[parts.length - 1];
      if (
        idTlv?.tag !== derTag.oid ||
        value?.tag !== derTag.octetString ||
        parts.length > 3 ||
        (parts.length === 3 && flag?.tag !== derTag.boolean)
      ) {
        throw new SecurityError('MALFORMED_CERTIFICATE', 'Malformed Extension');
      }
      const id = decodeOid(content(der, idTlv));
      // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension".
      if (seen.has(id)) {
        throw new SecurityError(
          'MALFORMED_CERTIFICATE',
          `Extension ${id} appears more than once (RFC 5280 §4.2)`,
        );
      }
      seen.add(id);
      const critical = parts.length === 3 && der[(flag as Tlv).contentStart] === 0xff;
      if (critical && !understood.has(id)) unknownCriticalExtensions.push(id);
      const inner = () =>
        expectTlv(der, value.contentStart, value.end, derTag.sequence, `extension ${id}`);
      if (id === oid.keyUsage) keyUsage = decodeKeyUsage(der, value);
      else if (id === oid.basicConstraints)
        basicConstraints = { ...decodeBasicConstraints(der, value), critical };
      else if (id === oid.extendedKeyUsage) {
        extendedKeyUsage = new Set(children(der, inner()).map((p) => decodeOid(content(der, p))));
      } else if (id === oid.subjectAltName) altNames = parseAltNames(der, inner());
      else if (id === oid.nameConstraints) nameConstraints = parseNameConstraints(der, inner());
    }
  }
  const { organizationNames, commonNames } = nameAttributes(der, subject);
  return {
    x509,
    der,
    pem: toPem(der),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    serialNumber: content(der, serial),
    issuerDer: encoding(der, issuer),
    subjectDer: encoding(der, subject),
    publicKeyBits: der.subarray(keyBits.contentStart + 1, keyBits.end),
    notBefore: decodeTime(notBeforeTlv.tag, content(der, notBeforeTlv)),
    notAfter: decodeTime(notAfterTlv.tag, content(der, notAfterTlv)),
    keyUsage,
    basicConstraints,
    organizationNames,
    commonNames,
    signatureDigest: signatureDigestOf(der, outerAlgorithm),
    subjectName: canonicalName(der, subject),
    issuerName: canonicalName(der, issuer),
    extendedKeyUsage,
    altNames,
    nameConstraints,
    unknownCriticalExtensions,
  };
}

function signatureDigestOf(der: Buffer, algorithm: Tlv): SignatureDigest {
  const [id, params] = children(der, algorithm);
  if (id?.tag !== derTag.oid)
    throw new SecurityError('MALFORMED_CERTIFICATE', 'bad signatureAlgorithm');
  const name = decodeOid(content(der, id));
  if (name !== rsassaPss) return signatureOids[name] ?? 'unknown';
  // RSASSA-PSS-params: hashAlgorithm [0] EXPLICIT, DEFAULT sha1 (RFC 4055 §3.1).
  if (params?.tag !== derTag.sequence) return 'sha1';
  const hash = children(der, params).find((p) => p.tag === 0xa0);
  if (hash === undefined) return 'sha1';
  const hashAlgorithm = expectTlv(
    der,
    hash.contentStart,
    hash.end,
    derTag.sequence,
    'hashAlgorithm',
  );
  const hashId = children(der, hashAlgorithm)[0];
  if (hashId?.tag !== derTag.oid)
    throw new SecurityError('MALFORMED_CERTIFICATE', 'bad RSASSA-PSS hash');
  return digestOids[decodeOid(content(der, hashId))] ?? 'unknown';
}

function field(fields: readonly Tlv[], index: number, tag: number, name: string): Tlv {
  const tlv = fields[index];
  if (tlv?.tag !== tag) {
    throw new SecurityError(
      'MALFORMED_CERTIFICATE',
      `TBSCertificate.${name} is missing or mistyped`,
    );
  }
  return tlv;
}

function decodeKeyUsage(der: Buffer, wrapper: Tlv): Set<KeyUsage> {
  const bits = expectTlv(der, wrapper.contentStart, wrapper.end, derTag.bitString, 'KeyUsage');
  const bytes = content(der, bits).subarray(1);
  const out = new Set<KeyUsage>();
  keyUsageNames.forEach((name, bit) => {
    const byte = bytes[bit >> 3];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) out.add(name);
  });
  return out;
}

function decodeBasicConstraints(der: Buffer, wrapper: Tlv): { ca: boolean; pathLength?: number } {
  const seq = expectTlv(
    der,
    wrapper.contentStart,
    wrapper.end,
    derTag.sequence,
    'BasicConstraints',
  );
  let ca = false;
  let pathLength: number | undefined;
  for (const part of children(der, seq)) {
    if (part.tag === derTag.boolean) ca = der[part.contentStart] !== 0;
    if (part.tag === derTag.integer) {
      const bytes = content(der, part);
      if (bytes.length > 4)
        throw new SecurityError('MALFORMED_CERTIFICATE', 'pathLenConstraint too large');
      // INTEGER (0..MAX): a negative value (high bit set) is not "255", it is malformed.
      if (bytes.length === 0 || ((bytes[0] as number) & 0x80) !== 0)
        throw new SecurityError('MALFORMED_CERTIFICATE', 'pathLenConstraint must be >= 0');
      pathLength = bytes.reduce((acc, b) => acc * 256 + b, 0);
    }
  }
  return pathLength === undefined ? { ca } : { ca, pathLength };
}

function nameAttributes(
  der: Buffer,
  name: Tlv,
): { organizationNames: string[]; commonNames: string[] } {
  const organizationNames: string[] = [];
  const commonNames: string[] = [];
  for (const rdn of children(der, name)) {
    if (rdn.tag !== derTag.set)
      throw new SecurityError('MALFORMED_CERTIFICATE', 'Name holds a non-SET RDN');
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv);
      if (type?.tag !== derTag.oid || value === undefined) continue;
      const id = decodeOid(content(der, type));
      if (id !== oid.organizationName && id !== oid.commonName) continue;
      const text = decodeString(value.tag, content(der, value));
      if (text === undefined) continue;
      (id === oid.organizationName ? organizationNames : commonNames).push(text);
    }
  }
  return { organizationNames, commonNames };
}
