// OCTT 1.6 `_CSMS` cases of the Core profile against the reference CSMS (docs/conformance.md).
import { describe, expect, test } from 'vitest';
import { answered, idTags, type Octt, octt } from '../test-support/octt.js';

const ok = {};
const status = (
  t: Octt,
  connectorId: number,
  value:
    | 'Available'
    | 'Preparing'
    | 'Charging'
    | 'SuspendedEV'
    | 'Finishing'
    | 'Reserved'
    | 'Faulted'
    | 'Unavailable',
  errorCode: 'NoError' | 'ConnectorLockFailure' = 'NoError',
) => t.cp.call('StatusNotification', { connectorId, errorCode, status: value, timestamp: t.now() });

async function start(
  t: Octt,
  idTag: string = idTags.accepted,
  timestamp = t.now(),
  reservationId?: number,
) {
  return t.cp.call('StartTransaction', {
    connectorId: 1,
    idTag,
    meterStart: 1_000,
    timestamp,
    ...(reservationId === undefined ? {} : { reservationId }),
  });
}

async function stop(
  t: Octt,
  transactionId: number,
  reason:
    | 'Local'
    | 'Remote'
    | 'EVDisconnected'
    | 'PowerLoss'
    | 'SoftReset'
    | 'HardReset'
    | 'UnlockCommand'
    | 'DeAuthorized',
  timestamp = t.now(),
) {
  return t.cp.call('StopTransaction', {
    transactionId,
    meterStop: 1_750,
    timestamp,
    reason,
    idTag: idTags.accepted,
  });
}

async function transaction(t: Octt, transactionId: number) {
  return (await t.csms.api('GET', `/api/transactions/${transactionId}`)).body;
}

describe('OCTT Core (_CSMS)', () => {
  test('TC_001_CSMS cold boot charge point: Accepted with an interval, statuses and heartbeats answered', async () => {
    const t = await octt({ boot: false });
    const boot = await t.cp.call('BootNotification', {
      chargePointVendor: 'OCTT',
      chargePointModel: 'Tool',
    });
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(await status(t, 0, 'Available')).toEqual(ok);
    expect(await status(t, 1, 'Available')).toEqual(ok);
    expect(Date.parse((await t.cp.call('Heartbeat', {})).currentTime)).not.toBeNaN();
  });

  test('TC_003_CSMS regular charging session, plugin first: transaction recorded with its energy', async () => {
    const t = await octt();
    await status(t, 1, 'Preparing');
    expect((await t.cp.call('Authorize', { idTag: idTags.accepted })).idTagInfo.status).toBe(
      'Accepted',
    );
    const { transactionId, idTagInfo } = await start(t);
    expect(idTagInfo.status).toBe('Accepted');
    await status(t, 1, 'Charging');
    await t.cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: t.now(), sampledValue: [{ value: '1500' }] }],
    });
    await stop(t, transactionId, 'Local');
    await status(t, 1, 'Finishing');
    expect(await transaction(t, transactionId)).toMatchObject({
      energyWh: 750,
      stopReason: 'Local',
    });
  });

  test('TC_004_1_CSMS regular charging session, identification first', async () => {
    const t = await octt();
    expect((await t.cp.call('Authorize', { idTag: idTags.accepted })).idTagInfo.status).toBe(
      'Accepted',
    );
    await status(t, 1, 'Preparing');
    const { transactionId } = await start(t);
    await status(t, 1, 'Charging');
    await stop(t, transactionId, 'Local');
    expect(await transaction(t, transactionId)).toMatchObject({
      stopReason: 'Local',
      meterStop: 1_750,
    });
  });

  test('TC_004_2_CSMS identification first, connection timeout: back to Available, no transaction', async () => {
    const t = await octt();
    await t.cp.call('Authorize', { idTag: idTags.accepted });
    await status(t, 1, 'Preparing');
    expect(await status(t, 1, 'Available')).toEqual(ok);
    expect((await t.csms.api('GET', '/api/transactions')).body.transactions).toEqual([]);
    expect(
      (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body.connectors[0].status,
    ).toBe('Available');
  });

  test('TC_005_1_CSMS EV side disconnected: the stop with reason EVDisconnected is recorded', async () => {
    const t = await octt();
    const { transactionId } = await start(t);
    await status(t, 1, 'SuspendedEV');
    await stop(t, transactionId, 'EVDisconnected');
    await status(t, 1, 'Finishing');
    expect((await transaction(t, transactionId)).stopReason).toBe('EVDisconnected');
  });

  test('TC_007_CSMS start with a cached id: no Authorize, StartTransaction Accepted', async () => {
    const t = await octt();
    expect((await start(t)).idTagInfo.status).toBe('Accepted');
  });

  test('TC_061_CSMS clear the Authorization Cache', async () => {
    const t = await octt();
    t.answer('ClearCache', () => ({ status: 'Accepted' }));
    expect(await t.command('ClearCache', {})).toEqual(answered({ status: 'Accepted' }));
  });

  test('TC_010_CSMS remote start, cable plugged in first', async () => {
    const t = await octt();
    await status(t, 1, 'Preparing');
    t.answer('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    expect(
      await t.command('RemoteStartTransaction', { connectorId: 1, idTag: idTags.accepted }),
    ).toEqual(answered({ status: 'Accepted' }));
    expect((await start(t)).idTagInfo.status).toBe('Accepted');
  });

  test('TC_011_1_CSMS remote start first', async () => {
    const t = await octt();
    t.answer('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    await t.command('RemoteStartTransaction', { idTag: idTags.accepted });
    await status(t, 1, 'Preparing');
    const { transactionId } = await start(t);
    await status(t, 1, 'Charging');
    expect(transactionId).toBeGreaterThan(0);
  });

  test('TC_011_2_CSMS remote start, time out: the connector returns to Available', async () => {
    const t = await octt();
    t.answer('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    await t.command('RemoteStartTransaction', { idTag: idTags.accepted });
    await status(t, 1, 'Preparing');
    expect(await status(t, 1, 'Available')).toEqual(ok);
    expect((await t.csms.api('GET', '/api/transactions')).body.transactions).toEqual([]);
  });

  test('TC_012_CSMS remote stop charging session', async () => {
    const t = await octt();
    const { transactionId } = await start(t);
    t.answer('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    expect(await t.command('RemoteStopTransaction', { transactionId })).toEqual(
      answered({ status: 'Accepted' }),
    );
    await stop(t, transactionId, 'Remote');
    expect((await transaction(t, transactionId)).stopReason).toBe('Remote');
  });

  test('TC_013_CSMS hard reset: Accepted, then the charge point boots again and is Accepted', async () => {
    const t = await octt();
    t.answer('Reset', () => ({ status: 'Accepted' }));
    expect(await t.command('Reset', { type: 'Hard' })).toEqual(answered({ status: 'Accepted' }));
    const cp = await t.reconnect();
    expect(
      (await cp.call('BootNotification', { chargePointVendor: 'OCTT', chargePointModel: 'Tool' }))
        .status,
    ).toBe('Accepted');
  });

  test('TC_014_CSMS soft reset: the running transaction stops with SoftReset, then a new boot', async () => {
    const t = await octt();
    const { transactionId } = await start(t);
    t.answer('Reset', () => ({ status: 'Accepted' }));
    expect(await t.command('Reset', { type: 'Soft' })).toEqual(answered({ status: 'Accepted' }));
    await stop(t, transactionId, 'SoftReset');
    const cp = await t.reconnect();
    expect(
      (await cp.call('BootNotification', { chargePointVendor: 'OCTT', chargePointModel: 'Tool' }))
        .status,
    ).toBe('Accepted');
    expect((await transaction(t, transactionId)).stopReason).toBe('SoftReset');
  });

  test('TC_017_1_CSMS unlock connector, no session (not fixed cable): Unlocked', async () => {
    const t = await octt();
    t.answer('UnlockConnector', () => ({ status: 'Unlocked' }));
    expect(await t.command('UnlockConnector', { connectorId: 1 })).toEqual(
      answered({ status: 'Unlocked' }),
    );
  });

  test('TC_017_2_CSMS unlock connector, fixed cable: NotSupported is reported', async () => {
    const t = await octt();
    t.answer('UnlockConnector', () => ({ status: 'NotSupported' }));
    expect(await t.command('UnlockConnector', { connectorId: 1 })).toEqual(
      answered({ status: 'NotSupported' }),
    );
  });

  test('TC_018_1_CSMS unlock connector with a session: the transaction stops with UnlockCommand', async () => {
    const t = await octt();
    const { transactionId } = await start(t);
    t.answer('UnlockConnector', () => ({ status: 'Unlocked' }));
    await t.command('UnlockConnector', { connectorId: 1 });
    await stop(t, transactionId, 'UnlockCommand');
    expect((await transaction(t, transactionId)).stopReason).toBe('UnlockCommand');
  });

  test('TC_019_1_CSMS retrieve all configuration keys: stored and shown by the API', async () => {
    const t = await octt();
    t.answer('GetConfiguration', () => ({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'NumberOfConnectors', readonly: true, value: '1' },
      ],
    }));
    await t.command('GetConfiguration', {});
    const { configuration } = (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body;
    expect(configuration).toEqual([
      expect.objectContaining({ key: 'HeartbeatInterval', value: '300', readonly: false }),
      expect.objectContaining({ key: 'NumberOfConnectors', value: '1', readonly: true }),
    ]);
  });

  test('TC_019_2_CSMS retrieve a specific configuration key', async () => {
    const t = await octt();
    t.answer('GetConfiguration', ({ key }) => ({
      configurationKey: (key ?? []).map((k) => ({ key: k, readonly: false, value: '60' })),
    }));
    const outcome = await t.command('GetConfiguration', { key: ['MeterValueSampleInterval'] });
    expect(outcome.response.configurationKey).toEqual([
      { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
    ]);
    expect(t.received('GetConfiguration')).toEqual([{ key: ['MeterValueSampleInterval'] }]);
  });

  test('TC_021_CSMS change/set configuration', async () => {
    const t = await octt();
    t.answer('ChangeConfiguration', () => ({ status: 'Accepted' }));
    expect(
      await t.command('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' }),
    ).toEqual(answered({ status: 'Accepted' }));
  });

  test('TC_023_1_CSMS Authorize invalid', async () => {
    const t = await octt();
    expect((await t.cp.call('Authorize', { idTag: idTags.invalid })).idTagInfo.status).toBe(
      'Invalid',
    );
  });

  test('TC_023_2_CSMS Authorize expired', async () => {
    const t = await octt();
    expect((await t.cp.call('Authorize', { idTag: idTags.expired })).idTagInfo.status).toBe(
      'Expired',
    );
  });

  test('TC_023_3_CSMS Authorize blocked', async () => {
    const t = await octt();
    expect((await t.cp.call('Authorize', { idTag: idTags.blocked })).idTagInfo.status).toBe(
      'Blocked',
    );
  });

  test('TC_024_CSMS start charging session lock failure: the Faulted status with its error code is kept', async () => {
    const t = await octt();
    await t.cp.call('Authorize', { idTag: idTags.accepted });
    await status(t, 1, 'Faulted', 'ConnectorLockFailure');
    const { connectors } = (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body;
    expect(connectors[0]).toMatchObject({ status: 'Faulted', errorCode: 'ConnectorLockFailure' });
  });

  test('TC_026_CSMS remote start rejected: reported as the charge point answered', async () => {
    const t = await octt();
    t.answer('RemoteStartTransaction', () => ({ status: 'Rejected' }));
    expect(await t.command('RemoteStartTransaction', { idTag: idTags.accepted })).toEqual(
      answered({ status: 'Rejected' }),
    );
  });

  test('TC_028_CSMS remote stop rejected for an unknown transaction', async () => {
    const t = await octt();
    t.answer('RemoteStopTransaction', () => ({ status: 'Rejected' }));
    expect(await t.command('RemoteStopTransaction', { transactionId: 99_999 })).toEqual(
      answered({ status: 'Rejected' }),
    );
  });

  test('TC_030_CSMS unlock connector, unlock failure', async () => {
    const t = await octt();
    t.answer('UnlockConnector', () => ({ status: 'UnlockFailed' }));
    expect(await t.command('UnlockConnector', { connectorId: 1 })).toEqual(
      answered({ status: 'UnlockFailed' }),
    );
  });

  test('TC_031_CSMS unlock connector, unknown connector', async () => {
    const t = await octt();
    t.answer('UnlockConnector', () => ({ status: 'NotSupported' }));
    expect(await t.command('UnlockConnector', { connectorId: 9 })).toEqual(
      answered({ status: 'NotSupported' }),
    );
  });

  test('TC_032_1_CSMS power failure boot, transactions stopped: the PowerLoss stop after the boot is recorded', async () => {
    const t = await octt();
    const { transactionId } = await start(t);
    const cp = await t.reconnect();
    expect(
      (await cp.call('BootNotification', { chargePointVendor: 'OCTT', chargePointModel: 'Tool' }))
        .status,
    ).toBe('Accepted');
    await stop(t, transactionId, 'PowerLoss', t.now(-60_000));
    await status(t, 1, 'Available');
    expect((await transaction(t, transactionId)).stopReason).toBe('PowerLoss');
  });

  test('TC_037_1_CSMS offline start, valid idTag: the queued start arrives after reconnecting and is Accepted', async () => {
    const t = await octt();
    const startedOffline = t.now(-300_000);
    await t.reconnect();
    const { transactionId, idTagInfo } = await start(t, idTags.accepted, startedOffline);
    expect(idTagInfo.status).toBe('Accepted');
    expect((await transaction(t, transactionId)).startedAt).toBe(
      new Date(Date.parse(startedOffline)).toISOString(),
    );
  });

  test('TC_037_3_CSMS offline start, invalid idTag: answered Invalid, the DeAuthorized stop is recorded', async () => {
    const t = await octt();
    await t.reconnect();
    const { transactionId, idTagInfo } = await start(t, idTags.invalid, t.now(-300_000));
    expect(idTagInfo.status).toBe('Invalid');
    await stop(t, transactionId, 'DeAuthorized');
    expect((await transaction(t, transactionId)).stopReason).toBe('DeAuthorized');
  });

  test('TC_039_CSMS offline transaction: queued start, readings and stop after reconnecting, one transaction', async () => {
    const t = await octt();
    await t.reconnect();
    const { transactionId } = await start(t, idTags.accepted, t.now(-600_000));
    await t.cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: t.now(-300_000), sampledValue: [{ value: '1300' }] }],
    });
    await stop(t, transactionId, 'Local', t.now(-60_000));
    const { transactions } = (await t.csms.api('GET', '/api/transactions')).body;
    expect(transactions).toEqual([expect.objectContaining({ transactionId, energyWh: 750 })]);
  });

  test('TC_040_1_CSMS configuration key not supported: NotSupported is reported', async () => {
    const t = await octt();
    t.answer('ChangeConfiguration', () => ({ status: 'NotSupported' }));
    expect(await t.command('ChangeConfiguration', { key: 'VendorKey', value: '1' })).toEqual(
      answered({ status: 'NotSupported' }),
    );
  });

  test('TC_040_2_CSMS configuration key rejected: Rejected is reported', async () => {
    const t = await octt();
    t.answer('ChangeConfiguration', () => ({ status: 'Rejected' }));
    expect(
      await t.command('ChangeConfiguration', { key: 'HeartbeatInterval', value: '-5' }),
    ).toEqual(answered({ status: 'Rejected' }));
  });

  test('TC_064_CSMS data transfer to the central system: an unknown vendor is answered UnknownVendorId', async () => {
    const t = await octt();
    expect(
      await t.cp.call('DataTransfer', { vendorId: 'com.example', messageId: 'x', data: 'y' }),
    ).toEqual({ status: 'UnknownVendorId' });
  });
});
