// Certificates as the whitepaper needs them: Node's X509Certificate for signatures and keys, plus
// the few DER fields Node does not expose (exact issuer bytes, serial bytes, key-usage bits,
// basic constraints, subject O/CN). No X.509 library is loaded here.
import { createHash, X509Certificate } from 'node:crypto';
import {
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
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength?: number } | undefined;
  /** Values of the subject's O (organizationName) attributes, in order. */
  readonly organizationNames: readonly string[];
  /** Values of the subject's CN (commonName) attributes, in order. */
  readonly commonNames: readonly string[];
}

const oid = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
} as const;

/** Parses one DER certificate; throws `MALFORMED_CERTIFICATE` naming `field`. */
export function parseCertificateDer(der: Buffer, field = 'certificate'): Certificate {
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
  return Buffer.from(cert.issuerDer).equals(cert.subjectDer) && verifiesWith(cert, cert);
}

/** True when `issuer`'s subject is `cert`'s issuer and `issuer`'s key verifies `cert`. */
export function isIssuedBy(cert: Certificate, issuer: Certificate): boolean {
  return Buffer.from(cert.issuerDer).equals(issuer.subjectDer) && verifiesWith(cert, issuer);
}

function verifiesWith(cert: Certificate, issuer: Certificate): boolean {
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false; // e.g. a signature algorithm that does not fit the issuer's key type
  }
}

function fromDer(der: Buffer, x509: X509Certificate): Certificate {
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
  const fields = children(der, tbs);
  let i = 0;
  if (fields[0]?.tag === 0xa0) i++; // [0] EXPLICIT version
  const serial = field(fields, i++, derTag.integer, 'serialNumber');
  field(fields, i++, derTag.sequence, 'signature');
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
  let basicConstraints: { ca: boolean; pathLength?: number } | undefined;
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions !== undefined) {
    const list = expectTlv(
      der,
      extensions.contentStart,
      extensions.end,
      derTag.sequence,
      'Extensions',
    );
    for (const ext of children(der, list)) {
      const parts = children(der, ext);
      const id = decodeOid(content(der, parts[0] as Tlv));
      const value = parts[parts.length - 1] as Tlv;
      if (value.tag !== derTag.octetString) continue;
      if (id === oid.keyUsage) keyUsage = decodeKeyUsage(der, value);
      if (id === oid.basicConstraints) basicConstraints = decodeBasicConstraints(der, value);
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
  };
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
