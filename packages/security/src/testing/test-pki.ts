// Test PKIs for security profiles 2 and 3 (whitepaper §2.4-2.6): a CPO hierarchy (root -> sub-CA
// -> central system server certificates, RSA and ECDSA, and charge point client certificates)
// and a manufacturer hierarchy (root -> firmware signing certificate, no intermediate, L01).
import type { CertificateAuthority } from '../ca.js';
import { type CertificateProfile, issueCertificate, type KeyAndCertificate } from '../issue.js';
import { generateKeyPair, type KeySpec } from '../keys.js';

export interface TestPkiOptions {
  /** O of every CPO certificate; `Test CPO` when omitted. */
  readonly cpoName?: string;
  /** CN of the central system certificates (A00.FR.510); `localhost` when omitted. */
  readonly serverHostname?: string;
  /** subjectAltName entries of the server certificates; hostname, 127.0.0.1 and ::1 by default. */
  readonly serverAltNames?: readonly string[];
  /** Key of the two roots and the sub-CA; ECDSA P-256 when omitted. */
  readonly caKey?: KeySpec;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A leaf with the chain a TLS peer presents (leaf + sub-CA). */
export interface TestLeaf extends KeyAndCertificate {
  /** Leaf then sub-CA, PEM: what to pass as `cert` to `tls.createServer` / `tls.connect`. */
  readonly chainPem: string;
}

export interface TestPki {
  /** CentralSystemRootCertificate: install it on charge points, trust it on the CSMS. */
  readonly root: KeyAndCertificate;
  /** Issues server and charge point certificates; pass to `signCertificateRequest` as `ca`. */
  readonly subCa: CertificateAuthority;
  /** Central system server certificates for A00.FR.317: one RSA 2048, one ECDSA P-256. */
  readonly server: { readonly rsa: TestLeaf; readonly ecdsa: TestLeaf };
  /** ManufacturerRootCertificate. */
  readonly manufacturerRoot: KeyAndCertificate;
  /** Firmware signing certificate issued directly by the manufacturer root. */
  readonly firmwareSigner: KeyAndCertificate;
  /** A charge point client certificate for security profile 3 (O = cpoName, CN = serial). */
  issueChargePointCertificate(serialNumber: string, key?: KeySpec): Promise<TestLeaf>;
  /** Another firmware signing certificate (e.g. RSA for RSA-PSS signatures). */
  issueFirmwareSigner(key: KeySpec): Promise<KeyAndCertificate>;
}

/** Mints a fresh test PKI. Keys are generated here; RSA 2048 generation takes a moment. */
export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const cpoName = options.cpoName ?? 'Test CPO';
  const hostname = options.serverHostname ?? 'localhost';
  const caKey = options.caKey ?? { type: 'ec', curve: 'P-256' };
  const validity = {
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
  };
  const selfSigned = async (commonName: string, organizationName: string) => {
    const pair = await generateKeyPair(caKey);
    const certificatePem = await issueCertificate({
      profile: 'root',
      subject: { organizationName, commonName },
      publicKeyPem: pair.publicKeyPem,
      selfSigningKeyPem: pair.privateKeyPem,
      ...validity,
    });
    return { certificatePem, privateKeyPem: pair.privateKeyPem };
  };
  const issued = async (
    profile: CertificateProfile,
    issuer: KeyAndCertificate,
    subject: { organizationName: string; commonName: string },
    key: KeySpec,
    subjectAltNames?: readonly string[],
  ): Promise<KeyAndCertificate> => {
    const pair = await generateKeyPair(key);
    const certificatePem = await issueCertificate({
      profile,
      subject,
      publicKeyPem: pair.publicKeyPem,
      issuer,
      ...validity,
      ...(subjectAltNames === undefined ? {} : { subjectAltNames }),
    });
    return { certificatePem, privateKeyPem: pair.privateKeyPem };
  };

  const [root, manufacturerRoot] = await Promise.all([
    selfSigned(`${cpoName} Root CA`, cpoName),
    selfSigned('Test Manufacturer Root CA', 'Test Manufacturer'),
  ]);
  const subCa = await issued(
    'subCa',
    root,
    { organizationName: cpoName, commonName: `${cpoName} Sub-CA` },
    caKey,
  );
  const leaf = (cert: KeyAndCertificate): TestLeaf => ({
    ...cert,
    chainPem: cert.certificatePem + subCa.certificatePem,
  });
  const altNames = options.serverAltNames ?? [hostname, '127.0.0.1', '::1'];
  const serverSubject = { organizationName: cpoName, commonName: hostname };
  const [rsa, ecdsa, firmwareSigner] = await Promise.all([
    issued('centralSystem', subCa, serverSubject, { type: 'rsa', bits: 2048 }, altNames),
    issued('centralSystem', subCa, serverSubject, { type: 'ec', curve: 'P-256' }, altNames),
    issued(
      'firmwareSigning',
      manufacturerRoot,
      { organizationName: 'Test Manufacturer', commonName: 'Firmware Signing' },
      { type: 'ec', curve: 'P-256' },
    ),
  ]);
  return {
    root,
    subCa,
    server: { rsa: leaf(rsa), ecdsa: leaf(ecdsa) },
    manufacturerRoot,
    firmwareSigner,
    issueChargePointCertificate: async (serialNumber, key = { type: 'ec', curve: 'P-256' }) =>
      leaf(
        await issued(
          'chargePoint',
          subCa,
          { organizationName: cpoName, commonName: serialNumber },
          key,
        ),
      ),
    issueFirmwareSigner: (key) =>
      issued(
        'firmwareSigning',
        manufacturerRoot,
        { organizationName: 'Test Manufacturer', commonName: 'Firmware Signing' },
        key,
      ),
  };
}
