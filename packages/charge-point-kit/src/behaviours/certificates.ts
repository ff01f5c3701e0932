import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';

/**
 * Certificate management (whitepaper M03-M05): InstallCertificate of a CentralSystemRoot or
 * ManufacturerRoot certificate (CertificateStoreMaxLength, AdditionalRootCertificateCheck),
 * DeleteCertificate by hash data (never the charge point's own certificate, nor the root the
 * current connection rests on) and GetInstalledCertificateIds, on the certificate store kept in
 * the kit's database.
 */
export function certificatesBehaviour(core: KitCore): Behaviour {
  core.router.on('InstallCertificate', async ({ certificateType, certificate }) => {
    const result = await core.certificates.install(certificateType, certificate);
    if (result.status !== 'Accepted') {
      core.logger.info('certificates.installRefused', {
        certificateType,
        status: result.status,
        reason: result.reason,
      });
    } else {
      core.logger.info('certificates.installed', { certificateType });
      core.securityEvents.note(
        'ReconfigurationOfSecurityParameters',
        `${certificateType} installed`,
      );
    }
    return { status: result.status };
  });

  core.router.on('DeleteCertificate', async ({ certificateHashData }) => {
    const status = await core.certificates.delete(certificateHashData);
    core.logger.info('certificates.delete', {
      serialNumber: certificateHashData.serialNumber,
      status,
    });
    if (status === 'Accepted')
      core.securityEvents.note('ReconfigurationOfSecurityParameters', 'a certificate was deleted');
    return { status };
  });

  core.router.on('GetInstalledCertificateIds', ({ certificateType }) =>
    core.certificates.installedCertificateIds(certificateType),
  );

  return { name: 'certificates' };
}
