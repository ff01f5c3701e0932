import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { settle } from '../test-helpers/accepted.js';
import { secureCsms, testAuthorizationKeyHex } from '../test-helpers/secure-csms.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';

const pki = createTestPki();

/** A charge point on profile 0 that may be raised to the given CSMSs. */
async function onProfile0(
  csmsByProfile: NonNullable<ChargePointOptions['csmsByProfile']>,
  options: Partial<ChargePointOptions> = {},
) {
  const csms = await startTestCsms();
  const made = testChargePoint(csms.url, { csmsByProfile, ...options });
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  const current = () => {
    const connection = csms.server.connections.get('CP1');
    if (connection === undefined) throw new Error('not connected');
    return connection;
  };
  const profile = async (c = current()) =>
    (await c.call('GetConfiguration', { key: ['SecurityProfile'] })).configurationKey?.[0]?.value;
  /** A01: a new AuthorizationKey, then the reconnect it causes. */
  const setKey = async () => {
    const renewed = next(made.chargePoint, 'accepted');
    await current().call('ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: testAuthorizationKeyHex,
    });
    await renewed;
  };
  return { ...made, csms, current, profile, setKey };
}

const change = (value: string) => ({ key: 'SecurityProfile', value });

describe('security profile (whitepaper §7.6, A05)', () => {
  test('A05.FR.01: the same or a lower profile is Rejected', async () => {
    const { current, profile } = await onProfile0({});
    await expect(current().call('ChangeConfiguration', change('0'))).resolves.toEqual({
      status: 'Rejected',
    });
    expect(await profile()).toBe('0');
  });

  test('A05.FR.02/05-07: 0 -> 1 needs the AuthorizationKey; once set, Accepted and the charge point reconnects with Basic authentication', async () => {
    const p1 = await secureCsms(1, await pki);
    const { current, chargePoint, profile, setKey } = await onProfile0({ 1: p1.url });
    await expect(current().call('ChangeConfiguration', change('1'))).resolves.toEqual({
      status: 'Rejected',
    });
    await setKey();
    const upgradedAccepted = next(chargePoint, 'accepted');
    await expect(current().call('ChangeConfiguration', change('1'))).resolves.toEqual({
      status: 'Accepted',
    });
    await upgradedAccepted;
    const upgraded = p1.server.connections.get('CP1');
    expect(upgraded).toBeDefined();
    expect(await profile(upgraded)).toBe('1');
  });

  test('A05.FR.03: 1 -> 2 needs a CentralSystemRootCertificate; once installed, the charge point moves to TLS', async () => {
    const testPki = await pki;
    const p1 = await secureCsms(1, testPki);
    const p2 = await secureCsms(2, testPki);
    const made = testChargePoint(p1.url, {
      securityProfile: 1,
      authorizationKey: Buffer.from(testAuthorizationKeyHex, 'hex'),
      csmsByProfile: { 2: p2.url },
    });
    await made.chargePoint.start();
    await next(made.chargePoint, 'accepted');
    const connection = p1.server.connections.get('CP1');
    await expect(connection?.call('ChangeConfiguration', change('2'))).resolves.toEqual({
      status: 'Rejected',
    });
    await connection?.call('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: testPki.root.certificatePem,
    });
    await expect(connection?.call('ChangeConfiguration', change('2'))).resolves.toEqual({
      status: 'Accepted',
    });
    await next(made.chargePoint, 'accepted');
    expect(p2.server.connections.has('CP1')).toBe(true);
  });

  test('A05.FR.04: 2 -> 3 needs a charge point certificate; with the factory one it connects with a client certificate', async () => {
    const testPki = await pki;
    const p2 = await secureCsms(2, testPki);
    const p3 = await secureCsms(3, testPki);
    const factory = await testPki.issueChargePointCertificate('CP1');
    const base = {
      securityProfile: 2 as const,
      authorizationKey: Buffer.from(testAuthorizationKeyHex, 'hex'),
      csmsByProfile: { 3: p3.url },
    };
    const without = testChargePoint(p2.url, { ...base, tls: { ca: testPki.root.certificatePem } });
    await without.chargePoint.start();
    await next(without.chargePoint, 'accepted');
    await expect(
      p2.server.connections.get('CP1')?.call('ChangeConfiguration', change('3')),
    ).resolves.toEqual({ status: 'Rejected' });
    await without.chargePoint.stop();
    const withCertificate = testChargePoint(p2.url, {
      ...base,
      tls: { ca: testPki.root.certificatePem, cert: factory.chainPem, key: factory.privateKeyPem },
    });
    await withCertificate.chargePoint.start();
    await next(withCertificate.chargePoint, 'accepted');
    await expect(
      p2.server.connections.get('CP1')?.call('ChangeConfiguration', change('3')),
    ).resolves.toEqual({ status: 'Accepted' });
    await next(withCertificate.chargePoint, 'accepted');
    expect(p3.server.connections.has('CP1')).toBe(true);
  });

  test('A05.FR.08: when the raised profile cannot connect, the charge point falls back to the previous one', async () => {
    const { current, chargePoint, profile, setKey } = await onProfile0(
      { 1: 'ws://127.0.0.1:1/nowhere' },
      { securityProfileAttempts: 2 },
    );
    await setKey();
    const back = next(chargePoint, 'accepted');
    await expect(current().call('ChangeConfiguration', change('1'))).resolves.toEqual({
      status: 'Accepted',
    });
    await back;
    await settle();
    expect(await profile()).toBe('0');
  });
});
