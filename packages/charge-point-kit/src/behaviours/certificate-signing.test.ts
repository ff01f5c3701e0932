import { readCertificateSigningRequest, signCertificateRequest } from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { secureCsms } from '../test-helpers/secure-csms.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';

const pki = createTestPki();

describe('charge point certificate (whitepaper A02, A03)', () => {
  test('A02.FR.02/03/13: ExtendedTriggerMessage SignChargePointCertificate sends a CSR with O = CpoName and CN = the serial number; Rejected without CpoName', async () => {
    const { connection, csms } = await acceptedChargePoint();
    const trigger = () =>
      connection.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' });
    await expect(trigger()).resolves.toEqual({ status: 'Rejected' });
    await connection.call('ChangeConfiguration', { key: 'CpoName', value: 'Test CPO' });
    await expect(trigger()).resolves.toEqual({ status: 'Accepted' });
    const [request] = await csms.waitFor('SignCertificate');
    expect(Object.keys(request?.payload ?? {})).toEqual(['csr']);
    const csr = await readCertificateSigningRequest(String(request?.payload.csr));
    expect(csr.organizationNames).toEqual(['Test CPO']);
    expect(csr.commonNames).toEqual(['SN-1']);
  });

  test('A02.FR.06/08: a signed certificate is validated, stored and presented from the next profile 3 connection on', async () => {
    const testPki = await pki;
    const p3 = await secureCsms(3, testPki);
    const factory = await testPki.issueChargePointCertificate('CP1');
    const made = testChargePoint(p3.url, {
      securityProfile: 3,
      tls: { ca: testPki.root.certificatePem, cert: factory.chainPem, key: factory.privateKeyPem },
      configuration: { values: { CpoName: 'Test CPO' } },
      boot: {
        chargePointVendor: 'ocpp-kit',
        chargePointModel: 'Test Wallbox',
        chargePointSerialNumber: 'CP1',
      },
    });
    await made.chargePoint.start();
    await next(made.chargePoint, 'accepted');
    await p3.server.connections.get('CP1')?.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    const before = p3.server.connections.get('CP1')?.certificate?.fingerprint256;
    await p3.server.connections
      .get('CP1')
      ?.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' });
    const [request] = await p3.waitFor('SignCertificate');
    const signed = await signCertificateRequest({
      csrPem: String(request?.payload.csr),
      ca: testPki.subCa,
      cpoName: 'Test CPO',
      chargePointSerialNumber: 'CP1',
    });
    const reconnected = next(made.chargePoint, 'accepted');
    await expect(
      p3.server.connections
        .get('CP1')
        ?.call('CertificateSigned', { certificateChain: signed.certificateChain }),
    ).resolves.toEqual({ status: 'Accepted' });
    await reconnected;
    const after = p3.server.connections.get('CP1')?.certificate?.fingerprint256;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  test('A02.FR.07: a certificate not for the pending key is Rejected and raises InvalidChargePointCertificate', async () => {
    const testPki = await pki;
    const { connection, csms } = await acceptedChargePoint({
      configuration: { values: { CpoName: 'Test CPO' } },
    });
    await connection.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    await connection.call('ExtendedTriggerMessage', {
      requestedMessage: 'SignChargePointCertificate',
    });
    await csms.waitFor('SignCertificate');
    const other = await testPki.issueChargePointCertificate('SN-1');
    await expect(
      connection.call('CertificateSigned', { certificateChain: other.chainPem }),
    ).resolves.toEqual({ status: 'Rejected' });
    await settle(100);
    expect(
      csms.received
        .filter((r) => r.action === 'SecurityEventNotification')
        .map((r) => r.payload.type),
    ).toContain('InvalidChargePointCertificate');
  });

  test('A03.FR.02: a factory certificate expiring within a month is renewed by the charge point itself', async () => {
    const soon = await createTestPki({ notAfter: new Date(Date.now() + 7 * 86_400_000) });
    const p3 = await secureCsms(3, soon);
    const factory = await soon.issueChargePointCertificate('CP1');
    const made = testChargePoint(p3.url, {
      securityProfile: 3,
      tls: { ca: soon.root.certificatePem, cert: factory.chainPem, key: factory.privateKeyPem },
      configuration: { values: { CpoName: 'Test CPO' } },
    });
    await made.chargePoint.start();
    await next(made.chargePoint, 'accepted');
    await expect(p3.waitFor('SignCertificate')).resolves.toHaveLength(1);
  });
});
