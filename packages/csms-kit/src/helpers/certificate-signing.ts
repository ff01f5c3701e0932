// A02/A03: a charge point's CSR from SignCertificate.req turned into CertificateSigned.req.
import type { CertificateSignedRequest } from '@ocpp-kit/messages';
import { type CertificateAuthority, signCertificateRequest } from '@ocpp-kit/security';
import { CsmsKitError } from '../errors.js';

export interface CsrToSign {
  readonly csrPem: string;
  readonly identity: string;
  /** The CN the certificate must carry: what the profile 3 handshake will check (A00.FR.405). */
  readonly commonName: string;
}

/**
 * Signs CSRs. A02.FR.04 recommends forwarding them to a dedicated CA server: implement this
 * interface for that; `certificateAuthoritySigner` signs in process.
 */
export interface CertificateSigner {
  /** Resolves to the request to send; rejects with `CsmsKitError` `CSR_REFUSED` naming the problem. */
  sign(csr: CsrToSign): Promise<CertificateSignedRequest>;
}

export interface CertificateAuthoritySignerOptions {
  readonly ca: CertificateAuthority;
  /** The CpoName the CSR's O must carry (A02.FR.13, A00.FR.404). */
  readonly cpoName: string;
  /** Validity of each certificate. Default 365 days. */
  readonly validityDays?: number;
  readonly clock?: () => number;
}

const dayMs = 86_400_000;

/** A `CertificateSigner` holding the CA's key in this process. */
export function certificateAuthoritySigner(
  options: CertificateAuthoritySignerOptions,
): CertificateSigner {
  const validityDays = options.validityDays ?? 365;
  if (!Number.isInteger(validityDays) || validityDays < 1) {
    throw new CsmsKitError(
      'INVALID_OPTIONS',
      `validityDays must be an integer >= 1, got ${validityDays}`,
    );
  }
  const clock = options.clock ?? Date.now;
  return {
    async sign({ csrPem, commonName }) {
      const now = clock();
      try {
        const { certificateChain } = await signCertificateRequest({
          csrPem,
          ca: options.ca,
          cpoName: options.cpoName,
          chargePointSerialNumber: commonName,
          // A minute back: a charge point whose clock runs slightly behind still accepts it.
          notBefore: new Date(now - 60_000),
          notAfter: new Date(now + validityDays * dayMs),
        });
        return { certificateChain };
      } catch (cause) {
        throw new CsmsKitError(
          'CSR_REFUSED',
          `The CSR cannot be signed: ${(cause as Error).message}`,
          { cause },
        );
      }
    },
  };
}
