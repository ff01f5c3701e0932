// Whitepaper A02/A03: SignCertificate.req answered, then the signed chain sent in CertificateSigned.req.
import type { CsmsHandler } from '../core/handler.js';
import type { KitServices } from '../core/kit-services.js';

export function signCertificateHandler<State>(
  kit: KitServices<State>,
): CsmsHandler<'SignCertificate', State> {
  return async (request, { session, identity }) => {
    const signer = kit.certificates;
    // A02.FR.12: not able to process the request -> Rejected.
    if (signer === undefined) return { status: 'Rejected' };
    const record = await kit.directory.find(identity);
    const commonName = record?.certificateCommonName ?? identity;
    let certificateChain: string;
    try {
      ({ certificateChain } = await signer.sign({ csrPem: request.csr, identity, commonName }));
    } catch (error) {
      kit.logger.warn('certificate.csr-refused', { identity, error });
      kit.emit('certificateSigned', { session, request, result: { status: 'Failed', error } });
      return { status: 'Rejected' };
    }
    // A02.FR.11: Accepted; the certificate follows once this answer is on the wire.
    kit.afterAnswer(async () => {
      try {
        const { status } = await session.call('CertificateSigned', { certificateChain });
        kit.emit('certificateSigned', {
          session,
          request,
          result: { status: 'Sent', certificateChain, certificateStatus: status },
        });
      } catch (error) {
        kit.emit('certificateSigned', { session, request, result: { status: 'Failed', error } });
      }
    });
    return { status: 'Accepted' };
  };
}
