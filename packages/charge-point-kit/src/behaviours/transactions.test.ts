import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';
import { TestHardware } from '../test-helpers/test-hardware.js';

async function started(options: Partial<ChargePointOptions> = {}) {
  const csms = await startTestCsms();
  const made = testChargePoint(csms.url, { hardware: new TestHardware(), ...options });
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 3);
  const calls = (action: string) =>
    csms.received.filter((r) => r.action === action).map((r) => r.payload);
  const statusesOf = (connectorId: number) =>
    csms.received
      .filter((r) => r.action === 'StatusNotification' && r.payload.connectorId === connectorId)
      .map((r) => r.payload.status);
  return { csms, calls, statusesOf, ...made };
}

const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transactions (§4.8, §4.10)', () => {
  test('§4.8/§4.10: idTag, plug, charge, the same idTag stops without an Authorize (§4.1), unplug', async () => {
    const { csms, chargePoint, hardware, calls, statusesOf } = await started();
    hardware.readings.set(1, { energyWh: 1_000 });
    await expect(chargePoint.presentIdTag('TAG1')).resolves.toEqual({
      outcome: 'Authorized',
      connectorId: 1,
    });
    const startedEvent = next(chargePoint, 'transactionStarted');
    chargePoint.plugIn(1);
    expect(await startedEvent).toMatchObject({
      connectorId: 1,
      idTag: 'TAG1',
      meterStart: 1_000,
      resumed: false,
    });
    const [start] = await csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ connectorId: 1, idTag: 'TAG1', meterStart: 1_000 });
    expect(hardware.outputs).toEqual([{ connectorId: 1, command: { energize: true } }]);
    expect(chargePoint.status(1)).toBe('Charging');
    hardware.readings.set(1, { energyWh: 4_500 });
    await expect(chargePoint.presentIdTag('tag1')).resolves.toEqual({
      outcome: 'Stopped',
      connectorId: 1,
    });
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({
      transactionId: 101,
      meterStop: 4_500,
      reason: 'Local',
      idTag: 'tag1',
    });
    expect(calls('Authorize')).toHaveLength(1);
    expect(hardware.outputs.at(-1)).toEqual({ connectorId: 1, command: { energize: false } });
    expect(hardware.unlocks).toEqual([1]);
    chargePoint.unplug(1);
    await settle();
    expect(statusesOf(1)).toEqual(['Available', 'Preparing', 'Charging', 'Finishing', 'Available']);
    expect(chargePoint.queuedMessages).toBe(0);
  });

  test('§3.10: another idTag of the same parentIdTag may stop it; one of another group may not', async () => {
    const { csms, chargePoint } = await started();
    const parents: Record<string, string> = { A: 'FAMILY', B: 'FAMILY', C: 'OTHER' };
    csms.answers.Authorize = ({ idTag }) => ({
      idTagInfo: { status: 'Accepted', parentIdTag: parents[idTag] ?? 'NONE' },
    });
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('A');
    await csms.waitFor('StartTransaction');
    await expect(chargePoint.presentIdTag('C', 1)).resolves.toEqual({
      outcome: 'Rejected',
      reason: 'NotAllowedToStop',
    });
    await expect(chargePoint.presentIdTag('B', 1)).resolves.toEqual({
      outcome: 'Stopped',
      connectorId: 1,
    });
  });

  test('an idTag the CSMS refuses starts nothing', async () => {
    const { csms, chargePoint } = await started();
    csms.answers.Authorize = () => ({ idTagInfo: { status: 'Blocked' } });
    await expect(chargePoint.presentIdTag('X')).resolves.toMatchObject({
      outcome: 'Rejected',
      reason: 'NotAuthorized',
      idTagInfo: { status: 'Blocked' },
    });
    chargePoint.plugIn(1);
    await settle();
    expect(chargePoint.status(1)).toBe('Preparing');
  });

  test('§9.1.6 ConnectionTimeOut: authorized but never plugged returns to Available (B1)', async () => {
    const { chargePoint, statusesOf } = await started({
      configuration: { values: { ConnectionTimeOut: 1 } },
    });
    await chargePoint.presentIdTag('TAG1', 2);
    expect(chargePoint.status(2)).toBe('Preparing');
    await settle(1_200);
    expect(chargePoint.status(2)).toBe('Available');
    expect(statusesOf(2)).toEqual(['Available', 'Preparing', 'Available']);
  });

  test('errata 3.20 (B6): plugged but never authorized goes to Finishing, so a later idTag does not start on it', async () => {
    const { chargePoint } = await started({ configuration: { values: { ConnectionTimeOut: 1 } } });
    chargePoint.plugIn(2);
    await settle(1_200);
    expect(chargePoint.status(2)).toBe('Finishing');
    await expect(chargePoint.presentIdTag('TAG1')).resolves.toEqual({
      outcome: 'Authorized',
      connectorId: 1,
    });
    chargePoint.unplug(2);
    expect(chargePoint.status(2)).toBe('Available');
  });

  test('§9.1.23/§9.1.33: unplugging at the EV stops the transaction (EVDisconnected) and unlocks', async () => {
    const { csms, chargePoint, hardware } = await started();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1');
    await csms.waitFor('StartTransaction');
    chargePoint.unplug(1);
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({ reason: 'EVDisconnected' });
    expect(stop?.payload).not.toHaveProperty('idTag');
    await settle();
    expect(hardware.unlocks).toEqual([1]);
    expect(chargePoint.status(1)).toBe('Available');
  });

  test('§4.10 StopTransactionOnEVSideDisconnect false: the transaction stays, energy stops, and resumes on replug', async () => {
    const { csms, chargePoint, hardware } = await started({
      configuration: { values: { StopTransactionOnEVSideDisconnect: false } },
    });
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1');
    await csms.waitFor('StartTransaction');
    chargePoint.unplug(1);
    expect(chargePoint.status(1)).toBe('SuspendedEV');
    expect(hardware.outputs.at(-1)).toEqual({ connectorId: 1, command: { energize: false } });
    chargePoint.plugIn(1);
    expect(chargePoint.status(1)).toBe('Charging');
    await settle();
    expect(csms.received.filter((r) => r.action === 'StopTransaction')).toHaveLength(0);
    expect(hardware.unlocks).toEqual([]);
  });

  test('§4.9 C4/D3: the EV suspends and resumes', async () => {
    const { csms, chargePoint, statusesOf } = await started();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1');
    await csms.waitFor('StartTransaction');
    chargePoint.evSuspended(1);
    chargePoint.evSuspended(1, false);
    await csms.waitFor('StatusNotification', 7);
    expect(statusesOf(1).slice(-2)).toEqual(['SuspendedEV', 'Charging']);
  });

  test('errata 3.17: StartTransaction.conf not Accepted with StopTransactionOnInvalidId stops it, DeAuthorized, cable kept locked', async () => {
    const { csms, chargePoint, hardware } = await started({
      configuration: { values: { LocalPreAuthorize: true } },
    });
    csms.answers.StartTransaction = () => ({ transactionId: 7, idTagInfo: { status: 'Blocked' } });
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1');
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({ transactionId: 7, reason: 'DeAuthorized' });
    expect(hardware.unlocks).toEqual([]);
  });

  test('errata 3.17: with StopTransactionOnInvalidId false only the energy stops (SuspendedEVSE)', async () => {
    const { csms, chargePoint, hardware } = await started({
      configuration: { values: { StopTransactionOnInvalidId: false } },
    });
    csms.answers.StartTransaction = () => ({ transactionId: 7, idTagInfo: { status: 'Invalid' } });
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1');
    await csms.waitFor('StartTransaction');
    await settle();
    expect(chargePoint.status(1)).toBe('SuspendedEVSE');
    expect(hardware.outputs.at(-1)).toEqual({ connectorId: 1, command: { energize: false } });
  });
});
