// CertificateHashDataType (whitepaper §6.1, edition 3): the OCSP CertID fields of RFC 6960 §4.1.1.
import { createHash } from 'node:crypto';
import type { CertificateHashData, HashAlgorithm } from '@ocpp-kit/messages';
import type { Certificate } from './certificate.js';
import { SecurityError } from './errors.js';

/** Node digest name per schema HashAlgorithmEnumType value. */
export const hashAlgorithmDigests = {
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
} as const satisfies Record<HashAlgorithm, string>;

/**
 * The hash data of `certificate`, issued by `issuer` (pass the certificate itself for a root):
 * issuerNameHash over the DER issuer Name exactly as encoded in `certificate`, issuerKeyHash over
 * the issuer's subjectPublicKey BIT STRING without its unused-bits byte, and the serial number as
 * upper-case hex without leading zeros (4095 -> "FFF").
 */
export function certificateHashData(
  certificate: Certificate,
  issuer: Certificate,
  hashAlgorithm: HashAlgorithm = 'SHA256',
): CertificateHashData {
  for (const [name, value] of [
    ['certificate', certificate],
    ['issuer', issuer],
  ] as const) {
    if (typeof value !== 'object' || value === null || !(value.issuerDer instanceof Uint8Array)) {
      throw new SecurityError(
        'INVALID_HASH_DATA',
        `${name} must be a parsed Certificate (parsePemCertificate / parseCertificateDer)`,
      );
    }
  }
  if (!isHashAlgorithm(hashAlgorithm)) {
    throw new SecurityError(
      'INVALID_HASH_DATA',
      `hashAlgorithm must be one of SHA256, SHA384, SHA512; got ${String(hashAlgorithm)}`,
    );
  }
  const digest = hashAlgorithmDigests[hashAlgorithm];
  return {
    hashAlgorithm,
    issuerNameHash: createHash(digest).update(certificate.issuerDer).digest('hex'),
    issuerKeyHash: createHash(digest).update(issuer.publicKeyBits).digest('hex'),
    serialNumber: serialNumberHex(certificate.serialNumber),
  };
}

/**
 * INTEGER content bytes (two's complement) as hex without leading zeros ("0" for zero); a
 * negative serial (RFC 5280 §4.1.2.2 tolerates them) gets a "-" before its magnitude, as
 * openssl prints it: -128 is "-80", +128 is "80".
 */
export function serialNumberHex(serial: Uint8Array): string {
  const negative = serial.length > 0 && ((serial[0] as number) & 0x80) !== 0;
  let bytes = Buffer.from(serial);
  if (negative) {
    // Magnitude = two's complement negation: invert every bit, add one.
    bytes = Buffer.from(bytes.map((b) => ~b & 0xff));
    for (let i = bytes.length - 1; i >= 0; i--) {
      bytes[i] = ((bytes[i] as number) + 1) & 0xff;
      if (bytes[i] !== 0) break;
    }
  }
  const hex = bytes.toString('hex').replace(/^0+/, '').toUpperCase();
  return `${negative ? '-' : ''}${hex === '' ? '0' : hex}`;
}

/**
 * Compares two hash data case-insensitively (the fields are CiStrings, §6.5-6.6). Leading zeros
 * of a peer's serial number are tolerated although §6.1 forbids sending them.
 */
export function certificateHashDataEquals(a: CertificateHashData, b: CertificateHashData): boolean {
  return (
    isCertificateHashData(a) &&
    isCertificateHashData(b) &&
    a.hashAlgorithm === b.hashAlgorithm &&
    a.issuerNameHash.toLowerCase() === b.issuerNameHash.toLowerCase() &&
    a.issuerKeyHash.toLowerCase() === b.issuerKeyHash.toLowerCase() &&
    normalizeSerial(a.serialNumber) === normalizeSerial(b.serialNumber)
  );
}

function normalizeSerial(value: string): string {
  const negative = value.startsWith('-');
  const hex = (negative ? value.slice(1) : value).replace(/^0+/, '').toUpperCase();
  return `${negative ? '-' : ''}${hex === '' ? '0' : hex}`;
}

/**
 * Guards against a peer's object that skipped schema validation: the three hash strings and a
 * hashAlgorithm this module can compute.
 */
export function isCertificateHashData(value: unknown): value is CertificateHashData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Partial<Record<keyof CertificateHashData, unknown>>;
  return (
    isHashAlgorithm(data.hashAlgorithm) &&
    typeof data.issuerNameHash === 'string' &&
    typeof data.issuerKeyHash === 'string' &&
    typeof data.serialNumber === 'string'
  );
}

function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && Object.hasOwn(hashAlgorithmDigests, value);
}
