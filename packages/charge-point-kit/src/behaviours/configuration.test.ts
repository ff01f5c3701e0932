import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';

async function acceptedChargePoint(options: Parameters<typeof testChargePoint>[1] = {}) {
  const csms = await startTestCsms();
  const { chargePoint, directory } = testChargePoint(csms.url, options);
  chargePoint.start();
  await next(chargePoint, 'accepted');
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('not connected');
  return { csms, chargePoint, connection, directory };
}

describe('configuration over OCPP (§5.3, §5.8)', () => {
  test('§5.8: GetConfiguration without keys lists every key; with keys, the known ones and unknownKey', async () => {
    const { connection } = await acceptedChargePoint();
    const all = await connection.call('GetConfiguration', {});
    expect(all.configurationKey?.map((k) => k.key)).toContain('SupportedFeatureProfiles');
    expect(all.configurationKey?.find((k) => k.key === 'SupportedFeatureProfiles')).toEqual({
      key: 'SupportedFeatureProfiles',
      readonly: true,
      value: 'Core,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging',
    });
    expect(all.configurationKey?.find((k) => k.key === 'NumberOfConnectors')?.value).toBe('2');
    await expect(
      connection.call('GetConfiguration', { key: ['HeartbeatInterval', 'Nope'] }),
    ).resolves.toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['Nope'],
    });
  });

  test('§5.8 GetConfigurationMaxKeys: more keys than allowed get OccurenceConstraintViolation naming the limit', async () => {
    const { connection } = await acceptedChargePoint({
      configuration: { values: { GetConfigurationMaxKeys: 2 } },
    });
    const error = await connection
      .call('GetConfiguration', { key: ['A', 'B', 'C'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'OccurenceConstraintViolation',
      message: expect.stringContaining('GetConfigurationMaxKeys'),
    });
  });

  test('§5.3: ChangeConfiguration answers Accepted, Rejected or NotSupported and stores across a restart', async () => {
    const { csms, chargePoint, connection, directory } = await acceptedChargePoint();
    await expect(
      connection.call('ChangeConfiguration', {
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Power.Active.Import',
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      connection.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Frequency' }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      connection.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '9' }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      connection.call('ChangeConfiguration', { key: 'Unheard', value: '1' }),
    ).resolves.toEqual({ status: 'NotSupported' });
    await chargePoint.stop();
    const restarted = testChargePoint(csms.url, { storage: { directory } }).chargePoint;
    expect(restarted.configuration.get('MeterValuesSampledData')).toEqual([
      'Energy.Active.Import.Register',
      'Power.Active.Import',
    ]);
    // Configuration changes send nothing of their own.
    expect(
      csms.received
        .filter(
          (r) => r.action !== 'StatusNotification' && r.action !== 'SecurityEventNotification',
        )
        .map((r) => r.action),
    ).toEqual(['BootNotification']);
  });
});

describe('AuthorizationKey (whitepaper §7.2, A01)', () => {
  test('a new AuthorizationKey is answered Accepted on the old connection, then the charge point reconnects with it', async () => {
    const oldKey = Buffer.alloc(16, 1);
    const newKey = Buffer.alloc(20, 2);
    const keys = new Map([['CP1', oldKey]]);
    const csms = await startTestCsms({
      securityProfile: 1,
      authorizationKey: (identity) => keys.get(identity),
    });
    const { chargePoint } = testChargePoint(csms.url, {
      securityProfile: 1,
      authorizationKey: oldKey,
    });
    chargePoint.start();
    await next(chargePoint, 'accepted');
    const connection = csms.server.connections.get('CP1');
    const reconnected = next(chargePoint, 'accepted');
    const answer = connection?.call('ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: newKey.toString('hex'),
    });
    keys.set('CP1', newKey);
    await expect(answer).resolves.toEqual({ status: 'Accepted' });
    expect(await reconnected).toEqual({ afterBoot: false });
    const read = await csms.server.connections
      .get('CP1')
      ?.call('GetConfiguration', { key: ['AuthorizationKey'] });
    expect(read).toEqual({ configurationKey: [{ key: 'AuthorizationKey', readonly: false }] });
  });
});
