// OCTT 1.6 `_CSMS` cases of the Security Whitepaper against the reference CSMS (docs/conformance.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCertificateSigningRequest,
  generateKeyPair,
  issueCertificate,
} from '@ocpp-kit/security';
import { describe, expect, test } from 'vitest';
import { defaultPolicy } from '../policy/policy.js';
import { answered, octt } from '../test-support/octt.js';
import { startTestCsms, testChargePoint } from '../test-support/test-csms.js';

const oldKey = '0011223344556677889900112233445566778899';
const newKey = 'AABBCCDDEEFF00112233445566778899AABBCCDD';
const boot = { chargePointVendor: 'OCTT', chargePointModel: 'Tool' };

describe('OCTT Security (_CSMS)', () => {
  test('TC_073_CSMS update the Basic Authentication password: the new AuthorizationKey works, the old one no longer', async () => {
    const t = await octt({ securityProfile: 1, authorizationKey: oldKey });
    t.answer('ChangeConfiguration', () => ({ status: 'Accepted' }));
    expect(
      (await t.csms.api('PATCH', `/api/charge-points/${t.identity}`, { authorizationKey: newKey }))
        .status,
    ).toBe(200);
    expect(
      await t.command('ChangeConfiguration', { key: 'AuthorizationKey', value: newKey }),
    ).toEqual(answered({ status: 'Accepted' }));
    const cp = await t.reconnect({ authorizationKey: Buffer.from(newKey, 'hex') });
    expect((await cp.call('Heartbeat', {})).currentTime).toBeDefined();
    await expect(
      t.reconnect({ authorizationKey: Buffer.from(oldKey, 'hex') }),
    ).rejects.toMatchObject({ code: 'AuthenticationFailed' });
  });

  test('TC_074_CSMS update the charge point certificate on request: ExtendedTriggerMessage, SignCertificate, CertificateSigned', async () => {
    const t = await octt();
    t.answer('ExtendedTriggerMessage', () => ({ status: 'Accepted' }));
    const chain = new Promise<string>((resolve) => {
      t.answer('CertificateSigned', ({ certificateChain }) => {
        resolve(certificateChain);
        return { status: 'Accepted' };
      });
    });
    expect(
      await t.command('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    ).toEqual(answered({ status: 'Accepted' }));
    const csr = await createCertificateSigningRequest({
      cpoName: defaultPolicy.cpoName,
      serialNumber: t.identity,
    });
    expect(await t.cp.call('SignCertificate', { csr: csr.csrPem })).toEqual({ status: 'Accepted' });
    expect(await chain).toContain('BEGIN CERTIFICATE');
    await expect
      .poll(
        async () => (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body.certificates,
      )
      .toEqual([expect.objectContaining({ status: 'Accepted' })]);
  });

  test('TC_075_1_CSMS install a ManufacturerRootCertificate', async () => {
    const t = await octt();
    t.answer('InstallCertificate', () => ({ status: 'Accepted' }));
    const pem = t.csms.authority.root.certificatePem;
    expect(
      await t.command('InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: pem,
      }),
    ).toEqual(answered({ status: 'Accepted' }));
  });

  test('TC_075_2_CSMS install the CentralSystemRootCertificate from the data directory', async () => {
    const t = await octt();
    t.answer('InstallCertificate', () => ({ status: 'Accepted' }));
    const pem = readFileSync(join(t.csms.dataDir, 'ca', 'root.pem'), 'utf8');
    await t.command('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: pem,
    });
    expect(t.received('InstallCertificate')).toEqual([
      { certificateType: 'CentralSystemRootCertificate', certificate: pem },
    ]);
  });

  test('TC_076_CSMS delete a specific certificate: ids listed, then deleted by its hash data', async () => {
    const t = await octt();
    const hash = {
      hashAlgorithm: 'SHA256' as const,
      issuerNameHash: 'a'.repeat(64),
      issuerKeyHash: 'b'.repeat(64),
      serialNumber: '01',
    };
    t.answer('GetInstalledCertificateIds', () => ({
      status: 'Accepted',
      certificateHashData: [hash],
    }));
    t.answer('DeleteCertificate', () => ({ status: 'Accepted' }));
    const listed = await t.command('GetInstalledCertificateIds', {
      certificateType: 'CentralSystemRootCertificate',
    });
    expect(listed.response.certificateHashData).toEqual([hash]);
    expect(await t.command('DeleteCertificate', { certificateHashData: hash })).toEqual(
      answered({ status: 'Accepted' }),
    );
  });

  test.each([
    ['TC_077_CSMS', 'InvalidChargePointCertificate'],
    ['TC_078_CSMS', 'InvalidCentralSystemCertificate'],
  ])('%s %s security event: answered and recorded', async (_id, type) => {
    const t = await octt();
    expect(
      await t.cp.call('SecurityEventNotification', {
        type,
        timestamp: new Date().toISOString(),
        techInfo: 'CN mismatch',
      }),
    ).toEqual({});
    const { securityEvents } = (
      await t.csms.api('GET', `/api/security-events?chargePoint=${t.identity}`)
    ).body;
    expect(securityEvents).toEqual([expect.objectContaining({ type, techInfo: 'CN mismatch' })]);
  });

  test('TC_079_CSMS get the security log: the file name, then LogStatusNotifications with the requestId', async () => {
    const t = await octt();
    t.answer('GetLog', () => ({ status: 'Accepted', filename: 'security.log' }));
    const outcome = await t.command('GetLog', {
      logType: 'SecurityLog',
      requestId: 42,
      log: { remoteLocation: 'https://logs.example/upload' },
    });
    expect(outcome).toEqual(answered({ status: 'Accepted', filename: 'security.log' }));
    await t.cp.call('LogStatusNotification', { status: 'Uploading', requestId: 42 });
    await t.cp.call('LogStatusNotification', { status: 'Uploaded', requestId: 42 });
    const { jobs } = (await t.csms.api('GET', `/api/jobs?chargePoint=${t.identity}`)).body;
    expect(jobs.map((j: { status: string; requestId: number }) => [j.status, j.requestId])).toEqual(
      [
        ['Uploaded', 42],
        ['Uploading', 42],
      ],
    );
  });

  test('TC_080_CSMS secure firmware update: SignedUpdateFirmware, then every signed status with the requestId', async () => {
    const t = await octt();
    t.answer('SignedUpdateFirmware', () => ({ status: 'Accepted' }));
    const request = {
      requestId: 5,
      firmware: {
        location: 'https://firmware.example/fw.bin',
        retrieveDateTime: new Date().toISOString(),
        signingCertificate: t.csms.authority.root.certificatePem,
        signature: 'c2lnbmF0dXJl',
      },
    };
    expect(await t.command('SignedUpdateFirmware', request)).toEqual(
      answered({ status: 'Accepted' }),
    );
    const statuses = [
      'Downloading',
      'Downloaded',
      'SignatureVerified',
      'Installing',
      'Installed',
    ] as const;
    for (const status of statuses)
      await t.cp.call('SignedFirmwareStatusNotification', { status, requestId: 5 });
    const { jobs } = (await t.csms.api('GET', `/api/jobs?chargePoint=${t.identity}`)).body;
    expect(jobs.map((j: { status: string }) => j.status).reverse()).toEqual([...statuses]);
  });

  test('TC_081_CSMS secure firmware update, invalid signature: InvalidSignature is recorded', async () => {
    const t = await octt();
    await t.cp.call('SignedFirmwareStatusNotification', { status: 'Downloaded', requestId: 6 });
    await t.cp.call('SignedFirmwareStatusNotification', {
      status: 'InvalidSignature',
      requestId: 6,
    });
    await t.cp.call('SecurityEventNotification', {
      type: 'InvalidFirmwareSignature',
      timestamp: new Date().toISOString(),
    });
    const { jobs } = (await t.csms.api('GET', `/api/jobs?chargePoint=${t.identity}`)).body;
    expect(jobs[0]).toMatchObject({ kind: 'firmware', status: 'InvalidSignature', requestId: 6 });
  });

  test('TC_085_CSMS basic authentication, valid username/password: accepted; a wrong one gets 401', async () => {
    const t = await octt({ securityProfile: 1, authorizationKey: oldKey });
    expect((await t.cp.call('Heartbeat', {})).currentTime).toBeDefined();
    const wrong = await testChargePoint(t.csms.ocppUrl, t.identity, {
      securityProfile: 1,
      authorizationKey: Buffer.from(newKey, 'hex'),
    });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'AuthenticationFailed' });
  });

  test('TC_086_CSMS TLS server-side certificate, valid: a charge point trusting ca/root.pem connects over TLS 1.2+', async () => {
    const csms = await startTestCsms({
      listeners: [{ securityProfile: 2, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      configuration: {},
      readConfiguration: false,
      triggersOnAccept: [],
    });
    await csms.api('POST', '/api/charge-points', {
      identity: 'TLS-CP',
      securityProfile: 2,
      authorizationKey: oldKey,
    });
    const cp = await testChargePoint(csms.ocppUrl, 'TLS-CP', {
      securityProfile: 2,
      authorizationKey: Buffer.from(oldKey, 'hex'),
      tls: { ca: readFileSync(join(csms.dataDir, 'ca', 'root.pem')), servername: 'localhost' },
    });
    await cp.connect();
    expect((await cp.call('BootNotification', boot)).status).toBe('Accepted');
  });

  test('TC_087_CSMS TLS client-side certificate, valid: a certificate from the CSMS CA with O = CpoName and CN = identity', async () => {
    const csms = await startTestCsms({
      listeners: [{ securityProfile: 3, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      configuration: {},
      readConfiguration: false,
      triggersOnAccept: [],
    });
    await csms.api('POST', '/api/charge-points', { identity: 'MTLS-CP', securityProfile: 3 });
    const pair = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const certificatePem = await issueCertificate({
      profile: 'chargePoint',
      subject: { organizationName: defaultPolicy.cpoName, commonName: 'MTLS-CP' },
      publicKeyPem: pair.publicKeyPem,
      issuer: csms.authority.subCa,
    });
    const cp = await testChargePoint(csms.ocppUrl, 'MTLS-CP', {
      securityProfile: 3,
      tls: {
        ca: csms.authority.root.certificatePem,
        servername: 'localhost',
        cert: certificatePem + csms.authority.subCa.certificatePem,
        key: pair.privateKeyPem,
      },
    });
    await cp.connect();
    expect((await cp.call('BootNotification', boot)).status).toBe('Accepted');
  });
});
