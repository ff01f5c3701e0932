import { createCertificateSigningRequest, parsePemCertificates } from '@ocpp-kit/security';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';

/** A03.FR.02: a certificate due to expire within a month is renewed. */
export const renewBeforeMs = 30 * 86_400_000;
const dayMs = 86_400_000;

/**
 * The charge point certificate (whitepaper A02, A03): on ExtendedTriggerMessage
 * SignChargePointCertificate, and by itself a month before the certificate in use expires, a
 * fresh key pair and a CSR (O = CpoName, CN = the serial number) go out with SignCertificate.req;
 * the private key stays in the store (A02.FR.05). CertificateSigned.req is validated against the
 * installed roots, the pending key and the identity, stored, and used from its notBefore on
 * (security profile 3 reconnects with it); a refused one raises InvalidChargePointCertificate.
 */
export function certificateSigningBehaviour(
  core: KitCore,
  options: {
    readonly serialNumber: string;
    /** The factory certificate chain (`tls.cert`), in use until a signed one is installed. */
    readonly factoryCertificate: string | undefined;
  },
) {
  const renewal = new Timer(core.timers);
  let signing = false;

  /** Sends a CSR; false when it cannot (CpoName unset, or a CSR being made). */
  const requestSigning = (): boolean => {
    const cpoName = core.config.get('CpoName');
    if (cpoName === '' || signing) return false;
    signing = true;
    void (async () => {
      const csr = await createCertificateSigningRequest({
        cpoName,
        serialNumber: options.serialNumber,
      });
      await core.certificates.setPendingKey(csr.privateKeyPem);
      const { status } = await core.call(
        'SignCertificate',
        { csr: csr.csrPem },
        { triggered: true },
      );
      core.logger.info('certificates.csrSent', { status });
    })()
      .catch((error: unknown) =>
        core.logger.warn('certificates.csrFailed', { error: String(error) }),
      )
      .finally(() => {
        signing = false;
      });
    return true;
  };

  /** A03: renews a certificate that expires within a month; checked daily. */
  const factoryExpiry = (): Date | undefined => {
    if (options.factoryCertificate === undefined) return undefined;
    try {
      return parsePemCertificates(options.factoryCertificate, 'tls.cert')[0]?.notAfter;
    } catch {
      return undefined;
    }
  };

  const checkRenewal = (): void => {
    const inUse =
      core.certificates.chargePointCredentials()?.certificate.notAfter ??
      (core.config.get('SecurityProfile') === 3 ? factoryExpiry() : undefined);
    if (inUse !== undefined && inUse.getTime() - core.now() < renewBeforeMs && core.accepted) {
      core.logger.info('certificates.renewing', { notAfter: inUse.toISOString() });
      requestSigning();
    }
    renewal.arm(dayMs, checkRenewal);
  };

  core.router.on('CertificateSigned', async ({ certificateChain }) => {
    const result = await core.certificates.acceptCertificateSigned(certificateChain, {
      cpoName: core.config.get('CpoName'),
      serialNumber: options.serialNumber,
      maxChainSize: core.config.get('CertificateSignedMaxChainSize'),
    });
    if (result.status !== 'Accepted') {
      core.logger.warn('certificates.signedRefused', { reason: result.reason });
      core.securityEvents.note(
        result.securityEvent,
        `${result.reason}: ${result.message}`.slice(0, 255),
      );
      return { status: result.status };
    }
    core.logger.info('certificates.signedInstalled', {});
    core.securityEvents.note(
      'ReconfigurationOfSecurityParameters',
      'charge point certificate installed',
    );
    // A02.FR.08: in profile 3 the new certificate is presented from the next connection on.
    if (core.config.get('SecurityProfile') === 3)
      core.timers.setTimeout(() => void core.connection.renew(), 0);
    return { status: 'Accepted' };
  });

  let first = true;
  core.events.on('accepted', () => {
    if (!first) return;
    first = false;
    checkRenewal();
  });

  const behaviour: Behaviour = { name: 'certificate-signing', stop: () => renewal.cancel() };
  return { behaviour, requestSigning };
}
