// Certificate issuance shared by the CA helper and the test PKI. Loads @peculiar/x509 lazily.
import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parsePemCertificate } from './certificate.js';
import { SecurityError } from './errors.js';
import { importSigningKey, readPrivateKey } from './keys.js';
import { loadX509 } from './x509-loader.js';

/** What a certificate is for; decides basic constraints, key usage and extended key usage. */
export type CertificateProfile =
  | 'root'
  | 'subCa'
  | 'chargePoint'
  | 'centralSystem'
  | 'firmwareSigning';

/** Subject attributes, each encoded as its own UTF8String attribute (never parsed from text). */
export interface SubjectAttributes {
  readonly country?: string;
  readonly organizationName?: string;
  readonly commonName: string;
}

/** A certificate with its private key (PEM). */
export interface KeyAndCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface IssueOptions {
  readonly profile: CertificateProfile;
  /** Subject as attributes, or the exact DER of a subject Name (e.g. copied from a CSR). */
  readonly subject: SubjectAttributes | Uint8Array;
  /** SubjectPublicKeyInfo PEM of the key being certified. */
  readonly publicKeyPem: string;
  /** The signer; omit for a self-signed root (then `selfSigningKeyPem` signs). */
  readonly issuer?: KeyAndCertificate;
  readonly selfSigningKeyPem?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Serial number as hex; a random positive 128-bit value when omitted. */
  readonly serialNumber?: string;
  /** DNS names / IP addresses for a central system certificate's subjectAltName. */
  readonly subjectAltNames?: readonly string[];
  /** RSA issuers sign with RSA-PSS by default (A00.FR.505); `pkcs1` for legacy peers. */
  readonly rsaSignatureScheme?: 'pss' | 'pkcs1';
  /** pathLenConstraint of a sub-CA; 0 when omitted. */
  readonly pathLength?: number;
}

/** Issues one certificate and returns it as PEM. */
export async function issueCertificate(options: IssueOptions): Promise<string> {
  const x509 = await loadX509();
  const signerKeyPem = options.issuer?.privateKeyPem ?? options.selfSigningKeyPem;
  if (signerKeyPem === undefined) {
    throw new SecurityError(
      'UNSUPPORTED_KEY',
      'issueCertificate needs an issuer or a selfSigningKeyPem',
    );
  }
  const signer = await importSigningKey(signerKeyPem, options.rsaSignatureScheme);
  const publicKey = new x509.PublicKey(
    createPublicKey(options.publicKeyPem).export({ type: 'spki', format: 'der' }),
  );
  const subject =
    options.subject instanceof Uint8Array
      ? new x509.Name(Buffer.from(options.subject))
      : new x509.Name(subjectJson(options.subject));
  const issuerCert =
    options.issuer === undefined
      ? undefined
      : parsePemCertificate(options.issuer.certificatePem, 'issuer.certificatePem');
  if (issuerCert !== undefined && !issuerCert.x509.checkPrivateKey(readPrivateKey(signerKeyPem))) {
    throw new SecurityError(
      'UNSUPPORTED_KEY',
      'issuer.privateKeyPem does not belong to issuer.certificatePem',
    );
  }
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86_400_000);
  const extensions: InstanceType<X509Module['Extension']>[] = [
    ...profileExtensions(x509, options.profile, options.pathLength ?? 0),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (issuerCert !== undefined) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(
        new x509.PublicKey(spkiOf(issuerCert.x509.publicKey)),
      ),
    );
  }
  if (options.subjectAltNames !== undefined && options.subjectAltNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        options.subjectAltNames.map((value) => ({
          type: isIpAddress(value) ? 'ip' : 'dns',
          value,
        })),
      ),
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: options.serialNumber ?? randomSerial(),
    subject,
    // The issuer Name is copied byte for byte from the issuer's subject, so chains link exactly.
    issuer: issuerCert === undefined ? subject : new x509.Name(Buffer.from(issuerCert.subjectDer)),
    notBefore,
    notAfter,
    publicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions,
  });
  return `${certificate.toString('pem')}\n`;
}

function subjectJson(
  subject: SubjectAttributes,
): Array<Record<string, Array<{ utf8String: string }>>> {
  const out: Array<Record<string, Array<{ utf8String: string }>>> = [];
  if (subject.country !== undefined) out.push({ C: [{ utf8String: subject.country }] });
  if (subject.organizationName !== undefined) {
    out.push({ O: [{ utf8String: subject.organizationName }] });
  }
  out.push({ CN: [{ utf8String: subject.commonName }] });
  return out;
}

type X509Module = Awaited<ReturnType<typeof loadX509>>;

function profileExtensions(x509: X509Module, profile: CertificateProfile, pathLength: number) {
  const usage = x509.KeyUsageFlags;
  switch (profile) {
    case 'root':
      return [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(usage.keyCertSign | usage.cRLSign, true),
      ];
    case 'subCa':
      return [
        new x509.BasicConstraintsExtension(true, pathLength, true),
        new x509.KeyUsagesExtension(usage.keyCertSign | usage.cRLSign, true),
      ];
    case 'chargePoint':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(usage.digitalSignature | usage.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      ];
    case 'centralSystem':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        // keyEncipherment keeps the TLS_RSA_* suites of A00.FR.317 usable with an RSA key.
        new x509.KeyUsagesExtension(usage.digitalSignature | usage.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      ];
    case 'firmwareSigning':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(usage.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning], false),
      ];
  }
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; clear the sign bit, avoid a leading zero.
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
