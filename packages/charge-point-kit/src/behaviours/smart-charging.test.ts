import type { ChargingProfile } from '@ocpp-kit/messages';
import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { absoluteProfile, relativeTxProfile } from '../test-helpers/charging-profiles.js';
import { ManualTimers } from '../test-helpers/manual-timers.js';
import { testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, meterValueIn } from '../test-helpers/test-csms.js';
import { TestHardware } from '../test-helpers/test-hardware.js';

/** An accepted charge point on manual timers, its time the CSMS's fixed currentTime. */
async function onManualTime(options: Partial<ChargePointOptions> = {}) {
  const timers = new ManualTimers();
  const made = await acceptedChargePoint({ timers, clock: timers.clock, ...options });
  return { ...made, timers };
}

const energized = (hardware: TestHardware, connectorId: number) =>
  hardware.outputs.filter((o) => o.connectorId === connectorId && o.command.energize);

async function charge(made: Awaited<ReturnType<typeof onManualTime>>, connectorId = 1) {
  made.chargePoint.plugIn(connectorId);
  await made.chargePoint.presentIdTag(`TAG${connectorId}`, connectorId);
  await made.csms.waitFor('StartTransaction', connectorId);
  await settle();
}

describe('smart charging (§3.13, §5.5, §5.7, §5.16)', () => {
  test('§3.13.1/§5.16.4: a TxDefaultProfile limits a new transaction from its first energise; the next period comes on one timer', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware, timers } = made;
    const profile = absoluteProfile(1, 'TxDefaultProfile', 0, chargePoint.now(), [
      [0, 16],
      [60, 10],
    ]);
    await expect(
      connection.call('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(hardware.outputs).toEqual([]);
    await charge(made);
    expect(energized(hardware, 1)).toEqual([
      { connectorId: 1, command: { energize: true, limit: { unit: 'A', value: 16 } } },
    ]);
    timers.advance(60_000);
    expect(hardware.outputs.at(-1)).toEqual({
      connectorId: 1,
      command: { energize: true, limit: { unit: 'A', value: 10 } },
    });
  });

  test('§3.13.1: a TxProfile set during the transaction overrules the TxDefaultProfile and is deleted when it ends', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware, csms } = made;
    const now = chargePoint.now();
    await connection.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: absoluteProfile(1, 'TxDefaultProfile', 0, now, [[0, 16]]),
    });
    await charge(made);
    await expect(
      connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: absoluteProfile(2, 'TxProfile', 0, now, [[0, 20]], {
          transactionId: 101,
        }),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(hardware.outputs.at(-1)?.command).toEqual({
      energize: true,
      limit: { unit: 'A', value: 20 },
    });
    await chargePoint.presentIdTag('TAG1', 1);
    await csms.waitFor('StopTransaction');
    await settle();
    await expect(connection.call('ClearChargingProfile', { id: 2 })).resolves.toEqual({
      status: 'Unknown',
    });
    await expect(connection.call('ClearChargingProfile', { id: 1 })).resolves.toEqual({
      status: 'Accepted',
    });
  });

  test('§3.13.1: a TxProfile without a transaction, or of another transactionId, is Rejected', async () => {
    const made = await onManualTime();
    const { connection, chargePoint } = made;
    const tx = (transactionId?: number) =>
      absoluteProfile(3, 'TxProfile', 0, chargePoint.now(), [[0, 8]], {
        ...(transactionId === undefined ? {} : { transactionId }),
      });
    await expect(
      connection.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: tx() }),
    ).resolves.toEqual({ status: 'Rejected' });
    await charge(made);
    await expect(
      connection.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: tx(999) }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('hardware limitUnit W: a profile in A is converted with the supply voltage and phases (errata 3.69)', async () => {
    const hardware = Object.assign(new TestHardware(), {
      limitUnit: 'W' as const,
      supplyVoltage: 230,
      phases: 3 as const,
    });
    const made = await onManualTime({ hardware });
    await made.connection.call('SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: absoluteProfile(1, 'TxDefaultProfile', 0, made.chargePoint.now(), [
        [0, 16],
      ]),
    });
    await charge(made);
    expect(energized(hardware, 1).at(-1)?.command.limit).toEqual({ unit: 'W', value: 11_040 });
  });

  test('§3.13.3: ChargePointMaxProfile is the limit of all connectors combined: two charging share it', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware } = made;
    await connection.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: absoluteProfile(1, 'ChargePointMaxProfile', 0, chargePoint.now(), [
        [0, 20],
      ]),
    });
    await charge(made, 1);
    expect(energized(hardware, 1).at(-1)?.command.limit).toEqual({ unit: 'A', value: 20 });
    await charge(made, 2);
    expect(energized(hardware, 1).at(-1)?.command.limit).toEqual({ unit: 'A', value: 10 });
    expect(energized(hardware, 2).at(-1)?.command.limit).toEqual({ unit: 'A', value: 10 });
  });

  test('§5.16.2: RemoteStartTransaction with a TxProfile starts the transaction under it; another purpose or a transactionId is Rejected', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware, csms } = made;
    const remote = (chargingProfile: ReturnType<typeof relativeTxProfile>) =>
      connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'APP', chargingProfile });
    await expect(
      remote({ ...relativeTxProfile(5, 0, [[0, 6]]), chargingProfilePurpose: 'TxDefaultProfile' }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      remote({ ...relativeTxProfile(5, 0, [[0, 6]]), transactionId: 7 }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(remote({ ...relativeTxProfile(5, 99, [[0, 6]]) })).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(remote(relativeTxProfile(5, 0, [[0, 6]]))).resolves.toEqual({
      status: 'Accepted',
    });
    chargePoint.plugIn(1);
    await csms.waitFor('StartTransaction');
    await settle();
    expect(energized(hardware, 1)[0]?.command.limit).toEqual({ unit: 'A', value: 6 });
    const composite = await connection.call('GetCompositeSchedule', {
      connectorId: 1,
      duration: 600,
    });
    expect(composite).toMatchObject({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
      },
    });
  });

  test('the limit in force shows in the next MeterValues as Current.Offered, which MeterValuesSampledData may name', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, csms } = made;
    await expect(
      connection.call('ChangeConfiguration', {
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Current.Offered',
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await connection.call('SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: absoluteProfile(1, 'TxDefaultProfile', 0, chargePoint.now(), [[0, 13]]),
    });
    await charge(made);
    await connection.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 });
    made.timers.advance(0);
    const [values] = await csms.waitFor('MeterValues');
    expect(meterValueIn(values).sampledValue).toContainEqual(
      expect.objectContaining({ measurand: 'Current.Offered', value: '13', unit: 'A' }),
    );
  });

  test('§3.13.5/§9.4: the smart-charging keys are reported read-only and enforced', async () => {
    const made = await onManualTime({
      configuration: {
        values: {
          ChargeProfileMaxStackLevel: 2,
          ChargingScheduleAllowedChargingRateUnit: ['Current'],
          ChargingScheduleMaxPeriods: 2,
          MaxChargingProfilesInstalled: 2,
        },
      },
    });
    const { connection, chargePoint } = made;
    const { configurationKey } = await connection.call('GetConfiguration', {
      key: [
        'ChargeProfileMaxStackLevel',
        'ChargingScheduleAllowedChargingRateUnit',
        'ChargingScheduleMaxPeriods',
        'ConnectorSwitch3to1PhaseSupported',
        'MaxChargingProfilesInstalled',
      ],
    });
    expect(configurationKey).toEqual([
      { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '2' },
      { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current' },
      { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '2' },
      { key: 'ConnectorSwitch3to1PhaseSupported', readonly: true, value: 'false' },
      { key: 'MaxChargingProfilesInstalled', readonly: true, value: '2' },
    ]);
    await expect(
      connection.call('ChangeConfiguration', { key: 'ChargeProfileMaxStackLevel', value: '9' }),
    ).resolves.toEqual({ status: 'Rejected' });
    const now = chargePoint.now();
    const set = (profile: ReturnType<typeof absoluteProfile>) =>
      connection.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile });
    await expect(set(absoluteProfile(1, 'TxDefaultProfile', 3, now, [[0, 8]]))).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(
      set(
        absoluteProfile(1, 'TxDefaultProfile', 0, now, [
          [0, 8],
          [10, 9],
          [20, 10],
        ]),
      ),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      set(absoluteProfile(1, 'TxDefaultProfile', 0, now, [[0, 8]], { unit: 'W' })),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(set(absoluteProfile(1, 'TxDefaultProfile', 0, now, [[0, 8]]))).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(set(absoluteProfile(2, 'TxDefaultProfile', 1, now, [[0, 8]]))).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(set(absoluteProfile(3, 'TxDefaultProfile', 2, now, [[0, 8]]))).resolves.toEqual({
      status: 'Rejected',
    });
  });

  test('errata 3.39: an unknown connectorId is CALLERROR PropertyConstraintViolation; without the profile, NotSupported', async () => {
    const made = await onManualTime();
    const profile = absoluteProfile(1, 'TxDefaultProfile', 0, made.chargePoint.now(), [[0, 8]]);
    const error = await made.connection
      .call('SetChargingProfile', { connectorId: 3, csChargingProfiles: profile })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'PropertyConstraintViolation' });
    const plain = await acceptedChargePoint({ profiles: ['Core'] });
    await expect(
      plain.connection.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile }),
    ).rejects.toMatchObject({ code: 'NotSupported' });
  });

  test('§3.13.6: offline, the installed profiles keep applying on their timer', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware, timers, csms } = made;
    await connection.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: absoluteProfile(1, 'TxDefaultProfile', 0, chargePoint.now(), [
        [0, 16],
        [120, 6],
      ]),
    });
    await charge(made);
    await csms.server.close();
    await settle();
    timers.advance(120_000);
    expect(hardware.outputs.at(-1)?.command).toEqual({
      energize: true,
      limit: { unit: 'A', value: 6 },
    });
  });

  test('§4.2 clock: a CSMS time that moves the clock past a period boundary changes the limit at once', async () => {
    const made = await onManualTime();
    const { connection, chargePoint, hardware, csms } = made;
    const start = chargePoint.now();
    await connection.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: absoluteProfile(1, 'TxDefaultProfile', 0, start, [
        [0, 16],
        [3600, 6],
      ]),
    });
    await charge(made);
    csms.answers.Heartbeat = () => ({ currentTime: new Date(start + 3_700_000).toISOString() });
    await connection.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    made.timers.advance(0);
    await csms.waitFor('Heartbeat');
    await settle();
    expect(hardware.outputs.at(-1)?.command.limit).toEqual({ unit: 'A', value: 6 });
  });

  test('errata 3.37: profiles are stored with the kit state and survive a restart', async () => {
    const timers = new ManualTimers();
    const made = await acceptedChargePoint({ timers, clock: timers.clock });
    const fixed = new Date(made.chargePoint.now()).toISOString();
    answerBoots(made.csms, ['Accepted'], 300, fixed);
    const now = made.chargePoint.now();
    await made.connection.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: absoluteProfile(1, 'ChargePointMaxProfile', 0, now, [
        [0, 30],
        [600, 20],
      ]),
    });
    await made.connection.call('SetChargingProfile', {
      connectorId: 2,
      csChargingProfiles: absoluteProfile(2, 'TxDefaultProfile', 1, now, [[0, 12]]),
    });
    const request = { connectorId: 2, duration: 1200 };
    const before = await made.connection.call('GetCompositeSchedule', request);
    await made.chargePoint.stop();
    const again = testChargePoint(made.csms.url, {
      timers,
      clock: timers.clock,
      storage: { directory: made.directory },
    });
    await again.chargePoint.start();
    await made.csms.waitFor('BootNotification', 2);
    await settle();
    const connection = made.csms.server.connections.get('CP1');
    await expect(connection?.call('GetCompositeSchedule', request)).resolves.toEqual(before);
    expect(before).toMatchObject({
      chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 12 }] },
    });
  });
});

describe('phase switching (§9.4.4 ConnectorSwitch3to1PhaseSupported)', () => {
  const phased = (start: number): ChargingProfile => ({
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: new Date(start).toISOString(),
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 16, numberPhases: 3 },
        { startPeriod: 60, limit: 16, numberPhases: 1 },
      ],
    },
  });

  test.each([
    [false, 3],
    [true, 1],
  ] as const)(
    'ConnectorSwitch3to1PhaseSupported %s: a running transaction goes on with %i phases',
    async (supported, phases) => {
      const made = await onManualTime({
        configuration: { values: { ConnectorSwitch3to1PhaseSupported: supported } },
      });
      await made.connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: phased(made.chargePoint.now()),
      });
      await charge(made);
      expect(energized(made.hardware, 1).at(-1)?.command.limit).toEqual({
        unit: 'A',
        value: 16,
        phases: 3,
      });
      made.timers.advance(60_000);
      expect(energized(made.hardware, 1).at(-1)?.command.limit).toEqual({
        unit: 'A',
        value: 16,
        phases,
      });
    },
  );
});
