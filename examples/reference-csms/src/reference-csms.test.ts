import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyValue, SetChargingProfileRequest } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { readPolicyFile } from './policy/policy.js';
import { startTestCsms, type TestChargePoint, testChargePoint } from './test-support/test-csms.js';

const platform = readPolicyFile(new URL('../policies/platform.json', import.meta.url).pathname);
const boot = { chargePointVendor: 'VendorX', chargePointModel: 'ModelY' };

/** A charge point that applies configuration, answers triggers and remote stops like a real one. */
function scriptedChargePoint(client: TestChargePoint) {
  const configuration = new Map<string, string>([['HeartbeatInterval', '300']]);
  const profiles: SetChargingProfileRequest[] = [];
  const remoteStops: number[] = [];
  client.router
    .on('ChangeConfiguration', ({ key, value }) => {
      configuration.set(key, value);
      return { status: 'Accepted' };
    })
    .on('GetConfiguration', () => ({
      configurationKey: [...configuration].map(
        ([key, value]): KeyValue => ({ key, value, readonly: false }),
      ),
    }))
    .on('TriggerMessage', ({ requestedMessage }) => {
      setImmediate(() => {
        if (requestedMessage === 'BootNotification') void client.call('BootNotification', boot);
        if (requestedMessage === 'StatusNotification') {
          void client.call('StatusNotification', {
            connectorId: 1,
            errorCode: 'NoError',
            status: 'Available',
          });
        }
      });
      return { status: 'Accepted' };
    })
    .on('SetChargingProfile', (request) => {
      profiles.push(request);
      return { status: 'Accepted' };
    })
    .on('RemoteStopTransaction', ({ transactionId }) => {
      remoteStops.push(transactionId);
      return { status: 'Accepted' };
    });
  return { configuration, profiles, remoteStops };
}

describe('reference CSMS running the platform policy (profile 0 here, profile 2 below)', () => {
  test('§4.2 Pending: the policy configuration is set and read back, then Accepted; status triggered; a full session with energy and power', async () => {
    const csms = await startTestCsms({
      ...platform,
      listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      http: { host: '127.0.0.1', port: 0 },
    });
    expect(
      (await csms.api('POST', '/api/charge-points', { identity: 'CP-1', securityProfile: 0 }))
        .status,
    ).toBe(201);
    expect((await csms.api('PUT', '/api/id-tags/TAG-1', { status: 'Accepted' })).status).toBe(200);
    const client = await testChargePoint(csms.ocppUrl, 'CP-1');
    const cp = scriptedChargePoint(client);
    await client.connect();
    expect((await client.call('BootNotification', boot)).status).toBe('Pending');
    await expect.poll(() => csms.csms.get('CP-1')?.accepted).toBe(true);
    expect(cp.configuration.get('MeterValuesSampledData')).toBe(
      'Energy.Active.Import.Register,Power.Active.Import',
    );
    expect(cp.configuration.get('MeterValueSampleInterval')).toBe('60');
    await expect
      .poll(async () => (await csms.api('GET', '/api/charge-points/CP-1')).body.connectors)
      .toEqual([expect.objectContaining({ connectorId: 1, status: 'Available' })]);
    const detail = (await csms.api('GET', '/api/charge-points/CP-1')).body;
    expect(detail.configuration).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'MeterValueSampleInterval', value: '60' }),
      ]),
    );
    expect(detail).toMatchObject({
      connected: true,
      registrationStatus: 'Accepted',
      lastBootStatus: 'Accepted',
    });

    expect((await client.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status).toBe('Accepted');
    const start = new Date(Date.now() - 120_000).toISOString();
    const { transactionId } = await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 10_000,
      timestamp: start,
    });
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          sampledValue: [
            { value: '10.6', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
            { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
          ],
        },
      ],
    });
    let list = (await csms.api('GET', '/api/transactions?active=true')).body.transactions;
    expect(list).toEqual([expect.objectContaining({ transactionId, energyWh: 600, powerW: 7200 })]);

    const limited = await csms.api('POST', '/api/charge-points/CP-1/charging-limit', {
      purpose: 'TxProfile',
      connectorId: 1,
      transactionId,
      limit: 3680,
      unit: 'W',
    });
    expect(limited.body.outcome).toEqual({
      status: 'Answered',
      identity: 'CP-1',
      response: { status: 'Accepted' },
    });
    expect(cp.profiles[0]?.csChargingProfiles).toMatchObject({
      chargingProfilePurpose: 'TxProfile',
      transactionId,
    });

    const stop = await csms.api('POST', '/api/commands/RemoteStopTransaction', {
      chargePoints: ['CP-1'],
      payload: { transactionId },
    });
    expect(stop.body.results).toEqual([
      { status: 'Answered', identity: 'CP-1', response: { status: 'Accepted' } },
    ]);
    expect(cp.remoteStops).toEqual([transactionId]);
    await client.call('StopTransaction', {
      transactionId,
      meterStop: 11_500,
      timestamp: new Date().toISOString(),
      reason: 'Remote',
      transactionData: [
        {
          timestamp: new Date().toISOString(),
          sampledValue: [{ value: '11500', context: 'Transaction.End' }],
        },
      ],
    });
    list = (await csms.api('GET', `/api/transactions/${transactionId}`)).body;
    expect(list).toMatchObject({ energyWh: 1500, stopReason: 'Remote', meterValueCount: 3 });
    expect((await csms.api('GET', '/api/charge-points/CP-1')).body.chargingProfiles).toHaveLength(
      1,
    );
  });

  test('whitepaper §2.4 profile 2 on the data-directory CA: TLS with Basic auth, the root a charge point trusts is in ca/root.pem, keys are 0600', async () => {
    const csms = await startTestCsms({
      ...platform,
      listeners: [{ securityProfile: 2, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      http: { host: '127.0.0.1', port: 0 },
      configuration: {},
    });
    const key = '00112233445566778899AABBCCDDEEFF01020304';
    await csms.api('POST', '/api/charge-points', {
      identity: 'CP-2',
      securityProfile: 2,
      authorizationKey: key,
    });
    const client = await testChargePoint(csms.ocppUrl, 'CP-2', {
      securityProfile: 2,
      authorizationKey: Buffer.from(key, 'hex'),
      tls: { ca: readFileSync(join(csms.dataDir, 'ca', 'root.pem')), servername: 'localhost' },
    });
    scriptedChargePoint(client);
    await client.connect();
    expect((await client.call('BootNotification', boot)).status).toBe('Pending');
    await expect.poll(() => csms.csms.get('CP-2')?.accepted).toBe(true);
    expect(statSync(join(csms.dataDir, 'ca', 'sub-ca.key')).mode & 0o777).toBe(0o600);
    const wrong = await testChargePoint(csms.ocppUrl, 'CP-2', {
      securityProfile: 2,
      authorizationKey: Buffer.from(key.replace('00', 'FF'), 'hex'),
      tls: { ca: readFileSync(join(csms.dataDir, 'ca', 'root.pem')), servername: 'localhost' },
    });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'AuthenticationFailed' });
  });

  test('a restart keeps charge points, transactions and the CA: the same data directory, the same answers', async () => {
    const first = await startTestCsms({ configuration: {}, readConfiguration: false });
    await first.api('POST', '/api/charge-points', { identity: 'CP-1', securityProfile: 0 });
    const client = await testChargePoint(first.ocppUrl, 'CP-1');
    await client.connect();
    await client.call('BootNotification', boot);
    const started = {
      connectorId: 1,
      idTag: 'X',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    };
    const { transactionId } = await client.call('StartTransaction', started);
    await client.close();
    const root = readFileSync(join(first.dataDir, 'ca', 'root.pem'), 'utf8');
    await first.close();
    const second = await startTestCsms(
      { configuration: {}, readConfiguration: false },
      first.dataDir,
    );
    const again = await testChargePoint(second.ocppUrl, 'CP-1');
    await again.connect();
    // §4.2: no new boot after a reconnect; the Accepted registration was kept on disk.
    expect((await again.call('StartTransaction', started)).transactionId).toBe(transactionId);
    expect(readFileSync(join(second.dataDir, 'ca', 'root.pem'), 'utf8')).toBe(root);
  });
});
