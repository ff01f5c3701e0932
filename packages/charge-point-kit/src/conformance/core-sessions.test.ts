// OCTT 1.6 `_CS` cases of the Core profile: boot, charging sessions, remote control, reset, unlock.
import { describe, expect, test } from 'vitest';
import { settle } from '../test-helpers/accepted.js';
import { scenario } from '../test-helpers/scenario.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, startTestCsms } from '../test-helpers/test-csms.js';

describe('OCTT Core (_CS): boot', () => {
  test('TC_001_CS Cold Boot Charge Point', async () => {
    const sut = await scenario();
    expect(sut.payloads('BootNotification')[0]).toMatchObject({
      chargePointVendor: 'ocpp-kit',
      chargePointModel: 'Test Wallbox',
    });
    // §4.2: after Accepted, the status of connector 0 and of every connector.
    expect([0, 1, 2].map((id) => sut.statusesOf(id))).toEqual([
      ['Available'],
      ['Available'],
      ['Available'],
    ]);
  });

  test('TC_002_CS Cold Boot Charge Point - Pending', async () => {
    const csms = await startTestCsms();
    const boots = answerBoots(csms, ['Pending', 'Accepted'], 1);
    const { chargePoint } = testChargePoint(csms.url);
    await chargePoint.start();
    await next(chargePoint, 'registration');
    expect(chargePoint.registration).toBe('Pending');
    await next(chargePoint, 'accepted');
    await csms.waitFor('StatusNotification', 3);
    expect(boots()).toBe(2);
    // §4.2: nothing but BootNotification while Pending.
    const accepted = csms.received.findLastIndex((r) => r.action === 'BootNotification');
    expect(csms.received.slice(0, accepted + 1).map((r) => r.action)).toEqual([
      'BootNotification',
      'BootNotification',
    ]);
  });
});

describe('OCTT Core (_CS): charging sessions', () => {
  test('TC_003_CS Regular Charging Session - Plugin First', async () => {
    const sut = await scenario();
    sut.hardware.readings.set(1, { energyWh: 100 });
    sut.chargePoint.plugIn(1);
    await expect(sut.chargePoint.presentIdTag('OCTT1', 1)).resolves.toMatchObject({
      outcome: 'Authorized',
    });
    await sut.csms.waitFor('StartTransaction');
    sut.hardware.readings.set(1, { energyWh: 900 });
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StopTransaction');
    sut.chargePoint.unplug(1);
    await settle();
    expect(sut.payloads('Authorize')).toEqual([{ idTag: 'OCTT1' }]);
    expect(sut.payloads('StartTransaction')[0]).toMatchObject({ connectorId: 1, meterStart: 100 });
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ meterStop: 900, reason: 'Local' });
    expect(sut.statusesOf(1)).toEqual([
      'Available',
      'Preparing',
      'Charging',
      'Finishing',
      'Available',
    ]);
  });

  test('TC_004_1_CS Regular Charging Session – Identification First', async () => {
    const sut = await scenario();
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await settle();
    expect(sut.chargePoint.status(1)).toBe('Preparing');
    sut.chargePoint.plugIn(1);
    await sut.csms.waitFor('StartTransaction');
    await settle();
    expect(sut.statusesOf(1)).toEqual(['Available', 'Preparing', 'Charging']);
  });

  test('TC_004_2_CS Regular Charging Session – Identification First - ConnectionTimeOut', async () => {
    const sut = await scenario({ configuration: { values: { ConnectionTimeOut: 1 } } });
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await settle(1_300);
    expect(sut.statusesOf(1)).toEqual(['Available', 'Preparing', 'Available']);
    expect(sut.payloads('StartTransaction')).toEqual([]);
  });

  test('TC_068_CS Stop transaction - IdTag in StopTransaction matches IdTag in StartTransaction', async () => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    await expect(sut.chargePoint.presentIdTag('OCTT1')).resolves.toEqual({
      outcome: 'Stopped',
      connectorId: 1,
    });
    await sut.csms.waitFor('StopTransaction');
    // §4.1: the idTag that started it stops it without an Authorize.
    expect(sut.payloads('Authorize')).toHaveLength(1);
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ idTag: 'OCTT1', reason: 'Local' });
  });

  test('TC_069_CS Stop transaction - ParentIdTag in StopTransaction matches ParentIdTag in StartTransaction', async () => {
    const sut = await scenario();
    sut.csms.answers.Authorize = () => ({
      idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' },
    });
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('DRIVER1', 1);
    await sut.csms.waitFor('StartTransaction');
    await expect(sut.chargePoint.presentIdTag('DRIVER2', 1)).resolves.toEqual({
      outcome: 'Stopped',
      connectorId: 1,
    });
    await sut.csms.waitFor('StopTransaction');
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ idTag: 'DRIVER2' });
  });

  test.each([
    ['TC_005_1_CS', true, ['Charging', 'Available'], [1]],
    ['TC_005_2_CS', false, ['Charging', 'Available'], []],
  ] as const)(
    '%s EV Side Disconnected - StopTransactionOnEVSideDisconnect = true - UnlockConnectorOnEVSideDisconnect = %s',
    async (_, unlock, statuses, unlocks) => {
      const sut = await scenario({
        configuration: {
          values: {
            StopTransactionOnEVSideDisconnect: true,
            UnlockConnectorOnEVSideDisconnect: unlock,
          },
        },
      });
      sut.chargePoint.plugIn(1);
      await sut.chargePoint.presentIdTag('OCTT1', 1);
      await sut.csms.waitFor('StartTransaction');
      sut.chargePoint.unplug(1);
      await sut.csms.waitFor('StopTransaction');
      await settle();
      expect(sut.payloads('StopTransaction')[0]).toMatchObject({ reason: 'EVDisconnected' });
      // §4.9 C1: the cable unplugged at the EV ends the transaction straight to Available.
      expect(sut.statusesOf(1).slice(-statuses.length)).toEqual(statuses);
      expect(sut.hardware.unlocks).toEqual(unlocks);
    },
  );

  test('TC_005_3_CS EV Side Disconnected - StopTransactionOnEVSideDisconnect = false - UnlockConnectorOnEVSideDisconnect = false', async () => {
    const sut = await scenario({
      configuration: {
        values: {
          StopTransactionOnEVSideDisconnect: false,
          UnlockConnectorOnEVSideDisconnect: false,
        },
      },
    });
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    sut.chargePoint.unplug(1);
    await settle();
    expect(sut.chargePoint.status(1)).toBe('SuspendedEV');
    expect(sut.payloads('StopTransaction')).toEqual([]);
    sut.chargePoint.plugIn(1);
    await settle();
    expect(sut.statusesOf(1).slice(-3)).toEqual(['Charging', 'SuspendedEV', 'Charging']);
  });

  test('TC_007_CS Regular Start Charging Session – Cached Id', async () => {
    const sut = await scenario({ configuration: { values: { LocalPreAuthorize: true } } });
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StopTransaction');
    sut.chargePoint.unplug(1);
    // The second start comes from the Authorization Cache: no Authorize.req (§3.5.1).
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction', 2);
    expect(sut.payloads('Authorize')).toHaveLength(1);
  });

  test('TC_061_CS Clear Authorization Data in Authorization Cache', async () => {
    const sut = await scenario({ configuration: { values: { LocalPreAuthorize: true } } });
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await expect(sut.connection.call('ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    sut.chargePoint.unplug(1);
    await settle();
    await sut.chargePoint.presentIdTag('OCTT1', 2);
    expect(sut.payloads('Authorize')).toHaveLength(2);
  });

  test('TC_023_CS Start Charging Session – Authorize invalid', async () => {
    const sut = await scenario();
    sut.csms.answers.Authorize = () => ({ idTagInfo: { status: 'Invalid' } });
    sut.chargePoint.plugIn(1);
    await expect(sut.chargePoint.presentIdTag('UNKNOWN', 1)).resolves.toMatchObject({
      outcome: 'Rejected',
      reason: 'NotAuthorized',
    });
    await settle();
    expect(sut.payloads('StartTransaction')).toEqual([]);
    expect(sut.chargePoint.status(1)).toBe('Preparing');
  });

  test('TC_024_CS Start Charging Session - Lock Failure', async () => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    // The adapter reports the lock failing as the cable goes in (§7.6 ConnectorLockFailure).
    sut.chargePoint.raiseFault(1, { errorCode: 'ConnectorLockFailure' });
    await expect(sut.chargePoint.presentIdTag('OCTT1', 1)).resolves.toMatchObject({
      outcome: 'Rejected',
      reason: 'NoConnector',
    });
    await settle();
    expect(sut.payloads('StatusNotification').at(-1)).toMatchObject({
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'ConnectorLockFailure',
    });
    expect(sut.payloads('StartTransaction')).toEqual([]);
  });
});

describe('OCTT Core (_CS): remote control', () => {
  test('TC_010_CS Remote Start Charging Session – Cable Plugged in First', async () => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    await expect(
      sut.connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OCTT1' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await sut.csms.waitFor('StartTransaction');
    await settle();
    expect(sut.statusesOf(1)).toEqual(['Available', 'Preparing', 'Charging']);
  });

  test('TC_011_1_CS Remote Start Charging Session – Remote Start First', async () => {
    const sut = await scenario();
    await sut.connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OCTT1' });
    await settle();
    expect(sut.chargePoint.status(1)).toBe('Preparing');
    sut.chargePoint.plugIn(1);
    await sut.csms.waitFor('StartTransaction');
    expect(sut.payloads('StartTransaction')[0]).toMatchObject({ idTag: 'OCTT1', connectorId: 1 });
  });

  test('TC_011_2_CS Remote Start Charging Session – Time Out', async () => {
    const sut = await scenario({ configuration: { values: { ConnectionTimeOut: 1 } } });
    await sut.connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OCTT1' });
    await settle(1_300);
    expect(sut.statusesOf(1)).toEqual(['Available', 'Preparing', 'Available']);
    expect(sut.payloads('StartTransaction')).toEqual([]);
  });

  test('TC_012_CS Remote Stop Charging Session', async () => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    await settle();
    await expect(
      sut.connection.call('RemoteStopTransaction', { transactionId: 101 }),
    ).resolves.toEqual({ status: 'Accepted' });
    await sut.csms.waitFor('StopTransaction');
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({
      transactionId: 101,
      reason: 'Remote',
    });
  });

  test('TC_026_CS Remote Start Charging Session – Rejected', async () => {
    const sut = await scenario();
    await sut.connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await expect(
      sut.connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OCTT1' }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('TC_027_CS Remote start transaction - connector id shall not be 0', async () => {
    const sut = await scenario();
    await expect(
      sut.connection.call('RemoteStartTransaction', { connectorId: 0, idTag: 'OCTT1' }),
    ).resolves.toEqual({ status: 'Rejected' });
    await settle();
    expect(sut.payloads('StartTransaction')).toEqual([]);
  });

  test('TC_028_CS Remote Stop Transaction – Rejected', async () => {
    const sut = await scenario();
    await expect(
      sut.connection.call('RemoteStopTransaction', { transactionId: 4242 }),
    ).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('OCTT Core (_CS): reset', () => {
  test.each([
    ['TC_013_CS Hard Reset Without transaction', 'Hard'],
    ['TC_014_CS Soft Reset Without Transaction', 'Soft'],
  ] as const)('%s', async (_, type) => {
    const sut = await scenario();
    const reset = next(sut.chargePoint, 'reset');
    await expect(sut.connection.call('Reset', { type })).resolves.toEqual({ status: 'Accepted' });
    await reset;
    await settle();
    expect(sut.hardware.reboots).toEqual([type]);
    expect(sut.payloads('StopTransaction')).toEqual([]);
  });

  test.each([
    ['TC_015_CS Hard Reset With Transaction', 'Hard', 'HardReset'],
    ['TC_016_CS Soft Reset With Transaction', 'Soft', 'SoftReset'],
  ] as const)('%s', async (_, type, reason) => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    const reset = next(sut.chargePoint, 'reset');
    await sut.connection.call('Reset', { type });
    await sut.csms.waitFor('StopTransaction');
    await reset;
    await settle();
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ reason });
    expect(sut.hardware.reboots).toEqual([type]);
  });
});

describe('OCTT Core (_CS): unlock connector', () => {
  test('TC_017_1_CS Unlock connector - no charging session running (Not fixed cable)', async () => {
    const sut = await scenario();
    await expect(sut.connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'Unlocked',
    });
    expect(sut.hardware.unlocks).toEqual([1]);
  });

  test('TC_017_2_CS Unlock connector - no charging session running (Fixed cable)', async () => {
    const sut = await scenario();
    // A fixed cable has no lock to open: the adapter answers NotSupported.
    sut.hardware.unlockResult = 'NotSupported';
    await expect(sut.connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'NotSupported',
    });
  });

  test('TC_018_1_CS Unlock Connector - With Charging Session (Not fixed cable)', async () => {
    const sut = await scenario();
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    await expect(sut.connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'Unlocked',
    });
    await sut.csms.waitFor('StopTransaction');
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ reason: 'UnlockCommand' });
  });

  test('TC_018_2_CS Unlock Connector - With Charging Session (Fixed cable)', async () => {
    const sut = await scenario();
    sut.hardware.unlockResult = 'NotSupported';
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OCTT1', 1);
    await sut.csms.waitFor('StartTransaction');
    await expect(sut.connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'NotSupported',
    });
    await sut.csms.waitFor('StopTransaction');
    expect(sut.payloads('StopTransaction')[0]).toMatchObject({ reason: 'UnlockCommand' });
  });

  test('TC_030_CS Unlock Connector – Unlock Failure', async () => {
    const sut = await scenario();
    sut.hardware.unlockResult = 'UnlockFailed';
    await expect(sut.connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'UnlockFailed',
    });
  });

  test('TC_031_CS Unlock Connector – Unknown Connector', async () => {
    const sut = await scenario();
    // Errata 3.87: an unknown connector is NotSupported.
    await expect(sut.connection.call('UnlockConnector', { connectorId: 9 })).resolves.toEqual({
      status: 'NotSupported',
    });
  });
});
