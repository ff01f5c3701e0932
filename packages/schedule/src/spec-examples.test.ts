import type { ChargingProfile } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { previewCompositeSchedule, previewLimitAt } from './preview.js';
import { ProfileStore } from './profile-store.js';
import { at, profile, relative } from './test-support/profiles.js';

// §3.13.7: a daily default profile limiting to 6 kW between 08:00 and 20:00.
const example: ChargingProfile = {
  chargingProfileId: 100,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Recurring',
  recurrencyKind: 'Daily',
  chargingSchedule: {
    duration: 86400,
    startSchedule: '2013-01-01T00:00:00Z',
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 11000, numberPhases: 3 },
      { startPeriod: 28800, limit: 6000, numberPhases: 3 },
      { startPeriod: 72000, limit: 11000, numberPhases: 3 },
    ],
  },
};

function composite(
  profiles: { connectorId: number; chargingProfile: ChargingProfile }[],
  now: string,
  duration: number,
  unit: 'A' | 'W' = 'W',
  connectorId = 1,
) {
  return previewCompositeSchedule(
    { config: { connectors: 1 }, profiles },
    { connectorId, duration, chargingRateUnit: unit },
    at(now),
  );
}

describe('§3.13.7 example data structure', () => {
  test('§3.13.7: a day of the example profile, in W', () => {
    expect(
      composite([{ connectorId: 1, chargingProfile: example }], '2024-03-05T00:00:00Z', 86400),
    ).toEqual({
      status: 'Accepted',
      connectorId: 1,
      scheduleStart: '2024-03-05T00:00:00Z',
      chargingSchedule: {
        duration: 86400,
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 11000, numberPhases: 3 },
          { startPeriod: 28800, limit: 6000, numberPhases: 3 },
          { startPeriod: 72000, limit: 11000, numberPhases: 3 },
        ],
      },
    });
  });

  test('§3.13.7 + errata 3.69: the same in A at 230 V and 3 phases, rounded down to 0.1 (decision 3)', () => {
    const conf = composite(
      [{ connectorId: 1, chargingProfile: example }],
      '2024-03-05T06:00:00Z',
      86400,
      'A',
    );
    // 11000 / (230 * 3) = 15.94 A, 6000 / 690 = 8.69 A.
    expect(conf.chargingSchedule?.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 15.9, numberPhases: 3 },
      { startPeriod: 7200, limit: 8.6, numberPhases: 3 },
      { startPeriod: 50400, limit: 15.9, numberPhases: 3 },
    ]);
    expect(conf.chargingSchedule).not.toHaveProperty('startSchedule');
  });

  test('§3.13.7 + errata 3.79: projected onto days before startSchedule as well', () => {
    expect(
      composite([{ connectorId: 1, chargingProfile: example }], '2012-12-31T19:00:00Z', 7200)
        .chargingSchedule?.chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 6000, numberPhases: 3 },
      { startPeriod: 3600, limit: 11000, numberPhases: 3 },
    ]);
  });
});

describe('errata smart-charging items', () => {
  test('errata 3.7: stacking without duration on the highest level never falls back', () => {
    const high = relative([{ startPeriod: 0, limit: 10 }], { chargingProfileId: 2, stackLevel: 2 });
    const low = relative(
      [
        { startPeriod: 0, limit: 20 },
        { startPeriod: 600, limit: 5 },
      ],
      { chargingProfileId: 1, stackLevel: 1 },
    );
    const conf = composite(
      [
        { connectorId: 1, chargingProfile: low },
        { connectorId: 1, chargingProfile: high },
      ],
      '2024-01-01T00:00:00Z',
      86400,
      'A',
    );
    expect(conf.chargingSchedule?.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 10 }]);
  });

  test('errata 3.43: after a recurring schedule shorter than its recurrence, fall back to a lower stackLevel, else to no limit', () => {
    const daily = (
      id: number,
      stackLevel: number,
      limit: number,
      duration: number,
    ): ChargingProfile =>
      profile({
        chargingProfileId: id,
        stackLevel,
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        chargingSchedule: {
          startSchedule: '2024-01-01T08:00:00Z',
          duration,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit }],
        },
      });
    const both = [
      { connectorId: 1, chargingProfile: daily(1, 1, 10, 3600) },
      { connectorId: 1, chargingProfile: daily(2, 0, 20, 7200) },
    ];
    expect(
      composite(both, '2024-01-05T08:00:00Z', 10800, 'A').chargingSchedule?.chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 10 },
      { startPeriod: 3600, limit: 20 },
      { startPeriod: 7200, limit: 48 },
    ]);
  });

  test('errata 3.44: periods and duration beyond the recurrence period are not executed', () => {
    const p = profile({
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      chargingSchedule: {
        startSchedule: '2024-01-01T00:00:00Z',
        duration: 100000,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 10 },
          { startPeriod: 90000, limit: 30 },
        ],
      },
    });
    expect(
      composite([{ connectorId: 1, chargingProfile: p }], '2024-01-02T00:00:00Z', 172800, 'A')
        .chargingSchedule?.chargingSchedulePeriod,
    ).toEqual([{ startPeriod: 0, limit: 10 }]);
  });

  test('errata 3.79: Weekly restarts every 7 days at the day and time of startSchedule (a Wednesday here, not Monday)', () => {
    const weekly = profile({
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Weekly',
      chargingSchedule: {
        startSchedule: '2024-01-03T14:00:00Z',
        duration: 3600,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 7 }],
      },
    });
    const input = {
      config: { connectors: 1 },
      profiles: [{ connectorId: 1, chargingProfile: weekly }],
    };
    expect(previewLimitAt(input, 1, at('2024-01-17T14:30:00Z')).limit).toBe(7);
    expect(previewLimitAt(input, 1, at('2024-01-15T14:30:00Z')).limit).toBe(48);
    expect(previewLimitAt(input, 1, at('2023-12-27T14:30:00Z')).limit).toBe(7);
  });

  test('errata 3.57: chargingSchedule.startSchedule is omitted; scheduleStart carries the start', () => {
    const conf = composite(
      [{ connectorId: 1, chargingProfile: example }],
      '2024-03-05T10:11:12.900+02:00',
      60,
    );
    expect(conf.scheduleStart).toBe('2024-03-05T08:11:12Z');
    expect(conf.chargingSchedule).not.toHaveProperty('startSchedule');
  });

  test('errata 3.34: a limit in the requested unit is used as given, whatever numberPhases says', () => {
    const p = relative([{ startPeriod: 0, limit: 16, numberPhases: 3 }]);
    expect(
      composite([{ connectorId: 1, chargingProfile: p }], '2024-01-01T00:00:00Z', 60, 'A')
        .chargingSchedule?.chargingSchedulePeriod,
    ).toEqual([{ startPeriod: 0, limit: 16, numberPhases: 3 }]);
  });

  test("errata 3.69 / decision 2: W -> A divides by voltage x the period's numberPhases, 3 when absent", () => {
    const p = relative(
      [
        { startPeriod: 0, limit: 7360, numberPhases: 2 },
        { startPeriod: 60, limit: 7360 },
        { startPeriod: 120, limit: 7360, numberPhases: 1 },
      ],
      {},
      'W',
    );
    expect(
      composite([{ connectorId: 1, chargingProfile: p }], '2024-01-01T00:00:00Z', 180, 'A')
        .chargingSchedule?.chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 16, numberPhases: 2 },
      { startPeriod: 60, limit: 10.6 },
      { startPeriod: 120, limit: 32, numberPhases: 1 },
    ]);
  });

  test('errata 3.65/3.66: validFrom / validTo are honoured on TxProfiles', () => {
    const s = new ProfileStore({
      config: { connectors: 1 },
      clock: () => at('2024-01-01T10:00:00Z'),
    });
    s.startTransaction(1, at('2024-01-01T10:00:00Z'));
    const tx = relative([{ startPeriod: 0, limit: 8 }], {
      chargingProfilePurpose: 'TxProfile',
      validFrom: '2024-01-01T10:05:00Z',
      validTo: '2024-01-01T10:10:00Z',
    });
    expect(s.install({ connectorId: 1, csChargingProfiles: tx }).status).toBe('Accepted');
    expect(
      s.compositeSchedule({ connectorId: 1, duration: 900, chargingRateUnit: 'A' }).chargingSchedule
        ?.chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 48 },
      { startPeriod: 300, limit: 8 },
      { startPeriod: 600, limit: 48 },
    ]);
  });

  test('errata 3.30 / §3.13.3: connector 0 reports the total expected current, capped by ChargePointMaxProfile', () => {
    const s = new ProfileStore({
      config: { connectors: 3 },
      clock: () => at('2024-01-01T10:00:00Z'),
    });
    s.install({
      connectorId: 0,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 16 }], { chargingProfileId: 1 }),
    });
    s.install({
      connectorId: 0,
      csChargingProfiles: relative(
        [
          { startPeriod: 0, limit: 100 },
          { startPeriod: 60, limit: 40 },
        ],
        { chargingProfileId: 2, chargingProfilePurpose: 'ChargePointMaxProfile' },
      ),
    });
    expect(
      s.compositeSchedule({ connectorId: 0, duration: 120, chargingRateUnit: 'A' }).chargingSchedule
        ?.chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 48 },
      { startPeriod: 60, limit: 40 },
    ]);
  });

  test('errata 3.37: profiles persist across a restart (toJSON -> bytes -> restore) with the same composite', () => {
    const clock = () => at('2024-01-01T10:00:00Z');
    const s = new ProfileStore({ config: { connectors: 2 }, clock });
    s.startTransaction(1, at('2024-01-01T09:00:00Z'), 5);
    s.install({ connectorId: 0, csChargingProfiles: example });
    s.install({
      connectorId: 1,
      csChargingProfiles: relative(
        [
          { startPeriod: 0, limit: 10 },
          { startPeriod: 4000, limit: 6 },
        ],
        { chargingProfileId: 7, chargingProfilePurpose: 'TxProfile', transactionId: 5 },
      ),
    });
    const bytes = JSON.stringify(s);
    const restored = ProfileStore.restore(JSON.parse(bytes), { config: { connectors: 2 }, clock });
    for (const connectorId of [0, 1, 2]) {
      expect(restored.compositeSchedule({ connectorId, duration: 86400 })).toEqual(
        s.compositeSchedule({ connectorId, duration: 86400 }),
      );
    }
    expect(restored.toJSON()).toEqual(s.toJSON());
  });
});

test('§3.13.2: an updated profile (same stackLevel and purpose) with validFrom in the future replaces the old one; default until validFrom', () => {
  const s = new ProfileStore({
    config: { connectors: 1 },
    clock: () => at('2024-01-01T10:00:00Z'),
  });
  s.install({
    connectorId: 1,
    csChargingProfiles: relative([{ startPeriod: 0, limit: 10 }], {
      chargingProfileId: 1,
      stackLevel: 3,
    }),
  });
  const update = relative([{ startPeriod: 0, limit: 20 }], {
    chargingProfileId: 2,
    stackLevel: 3,
    validFrom: '2024-01-01T10:30:00Z',
  });
  expect(s.install({ connectorId: 1, csChargingProfiles: update })).toEqual({
    status: 'Accepted',
    replaced: [1],
  });
  expect(
    s.compositeSchedule({ connectorId: 1, duration: 3600, chargingRateUnit: 'A' }).chargingSchedule
      ?.chargingSchedulePeriod,
  ).toEqual([
    { startPeriod: 0, limit: 48 },
    { startPeriod: 1800, limit: 20 },
  ]);
});
