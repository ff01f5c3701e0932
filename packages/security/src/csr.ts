// Certificate signing requests for A02/A03: a new key pair per request and a PKCS#10 CSR
// (RFC 2986) in PEM with O = CpoName and CN = the charge point serial number (A02.FR.02-03,
// A02.FR.13), SHA-256 signature (A00.FR.506), at most 5500 characters (SignCertificate.req csr).
import { SecurityError } from './errors.js';
import { defaultKeySpec, generateKeyPair, type KeySpec } from './keys.js';
import { assertChargePointSubject, type ChargePointSubject } from './subject.js';
import { loadX509 } from './x509-loader.js';

/** SignCertificate.req `csr` maxLength in the schema. */
export const csrMaxLength = 5500;

export interface CreateCsrOptions extends ChargePointSubject {
  /** Key type; ECDSA P-256 when omitted. */
  readonly key?: KeySpec;
}

/** A CSR ready for SignCertificate.req and the private key the charge point keeps. */
export interface CertificateSigningRequest {
  readonly csrPem: string;
  /** PKCS#8 PEM; never send it anywhere (A02.FR.05). */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** Generates a fresh key pair and a CSR for it. Loads @peculiar/x509 on first use. */
export async function createCertificateSigningRequest(
  options: CreateCsrOptions,
): Promise<CertificateSigningRequest> {
  assertChargePointSubject(options);
  const spec = options.key ?? defaultKeySpec;
  const [x509, pair] = await Promise.all([loadX509(), generateKeyPair(spec)]);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    // Each value is an explicit UTF8String attribute: no DN string is ever parsed, so a CpoName
    // such as `ACME, CN=X` or `#41` stays one literal O value.
    name: new x509.Name([
      { O: [{ utf8String: options.cpoName }] },
      { CN: [{ utf8String: options.serialNumber }] },
    ]),
    keys: pair.keys,
    signingAlgorithm:
      spec.type === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
  });
  const csrPem = `${request.toString('pem')}\n`;
  if (csrPem.length > csrMaxLength) {
    throw new SecurityError(
      'UNSUPPORTED_KEY',
      `The CSR is ${csrPem.length} characters, over SignCertificate.req's ${csrMaxLength}; use a smaller key`,
    );
  }
  return { csrPem, privateKeyPem: pair.privateKeyPem, publicKeyPem: pair.publicKeyPem };
}
