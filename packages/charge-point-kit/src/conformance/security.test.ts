// OCTT 1.6 `_CS` cases of the Security Whitepaper edition 3.
import type { CertificateHashData } from '@ocpp-kit/messages';
import { certificateHashData, parsePemCertificate } from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import { scenario } from '../test-helpers/scenario.js';

const pki = createTestPki();
const hashOf = (pem: string): CertificateHashData => {
  const cert = parsePemCertificate(pem, 'pem');
  return certificateHashData(cert, cert);
};

describe('OCTT Security (_CS): certificate management', () => {
  test.each([
    [
      'TC_075_1_CS Install a certificate on the Charge Point - ManufacturerRootCertificate',
      'ManufacturerRootCertificate',
    ],
    [
      'TC_075_2_CS Install a certificate on the Charge Point - CentralSystemRootCertificate',
      'CentralSystemRootCertificate',
    ],
  ] as const)('%s', async (_, certificateType) => {
    const { root, manufacturerRoot } = await pki;
    const pem =
      certificateType === 'ManufacturerRootCertificate'
        ? manufacturerRoot.certificatePem
        : root.certificatePem;
    const sut = await scenario();
    await expect(
      sut.connection.call('InstallCertificate', { certificateType, certificate: pem }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      sut.connection.call('GetInstalledCertificateIds', { certificateType }),
    ).resolves.toEqual({ status: 'Accepted', certificateHashData: [hashOf(pem)] });
  });

  test('TC_076_CS Delete a specific certificate from the Charge Point', async () => {
    const { manufacturerRoot } = await pki;
    const sut = await scenario();
    await sut.connection.call('InstallCertificate', {
      certificateType: 'ManufacturerRootCertificate',
      certificate: manufacturerRoot.certificatePem,
    });
    const certificateHashData = hashOf(manufacturerRoot.certificatePem);
    await expect(
      sut.connection.call('DeleteCertificate', { certificateHashData }),
    ).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(
      sut.connection.call('GetInstalledCertificateIds', {
        certificateType: 'ManufacturerRootCertificate',
      }),
    ).resolves.toEqual({ status: 'NotFound' });
  });
});
