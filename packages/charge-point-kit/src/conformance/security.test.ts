// OCTT 1.6 `_CS` cases of the Security Whitepaper edition 3.

import { randomBytes } from 'node:crypto';
import type { CertificateHashData } from '@ocpp-kit/messages';
import {
  certificateHashData,
  parsePemCertificate,
  signCertificateRequest,
} from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { httpFileServer } from '../test-helpers/file-servers.js';
import { FirmwareHardware } from '../test-helpers/firmware-hardware.js';
import { scenario } from '../test-helpers/scenario.js';
import { secureCsms, testAuthorizationKey } from '../test-helpers/secure-csms.js';
import { signedFirmware } from '../test-helpers/signed-firmware.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';

const pki = createTestPki();

/** A charge point the CSMS at `url` accepted. */
async function connected(url: string, options: Partial<ChargePointOptions>) {
  const made = testChargePoint(url, options);
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  return made;
}
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

describe('OCTT Security (_CS): security profiles and authentication', () => {
  test('TC_083_CS Upgrade security profile', async () => {
    const testPki = await pki;
    const p1 = await secureCsms(1, testPki);
    const p2 = await secureCsms(2, testPki);
    const made = await connected(p1.url, {
      securityProfile: 1,
      authorizationKey: testAuthorizationKey,
      csmsByProfile: { 2: p2.url },
    });
    const connection = p1.server.connections.get('CP1');
    await connection?.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    const upgraded = next(made.chargePoint, 'accepted');
    await expect(
      connection?.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await upgraded;
    await expect(
      p2.server.connections.get('CP1')?.call('GetConfiguration', { key: ['SecurityProfile'] }),
    ).resolves.toMatchObject({ configurationKey: [{ value: '2' }] });
  });

  test('TC_084_CS Downgrade security profile - Rejected', async () => {
    const testPki = await pki;
    const p2 = await secureCsms(2, testPki);
    await connected(p2.url, {
      securityProfile: 2,
      authorizationKey: testAuthorizationKey,
      tls: { ca: testPki.root.certificatePem },
    });
    await expect(
      p2.server.connections
        .get('CP1')
        ?.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('TC_085_CS Basic Authentication - Valid username/password combination', async () => {
    const p1 = await secureCsms(1, await pki);
    await connected(p1.url, {
      securityProfile: 1,
      authorizationKey: testAuthorizationKey,
    });
    expect(p1.server.connections.get('CP1')?.securityProfile).toBe(1);
  });

  test('TC_086_CS TLS - server-side certificate - Valid certificate', async () => {
    const testPki = await pki;
    const p2 = await secureCsms(2, testPki);
    await connected(p2.url, {
      securityProfile: 2,
      authorizationKey: testAuthorizationKey,
      tls: { ca: testPki.root.certificatePem },
    });
    expect(p2.server.connections.get('CP1')?.securityProfile).toBe(2);
  });

  test('TC_087_CS TLS - Client-side certificate - valid certificate', async () => {
    const testPki = await pki;
    const p3 = await secureCsms(3, testPki);
    const leaf = await testPki.issueChargePointCertificate('CP1');
    await connected(p3.url, {
      securityProfile: 3,
      tls: { ca: testPki.root.certificatePem, cert: leaf.chainPem, key: leaf.privateKeyPem },
    });
    expect(p3.server.connections.get('CP1')?.securityProfile).toBe(3);
  });

  test('TC_073_CS Update Charge Point Password for HTTP Basic Authentication', async () => {
    const newKey = Buffer.from('FFEEDDCCBBAA99887766554433221100', 'hex');
    let accepted = testAuthorizationKey;
    const p1 = await secureCsms(1, await pki, () => accepted);
    const made = await connected(p1.url, {
      securityProfile: 1,
      authorizationKey: testAuthorizationKey,
    });
    // A01.FR.03: once Accepted, the CSMS takes only the new key.
    const reconnected = next(made.chargePoint, 'accepted');
    const answer = p1.server.connections
      .get('CP1')
      ?.call('ChangeConfiguration', { key: 'AuthorizationKey', value: newKey.toString('hex') });
    accepted = newKey;
    await expect(answer).resolves.toEqual({ status: 'Accepted' });
    await reconnected;
    expect(p1.server.connections.has('CP1')).toBe(true);
    // Whitepaper §7.2: write-only, never read back.
    await expect(
      p1.server.connections.get('CP1')?.call('GetConfiguration', { key: ['AuthorizationKey'] }),
    ).resolves.toEqual({ configurationKey: [{ key: 'AuthorizationKey', readonly: false }] });
  });

  test('TC_078_CS Invalid CentralSystemCertificate Security Event', async () => {
    const [testPki, foreign] = await Promise.all([pki, createTestPki()]);
    const impostor = await secureCsms(2, foreign);
    const genuine = await secureCsms(2, testPki);
    await connected(impostor.url, {
      csms: [impostor.url, genuine.url],
      securityProfile: 2,
      authorizationKey: testAuthorizationKey,
      tls: { ca: testPki.root.certificatePem },
    });
    // StartupOfTheDevice (critical) goes first, then the certificate refused on the way.
    const events = await genuine.waitFor('SecurityEventNotification', 2);
    expect(events.map((e) => e.payload.type)).toContain('InvalidCentralSystemCertificate');
    expect(impostor.server.connections.has('CP1')).toBe(false);
  });
});

describe('OCTT Security (_CS): certificates, logs and signed firmware', () => {
  test('TC_074_CS Update Charge Point Certificate by request of Central System', async () => {
    const testPki = await pki;
    const sut = await scenario({ configuration: { values: { CpoName: 'Test CPO' } } });
    await sut.connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    await expect(
      sut.connection.call('ExtendedTriggerMessage', {
        requestedMessage: 'SignChargePointCertificate',
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [request] = await sut.csms.waitFor('SignCertificate');
    const signed = await signCertificateRequest({
      csrPem: String(request?.payload.csr),
      ca: testPki.subCa,
      cpoName: 'Test CPO',
      chargePointSerialNumber: 'SN-1',
    });
    await expect(
      sut.connection.call('CertificateSigned', { certificateChain: signed.certificateChain }),
    ).resolves.toEqual({ status: 'Accepted' });
  });

  test('TC_077_CS Invalid ChargePointCertificate Security Event', async () => {
    const testPki = await pki;
    const sut = await scenario({ configuration: { values: { CpoName: 'Test CPO' } } });
    await sut.connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    await sut.connection.call('ExtendedTriggerMessage', {
      requestedMessage: 'SignChargePointCertificate',
    });
    await sut.csms.waitFor('SignCertificate');
    const notOurs = await testPki.issueChargePointCertificate('SN-1');
    await expect(
      sut.connection.call('CertificateSigned', { certificateChain: notOurs.chainPem }),
    ).resolves.toEqual({ status: 'Rejected' });
    const events = await sut.csms.waitFor('SecurityEventNotification', 2);
    expect(events.map((e) => e.payload.type)).toContain('InvalidChargePointCertificate');
  });

  test('TC_079_CS Get Security Log', async () => {
    const sut = await scenario();
    const server = await httpFileServer({});
    await expect(
      sut.connection.call('GetLog', {
        logType: 'SecurityLog',
        requestId: 79,
        log: { remoteLocation: `${server.url}/logs/` },
      }),
    ).resolves.toMatchObject({ status: 'Accepted', filename: expect.any(String) });
    await sut.csms.waitFor('LogStatusNotification', 2);
    expect(sut.payloads('LogStatusNotification')).toEqual([
      { status: 'Uploading', requestId: 79 },
      { status: 'Uploaded', requestId: 79 },
    ]);
    expect(server.uploads.size).toBe(1);
  });

  test.each([
    ['TC_080_CS Secure Firmware Update', true],
    ['TC_081_CS Secure Firmware Update - Invalid Signature', false],
  ] as const)('%s', async (_, valid) => {
    const testPki = await pki;
    const hardware = new FirmwareHardware();
    hardware.installResult = { reboot: false };
    const sut = await scenario({ hardware });
    await sut.connection.call('InstallCertificate', {
      certificateType: 'ManufacturerRootCertificate',
      certificate: testPki.manufacturerRoot.certificatePem,
    });
    const image = randomBytes(20_000);
    const server = await httpFileServer({ '/fw.bin': image });
    const firmware = signedFirmware(
      testPki,
      valid ? image : randomBytes(10),
      `${server.url}/fw.bin`,
    );
    await expect(
      sut.connection.call('SignedUpdateFirmware', { requestId: 80, firmware }),
    ).resolves.toEqual({ status: 'Accepted' });
    const expected = valid
      ? ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']
      : ['Downloading', 'Downloaded', 'InvalidSignature'];
    await sut.csms.waitFor('SignedFirmwareStatusNotification', expected.length);
    expect(sut.payloads('SignedFirmwareStatusNotification').map((p) => p.status)).toEqual(expected);
    if (!valid) {
      const events = await sut.csms.waitFor('SecurityEventNotification', 2);
      expect(events.map((e) => e.payload.type)).toContain('InvalidFirmwareSignature');
    }
  });
});
