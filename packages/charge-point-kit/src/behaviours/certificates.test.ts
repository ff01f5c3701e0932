import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateHashData } from '@ocpp-kit/messages';
import { certificateHashData, parsePemCertificate } from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import { chargePointDatabaseFileName } from '../charge-point.js';
import { acceptedChargePoint } from '../test-helpers/accepted.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';

const pki = createTestPki();

const hashOf = (pem: string): CertificateHashData => {
  const cert = parsePemCertificate(pem, 'pem');
  return certificateHashData(cert, cert);
};

describe('certificate management (whitepaper M03-M05)', () => {
  test('M05.FR.02/M03.FR.03-04: an installed root is listed by its hash data; M04.FR.02/04: deleted once, then NotFound', async () => {
    const { root, manufacturerRoot } = await pki;
    const { connection } = await acceptedChargePoint();
    await expect(
      connection.call('GetInstalledCertificateIds', {
        certificateType: 'CentralSystemRootCertificate',
      }),
    ).resolves.toEqual({ status: 'NotFound' });
    for (const [certificateType, pem] of [
      ['CentralSystemRootCertificate', root.certificatePem],
      ['ManufacturerRootCertificate', manufacturerRoot.certificatePem],
    ] as const) {
      await expect(
        connection.call('InstallCertificate', { certificateType, certificate: pem }),
      ).resolves.toEqual({ status: 'Accepted' });
    }
    await expect(
      connection.call('GetInstalledCertificateIds', {
        certificateType: 'CentralSystemRootCertificate',
      }),
    ).resolves.toEqual({ status: 'Accepted', certificateHashData: [hashOf(root.certificatePem)] });
    const hash = hashOf(manufacturerRoot.certificatePem);
    await expect(
      connection.call('DeleteCertificate', { certificateHashData: hash }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      connection.call('DeleteCertificate', { certificateHashData: hash }),
    ).resolves.toEqual({ status: 'NotFound' });
  });

  test('the store is kept in the kit database, owner-readable only, and survives a restart', async () => {
    const { root } = await pki;
    const made = await acceptedChargePoint();
    await made.connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: root.certificatePem,
    });
    await made.chargePoint.stop();
    const database = join(made.directory, chargePointDatabaseFileName);
    expect(statSync(database).mode & 0o777).toBe(0o600);
    const again = testChargePoint(made.csms.url, { storage: { directory: made.directory } });
    await again.chargePoint.start();
    await next(again.chargePoint, 'accepted');
    const connection = made.csms.server.connections.get('CP1');
    await expect(
      connection?.call('GetInstalledCertificateIds', {
        certificateType: 'CentralSystemRootCertificate',
      }),
    ).resolves.toMatchObject({
      status: 'Accepted',
      certificateHashData: [hashOf(root.certificatePem)],
    });
  });

  test('M05.FR.03: CertificateStoreMaxLength reached is Rejected; M05.FR.06: a malformed certificate is Rejected', async () => {
    const { root, manufacturerRoot } = await pki;
    const { connection } = await acceptedChargePoint({
      configuration: { values: { CertificateStoreMaxLength: 1 } },
    });
    await connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: root.certificatePem,
    });
    await expect(
      connection.call('InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: manufacturerRoot.certificatePem,
      }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      connection.call('InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
      }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('M05.FR.09-10: with AdditionalRootCertificateCheck a new CentralSystemRootCertificate not signed by the current one is Rejected', async () => {
    const [{ root }, other] = await Promise.all([pki, createTestPki()]);
    const { connection } = await acceptedChargePoint({
      configuration: { values: { AdditionalRootCertificateCheck: true } },
    });
    await connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: root.certificatePem,
    });
    await expect(
      connection.call('InstallCertificate', {
        certificateType: 'CentralSystemRootCertificate',
        certificate: other.root.certificatePem,
      }),
    ).resolves.toEqual({ status: 'Rejected' });
  });
});
