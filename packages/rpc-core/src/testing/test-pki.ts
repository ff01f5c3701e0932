// Test-only PKI for security profiles 2 and 3 (never shipped: excluded from the build and the
// tarball). Built on `@ocpp-kit/security/testing`, so the SDK has one test PKI; this adds what
// the transport tests need beyond it: a foreign hierarchy, self-signed and weak-key charge point
// certificates, and central system certificates that a charge point must refuse.
import { generateKeyPairSync } from 'node:crypto';
import { type CertificateAuthority, issueCertificate } from '@ocpp-kit/security';
import { createTestPki as createSecurityTestPki } from '@ocpp-kit/security/testing';

/** A key and the certificate chain to present with it (leaf first, then the sub-CA). */
export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export type TestKeyType = 'ec-p256' | 'ec-p192' | 'rsa-1024' | 'rsa-2048';

export interface CentralSystemCertificateOptions {
  /** Issued by an unrelated CPO hierarchy instead of this one. */
  readonly foreign?: boolean;
  /** Expired one day ago. */
  readonly expired?: boolean;
  /** The subjectAltName entries (DNS names, IP addresses); default localhost, 127.0.0.1, ::1. */
  readonly altNames?: readonly string[];
}

export interface TestPki {
  /** The CPO root CA (whitepaper §2.6.2): `ca` on both ends. */
  readonly ca: KeyPair;
  /** Central System certificates: RSA 2048 and ECDSA P-256 (A00.FR.317 needs both). */
  readonly serverRsa: KeyPair;
  readonly serverEc: KeyPair;
  /**
   * A charge point certificate from this CPO's sub-CA: CN = `commonName`, O = `organization`, an
   * EC P-256 key unless `key` names another (weak ones included, to test A00.FR.502/503).
   */
  chargePoint(commonName: string, organization: string, key?: TestKeyType): Promise<KeyPair>;
  /** A charge point certificate from an unrelated hierarchy. */
  foreignChargePoint(commonName: string, organization: string): Promise<KeyPair>;
  /** A self-signed charge point certificate. */
  selfSignedChargePoint(commonName: string, organization: string): Promise<KeyPair>;
  /** Another Central System certificate (ECDSA), to test what the charge point refuses. */
  centralSystem(options: CentralSystemCertificateOptions): Promise<KeyPair>;
}

/** Node's key generation: `@ocpp-kit/security` refuses the weak keys these tests need. */
function keyPairOf(type: TestKeyType): { publicKeyPem: string; privateKeyPem: string } {
  const pair =
    type === 'rsa-1024' || type === 'rsa-2048'
      ? generateKeyPairSync('rsa', { modulusLength: type === 'rsa-1024' ? 1024 : 2048 })
      : generateKeyPairSync('ec', { namedCurve: type === 'ec-p192' ? 'prime192v1' : 'P-256' });
  return {
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

async function leafOf(
  profile: 'chargePoint' | 'centralSystem',
  issuer: CertificateAuthority | undefined,
  subject: { organizationName: string; commonName: string },
  options: { key?: TestKeyType; altNames?: readonly string[]; expired?: boolean } = {},
): Promise<KeyPair> {
  const pair = keyPairOf(options.key ?? 'ec-p256');
  const day = 86_400_000;
  const certificatePem = await issueCertificate({
    profile,
    subject,
    publicKeyPem: pair.publicKeyPem,
    ...(issuer === undefined ? { selfSigningKeyPem: pair.privateKeyPem } : { issuer }),
    ...(options.altNames === undefined ? {} : { subjectAltNames: options.altNames }),
    ...(options.expired === true
      ? { notBefore: new Date(Date.now() - 2 * day), notAfter: new Date(Date.now() - day) }
      : {}),
  });
  return { key: pair.privateKeyPem, cert: certificatePem + (issuer?.certificatePem ?? '') };
}

/** Mints the CPO hierarchy and a foreign one (one call per test file: key generation is slow). */
export async function createTestPki(cpoName = 'Test CPO'): Promise<TestPki> {
  const [cpo, foreign] = await Promise.all([
    createSecurityTestPki({ cpoName }),
    createSecurityTestPki({ cpoName: 'Someone Else' }),
  ]);
  const server = { organizationName: cpoName, commonName: 'localhost' };
  const subject = (commonName: string, organizationName: string) => ({
    organizationName,
    commonName,
  });
  return {
    ca: { key: cpo.root.privateKeyPem, cert: cpo.root.certificatePem },
    serverRsa: { key: cpo.server.rsa.privateKeyPem, cert: cpo.server.rsa.chainPem },
    serverEc: { key: cpo.server.ecdsa.privateKeyPem, cert: cpo.server.ecdsa.chainPem },
    chargePoint: (cn, o, key) =>
      leafOf('chargePoint', cpo.subCa, subject(cn, o), key === undefined ? {} : { key }),
    foreignChargePoint: (cn, o) => leafOf('chargePoint', foreign.subCa, subject(cn, o)),
    selfSignedChargePoint: (cn, o) => leafOf('chargePoint', undefined, subject(cn, o)),
    centralSystem: ({ foreign: other = false, expired = false, altNames }) =>
      leafOf('centralSystem', other ? foreign.subCa : cpo.subCa, server, {
        altNames: altNames ?? ['localhost', '127.0.0.1', '::1'],
        expired,
      }),
  };
}
