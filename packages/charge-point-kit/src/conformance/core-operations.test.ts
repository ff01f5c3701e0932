// OCTT 1.6 `_CS` cases of the Core profile: configuration, meter values, power failure, offline
// operation, faults and data transfer.
import type { MeterValue } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { settle } from '../test-helpers/accepted.js';
import { comeBack, goOffline, scenario } from '../test-helpers/scenario.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';

const offline = {
  LocalAuthorizeOffline: true,
  AllowOfflineTxForUnknownId: true,
} as const;

async function charging(sut: Awaited<ReturnType<typeof scenario>>, idTag = 'OCTT1') {
  sut.chargePoint.plugIn(1);
  await sut.chargePoint.presentIdTag(idTag, 1);
  await next(sut.chargePoint, 'transactionStarted');
}

describe('OCTT Core (_CS): configuration', () => {
  test('TC_019_CS Retrieve configuration', async () => {
    const sut = await scenario();
    const all = await sut.connection.call('GetConfiguration', {});
    const keys = all.configurationKey?.map((k) => k.key) ?? [];
    for (const key of ['HeartbeatInterval', 'MeterValueSampleInterval', 'NumberOfConnectors']) {
      expect(keys).toContain(key);
    }
    await expect(
      sut.connection.call('GetConfiguration', { key: ['HeartbeatInterval'] }),
    ).resolves.toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
    });
  });

  test('TC_021_CS Change/set Configuration', async () => {
    const sut = await scenario();
    await expect(
      sut.connection.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '120' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      sut.connection.call('GetConfiguration', { key: ['MeterValueSampleInterval'] }),
    ).resolves.toMatchObject({ configurationKey: [{ value: '120' }] });
  });

  test('TC_040_1_CS Configuration key - NotSupported', async () => {
    const sut = await scenario();
    await expect(
      sut.connection.call('ChangeConfiguration', { key: 'NoSuchKey', value: '1' }),
    ).resolves.toEqual({ status: 'NotSupported' });
  });

  test('TC_040_2_CS Configuratoin key - Invalid value', async () => {
    const sut = await scenario();
    await expect(
      sut.connection.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '-5' }),
    ).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('OCTT Core (_CS): meter values', () => {
  test('TC_070_CS Sampled Meter Values', async () => {
    const sut = await scenario({
      configuration: {
        values: {
          MeterValueSampleInterval: 1,
          MeterValuesSampledData: ['Energy.Active.Import.Register', 'Power.Active.Import'],
          StopTxnSampledData: ['Energy.Active.Import.Register'],
        },
      },
    });
    sut.hardware.readings.set(1, { energyWh: 10, powerW: 7000 });
    await charging(sut);
    const [sample] = await sut.csms.waitFor('MeterValues', 1, 4_000);
    const value = (sample?.payload.meterValue as MeterValue[] | undefined)?.[0];
    expect(value?.sampledValue.map((v) => [v.measurand, v.context])).toEqual([
      ['Energy.Active.Import.Register', 'Sample.Periodic'],
      ['Power.Active.Import', 'Sample.Periodic'],
    ]);
    expect(sample?.payload.transactionId).toBe(101);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    const [stop] = await sut.csms.waitFor('StopTransaction');
    expect(
      (stop?.payload.transactionData as MeterValue[] | undefined)?.length,
    ).toBeGreaterThanOrEqual(2);
  });

  test('TC_071_CS Clock-aligned Meter Values', async () => {
    const sut = await scenario({
      configuration: {
        values: {
          ClockAlignedDataInterval: 1,
          MeterValuesAlignedData: ['Energy.Active.Import.Register'],
        },
      },
    });
    const values = await sut.csms.waitFor('MeterValues', 2, 4_000);
    const contexts = values.flatMap((r) =>
      (r.payload.meterValue as MeterValue[]).flatMap((m) => m.sampledValue.map((v) => v.context)),
    );
    expect(new Set(contexts)).toEqual(new Set(['Sample.Clock']));
  });
});

describe('OCTT Core (_CS): power failure', () => {
  test('TC_032_1_CS Power failure boot charging point - configured to stop transaction(s) before going down', async () => {
    const sut = await scenario();
    await charging(sut);
    await sut.csms.waitFor('StartTransaction');
    await sut.chargePoint.powerFailing();
    await sut.csms.waitFor('StopTransaction');
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ reason: 'PowerLoss' });
  });

  test('TC_032_2_CS Power failure boot charging point-configured to stop transaction(s)', async () => {
    const sut = await scenario();
    await charging(sut);
    await sut.csms.waitFor('StartTransaction');
    await settle();
    await sut.chargePoint.stop();
    // The power comes back: the interrupted transaction is stopped (afterRestart 'stop').
    const rebooted = testChargePoint(sut.csms.url, { storage: { directory: sut.directory } });
    await rebooted.chargePoint.start();
    const [stop] = await sut.csms.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({ reason: 'PowerLoss', transactionId: 101 });
    await sut.csms.waitFor('BootNotification', 2);
  });

  test('TC_034_CS Power Failure with Unavailable Status', async () => {
    const sut = await scenario();
    await sut.connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await settle();
    await sut.chargePoint.stop();
    const rebooted = testChargePoint(sut.csms.url, { storage: { directory: sut.directory } });
    await rebooted.chargePoint.start();
    await sut.csms.waitFor('BootNotification', 2);
    await sut.csms.waitFor('StatusNotification', 7);
    const afterBoot = sut.payloads('StatusNotification').slice(-3);
    expect(afterBoot.find((p) => p.connectorId === 1)?.status).toBe('Unavailable');
  });
});

describe('OCTT Core (_CS): offline operation', () => {
  test('TC_036_CS Connection Loss During Transaction', async () => {
    const sut = await scenario({ configuration: { values: { MeterValueSampleInterval: 1 } } });
    await charging(sut);
    await sut.csms.waitFor('StartTransaction');
    await goOffline(sut);
    await settle(2_200);
    const back = await comeBack(sut);
    // The readings taken offline arrive once the connection is back (§3.7).
    const values = await back.waitFor('MeterValues', 2, 4_000);
    expect(values.every((v) => v.payload.transactionId === 101)).toBe(true);
  });

  test('TC_037_1_CS Offline Start Transaction - Valid IdTag', async () => {
    const sut = await scenario({ configuration: { values: offline } });
    await sut.chargePoint.authorize('OCTT1');
    await goOffline(sut);
    await charging(sut);
    expect(sut.chargePoint.status(1)).toBe('Charging');
    const back = await comeBack(sut);
    const [start] = await back.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ idTag: 'OCTT1' });
  });

  test.each([
    [
      'TC_037_2_CS Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = false',
      false,
    ],
    [
      'TC_037_3_CS Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = true',
      true,
    ],
  ] as const)('%s', async (_, stopOnInvalid) => {
    const sut = await scenario({
      configuration: { values: { ...offline, StopTransactionOnInvalidId: stopOnInvalid } },
    });
    await goOffline(sut);
    await charging(sut, 'STRANGER');
    const back = await startTestCsms({}, sut.csms.port);
    back.answers.StartTransaction = () => ({ transactionId: 7, idTagInfo: { status: 'Invalid' } });
    await next(sut.chargePoint, 'accepted');
    await back.waitFor('StartTransaction');
    if (stopOnInvalid) {
      const [stop] = await back.waitFor('StopTransaction');
      expect(stop?.payload).toMatchObject({ transactionId: 7, reason: 'DeAuthorized' });
    } else {
      await settle(100);
      // Errata 3.17: the transaction goes on without energy.
      expect(sut.chargePoint.status(1)).toBe('SuspendedEVSE');
      expect(back.received.some((r) => r.action === 'StopTransaction')).toBe(false);
    }
  });

  test('TC_038_CS Offline Stop Transaction', async () => {
    const sut = await scenario({ configuration: { values: offline } });
    await charging(sut);
    await sut.csms.waitFor('StartTransaction');
    await goOffline(sut);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    const back = await comeBack(sut);
    const [stop] = await back.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({ transactionId: 101, reason: 'Local' });
  });

  test('TC_039_CS Offline Transaction', async () => {
    const sut = await scenario({ configuration: { values: offline } });
    await goOffline(sut);
    await charging(sut);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    const back = await comeBack(sut);
    await back.waitFor('StopTransaction');
    expect(back.received.map((r) => r.action).filter((a) => a.endsWith('Transaction'))).toEqual([
      'StartTransaction',
      'StopTransaction',
    ]);
  });
});

describe('OCTT Core (_CS): faults and data transfer', () => {
  test('TC_041_CS Fault Behavior', async () => {
    const sut = await scenario();
    sut.chargePoint.raiseFault(1, { errorCode: 'GroundFailure', vendorErrorCode: 'RCD' });
    await settle();
    expect(sut.payloads('StatusNotification').at(-1)).toMatchObject({
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      vendorErrorCode: 'RCD',
    });
    sut.chargePoint.clearFault(1);
    await settle();
    expect(sut.payloads('StatusNotification').at(-1)).toMatchObject({
      connectorId: 1,
      status: 'Available',
      errorCode: 'NoError',
    });
  });

  test('TC_062_CS Data Transfer to a Charge Point', async () => {
    const sut = await scenario({
      dataTransfer: {
        'com.example': (request) => ({ status: 'Accepted', data: `echo ${request.data}` }),
      },
    });
    await expect(
      sut.connection.call('DataTransfer', { vendorId: 'com.example', data: 'ping' }),
    ).resolves.toEqual({ status: 'Accepted', data: 'echo ping' });
    await expect(sut.connection.call('DataTransfer', { vendorId: 'org.unknown' })).resolves.toEqual(
      { status: 'UnknownVendorId' },
    );
  });
});
