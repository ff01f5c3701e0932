// OCTT 1.6 `_CS` cases of the Smart Charging profile (§3.13, §5.5, §5.7, §5.11, §5.16).
import { describe, expect, test } from 'vitest';
import { settle } from '../test-helpers/accepted.js';
import { absoluteProfile, relativeTxProfile } from '../test-helpers/charging-profiles.js';
import { octtChargePoint, octtTime } from '../test-helpers/octt.js';

type Sut = Awaited<ReturnType<typeof octtChargePoint>>;

async function startCharging({ chargePoint, csms }: Sut): Promise<void> {
  chargePoint.plugIn(1);
  await chargePoint.presentIdTag('OCTT1', 1);
  await csms.waitFor('StartTransaction');
  await settle();
}

const limitOnHardware = ({ hardware }: Sut) =>
  hardware.outputs.filter((o) => o.connectorId === 1 && o.command.energize).at(-1)?.command.limit;

describe('OCTT Smart Charging (_CS)', () => {
  test('TC_056_CS Central Smart Charging - TxDefaultProfile', async () => {
    const sut = await octtChargePoint();
    await expect(
      sut.connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: absoluteProfile(56, 'TxDefaultProfile', 0, octtTime, [[0, 10]]),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await startCharging(sut);
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 10 });
    await expect(
      sut.connection.call('GetCompositeSchedule', { connectorId: 1, duration: 300 }),
    ).resolves.toMatchObject({
      status: 'Accepted',
      chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
    });
  });

  test('TC_057_CS Central Smart Charging - TxProfile', async () => {
    const sut = await octtChargePoint();
    await startCharging(sut);
    await expect(
      sut.connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: absoluteProfile(57, 'TxProfile', 0, octtTime, [[0, 6]], {
          transactionId: 101,
        }),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 6 });
  });

  test('TC_058_1_CS Central Smart Charging - No ongoing transaction', async () => {
    const sut = await octtChargePoint();
    await expect(
      sut.connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: absoluteProfile(58, 'TxProfile', 0, octtTime, [[0, 6]], {
          transactionId: 101,
        }),
      }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('TC_058_2_CS Central Smart Charging - Wrong transactionId', async () => {
    const sut = await octtChargePoint();
    await startCharging(sut);
    await expect(
      sut.connection.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: absoluteProfile(58, 'TxProfile', 0, octtTime, [[0, 6]], {
          transactionId: 999,
        }),
      }),
    ).resolves.toEqual({ status: 'Rejected' });
    expect(limitOnHardware(sut)).toBeUndefined();
  });

  test('TC_082_CS Central Smart Charging - TxDefaultProfile - with ongoing transaction', async () => {
    const sut = await octtChargePoint();
    await startCharging(sut);
    expect(limitOnHardware(sut)).toBeUndefined();
    // Errata 3.8: a running transaction without a profile switches to the new TxDefaultProfile.
    await expect(
      sut.connection.call('SetChargingProfile', {
        connectorId: 0,
        csChargingProfiles: absoluteProfile(82, 'TxDefaultProfile', 0, octtTime, [[0, 8]]),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 8 });
  });

  test('TC_066_CS Get Composite Schedule', async () => {
    const sut = await octtChargePoint();
    const set = (connectorId: number, profile: ReturnType<typeof absoluteProfile>) =>
      sut.connection.call('SetChargingProfile', { connectorId, csChargingProfiles: profile });
    await startCharging(sut);
    await expect(
      set(0, absoluteProfile(1, 'ChargePointMaxProfile', 0, octtTime, [[0, 32]])),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      set(
        1,
        absoluteProfile(2, 'TxDefaultProfile', 0, octtTime, [
          [0, 20],
          [300, 15],
          [600, 10],
          [900, 8],
          [1200, 6],
        ]),
      ),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      set(
        1,
        absoluteProfile(
          3,
          'TxProfile',
          0,
          octtTime,
          [
            [0, 12],
            [600, 18],
          ],
          { duration: 900, transactionId: 101 },
        ),
      ),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      sut.connection.call('GetCompositeSchedule', {
        connectorId: 1,
        duration: 1500,
        chargingRateUnit: 'A',
      }),
    ).resolves.toEqual({
      status: 'Accepted',
      connectorId: 1,
      scheduleStart: '2026-06-01T10:00:00Z',
      chargingSchedule: {
        duration: 1500,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 12 },
          { startPeriod: 600, limit: 18 },
          { startPeriod: 900, limit: 8 },
          { startPeriod: 1200, limit: 6 },
        ],
      },
    });
  });

  test('TC_067_CS Clear Charging Profile', async () => {
    const sut = await octtChargePoint();
    await sut.connection.call('SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: absoluteProfile(67, 'TxDefaultProfile', 0, octtTime, [[0, 10]]),
    });
    await startCharging(sut);
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 10 });
    await expect(sut.connection.call('ClearChargingProfile', { id: 67 })).resolves.toEqual({
      status: 'Accepted',
    });
    expect(limitOnHardware(sut)).toBeUndefined();
    await expect(sut.connection.call('ClearChargingProfile', { id: 67 })).resolves.toEqual({
      status: 'Unknown',
    });
  });

  test('TC_072_CS Stacking Charging Profiles', async () => {
    const sut = await octtChargePoint();
    const set = (profile: ReturnType<typeof absoluteProfile>) =>
      sut.connection.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile });
    await expect(
      set(absoluteProfile(1, 'TxDefaultProfile', 0, octtTime, [[0, 16]])),
    ).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(
      set(absoluteProfile(2, 'TxDefaultProfile', 1, octtTime, [[0, 8]], { duration: 600 })),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      sut.connection.call('GetCompositeSchedule', { connectorId: 1, duration: 1200 }),
    ).resolves.toMatchObject({
      status: 'Accepted',
      chargingSchedule: {
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 8 },
          { startPeriod: 600, limit: 16 },
        ],
      },
    });
    await startCharging(sut);
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 8 });
    sut.timers.advance(600_000);
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 16 });
  });

  test('TC_059_CS Remote Start Transaction with Charging Profile', async () => {
    const sut = await octtChargePoint();
    sut.chargePoint.plugIn(1);
    await expect(
      sut.connection.call('RemoteStartTransaction', {
        connectorId: 1,
        idTag: 'OCTT1',
        chargingProfile: relativeTxProfile(59, 0, [[0, 7]]),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [start] = await sut.csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ connectorId: 1, idTag: 'OCTT1' });
    await settle();
    expect(limitOnHardware(sut)).toEqual({ unit: 'A', value: 7 });
    await expect(
      sut.connection.call('GetCompositeSchedule', { connectorId: 1, duration: 60 }),
    ).resolves.toMatchObject({
      chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 7 }] },
    });
  });

  test('TC_060_CS Remote Start Transaction with Charging Profile - Rejected', async () => {
    const sut = await octtChargePoint();
    sut.chargePoint.plugIn(1);
    await expect(
      sut.connection.call('RemoteStartTransaction', {
        connectorId: 1,
        idTag: 'OCTT1',
        chargingProfile: {
          ...relativeTxProfile(60, 0, [[0, 7]]),
          chargingProfilePurpose: 'TxDefaultProfile',
        },
      }),
    ).resolves.toEqual({ status: 'Rejected' });
    await settle(100);
    expect(sut.sent('StartTransaction')).toEqual([]);
  });
});
