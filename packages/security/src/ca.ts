// CSMS side of A02/A03: a small certificate authority that checks a charge point's CSR and signs
// it into the chain sent in CertificateSigned.req. Loads @peculiar/x509 lazily.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isSelfSigned, parsePemCertificates } from './certificate.js';
import { keyStrengthProblem } from './chain.js';
import { SecurityError } from './errors.js';
import { type IssueOptions, issueCertificate, type KeyAndCertificate } from './issue.js';
import { assertChargePointSubject, chargePointSubjectProblem } from './subject.js';
import { loadX509 } from './x509-loader.js';

/** CertificateSigned.req `certificateChain` maxLength in the schema. */
export const certificateChainMaxLength = 10_000;

/** What a CSR asks for, after its self-signature was verified. */
export interface CsrDetails {
  readonly organizationNames: readonly string[];
  readonly commonNames: readonly string[];
  /** The requested key as SubjectPublicKeyInfo PEM. */
  readonly publicKeyPem: string;
  /** The subject Name, DER, as encoded in the CSR (copied verbatim into the certificate). */
  readonly subjectDer: Uint8Array;
}

/** Parses a PEM CSR and verifies its signature; throws `MALFORMED_CSR` or `CSR_REJECTED`. */
export async function readCertificateSigningRequest(csrPem: string): Promise<CsrDetails> {
  const x509 = await loadX509();
  let request: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    request = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (cause) {
    throw new SecurityError('MALFORMED_CSR', 'csr is not a PEM PKCS#10 certificate request', {
      cause,
    });
  }
  let valid = false;
  try {
    valid = await request.verify();
  } catch (cause) {
    throw new SecurityError('MALFORMED_CSR', 'csr signature could not be checked', { cause });
  }
  if (!valid) {
    throw new SecurityError('MALFORMED_CSR', 'csr self-signature does not verify (RFC 2986 §3)');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({
      key: Buffer.from(request.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
  } catch (cause) {
    throw new SecurityError('MALFORMED_CSR', 'csr public key is unreadable', { cause });
  }
  // The same A00.FR.501-503 rule chain validation applies, so nothing signed here is refused there.
  const weak = keyStrengthProblem(publicKey);
  if (weak !== undefined) throw new SecurityError('CSR_REJECTED', `csr key refused: ${weak}`);
  return {
    organizationNames: request.subjectName.getField('O'),
    commonNames: request.subjectName.getField('CN'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    subjectDer: new Uint8Array(request.subjectName.toArrayBuffer()),
  };
}

/** A signing CA: its certificate and key, plus the certificates between it and the root. */
export interface CertificateAuthority extends KeyAndCertificate {
  /** PEM of intermediates above this CA, excluding the root; sent along in the chain. */
  readonly issuerChainPem?: string;
}

export interface SignCsrOptions {
  readonly csrPem: string;
  readonly ca: CertificateAuthority;
  /** When set, the CSR's O must equal it (A02.FR.13 / A00.FR.404). */
  readonly cpoName?: string;
  /** When set, the CSR's CN must equal it (A00.FR.405). */
  readonly chargePointSerialNumber?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serialNumber?: string;
  readonly rsaSignatureScheme?: 'pss' | 'pkcs1';
}

/** The signed certificate and the chain to put in CertificateSigned.req. */
export interface SignedCertificate {
  readonly certificatePem: string;
  /** Leaf, then the sub-CA certificates (the root is installed on the charge point already). */
  readonly certificateChain: string;
}

/**
 * Checks a charge point's CSR (signature, key size, exactly one O and one CN, expected values)
 * and signs it as a charge point certificate. Throws `CSR_REJECTED` with the reason.
 */
export async function signCertificateRequest(options: SignCsrOptions): Promise<SignedCertificate> {
  const csr = await readCertificateSigningRequest(options.csrPem);
  const problem = chargePointSubjectProblem(csr.organizationNames, csr.commonNames, {
    cpoName: options.cpoName,
    serialNumber: options.chargePointSerialNumber,
  });
  if (problem !== undefined) {
    throw new SecurityError('CSR_REJECTED', `csr subject refused: ${problem}`);
  }
  try {
    // Exactly one O and one CN exist now; their text must also be usable.
    assertChargePointSubject({
      cpoName: csr.organizationNames[0] as string,
      serialNumber: csr.commonNames[0] as string,
    });
  } catch (cause) {
    throw new SecurityError('CSR_REJECTED', `csr subject refused: ${(cause as Error).message}`, {
      cause,
    });
  }
  const issue: IssueOptions = {
    profile: 'chargePoint',
    subject: csr.subjectDer,
    publicKeyPem: csr.publicKeyPem,
    issuer: options.ca,
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
    ...(options.rsaSignatureScheme === undefined
      ? {}
      : { rsaSignatureScheme: options.rsaSignatureScheme }),
  };
  const certificatePem = await issueCertificate(issue);
  const certificateChain = buildChain(certificatePem, options.ca);
  if (certificateChain.length > certificateChainMaxLength) {
    throw new SecurityError(
      'CSR_REJECTED',
      `The chain is ${certificateChain.length} characters, over CertificateSigned.req's ${certificateChainMaxLength}`,
    );
  }
  return { certificatePem, certificateChain };
}

function buildChain(leafPem: string, ca: CertificateAuthority): string {
  const caCert = parsePemCertificates(ca.certificatePem, 'ca.certificatePem')[0];
  const parts = [leafPem];
  if (caCert !== undefined && !isSelfSigned(caCert)) parts.push(caCert.pem);
  if (ca.issuerChainPem !== undefined) {
    for (const cert of parsePemCertificates(ca.issuerChainPem, 'ca.issuerChainPem')) {
      if (!isSelfSigned(cert)) parts.push(cert.pem);
    }
  }
  return parts.join('');
}
