import type { ChargingProfile } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { ScheduleError } from './errors.js';
import { ProfileStore, type ProfileStoreOptions } from './profile-store.js';
import { at, profile, relative } from './test-support/profiles.js';

const NOW = at('2024-01-01T10:00:00Z');

function store(overrides: Partial<ProfileStoreOptions['config']> = {}, now = NOW): ProfileStore {
  return new ProfileStore({ config: { connectors: 2, ...overrides }, clock: () => now });
}

function ids(s: ProfileStore): number[] {
  return s.profiles().map((p) => p.chargingProfile.chargingProfileId);
}

function reason(s: ProfileStore, connectorId: number, p: unknown): string {
  const r = s.install({ connectorId, csChargingProfiles: p as ChargingProfile });
  return r.status === 'Rejected' ? r.reason : 'Accepted';
}

describe('SetChargingProfile connector and purpose rules', () => {
  test('§3.13.1: ChargePointMaxProfile can only be set at connector 0', () => {
    const s = store();
    const cpMax = profile({ chargingProfilePurpose: 'ChargePointMaxProfile' });
    expect(reason(s, 1, cpMax)).toBe('ChargePointMaxProfileNotOnConnector0');
    expect(reason(s, 0, cpMax)).toBe('Accepted');
  });

  test('§3.13.1: TxProfile only at connector > 0 and only with an active transaction (TC_058_1)', () => {
    const s = store();
    const tx = relative([{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'TxProfile' });
    expect(reason(s, 0, tx)).toBe('TxProfileOnConnector0');
    expect(reason(s, 1, tx)).toBe('NoActiveTransaction');
    s.startTransaction(1, NOW, 7);
    expect(reason(s, 1, tx)).toBe('Accepted');
    expect(reason(s, 2, { ...tx, chargingProfileId: 2 })).toBe('NoActiveTransaction');
  });

  test('§7.8: a TxProfile naming another transactionId is rejected (TC_058_2)', () => {
    const s = store();
    s.startTransaction(1, NOW, 7);
    const tx = relative([{ startPeriod: 0, limit: 10 }], {
      chargingProfilePurpose: 'TxProfile',
      transactionId: 8,
    });
    expect(reason(s, 1, tx)).toBe('TransactionIdMismatch');
    expect(reason(s, 1, { ...tx, transactionId: 7 })).toBe('Accepted');
  });

  test('§7.8: transactionId is only valid with purpose TxProfile', () => {
    expect(reason(store(), 1, profile({ transactionId: 3 }))).toBe('TransactionIdWithoutTxProfile');
  });

  test('errata 3.39: an unknown connectorId is rejected with InvalidConnector', () => {
    const s = store();
    expect(reason(s, 3, profile())).toBe('InvalidConnector');
    expect(reason(s, -1, profile())).toBe('InvalidConnector');
    expect(reason(s, 1.5, profile())).toBe('InvalidConnector');
  });

  test('§5.16.2 / errata 3.42: TxProfile from RemoteStart before the transactionId is known; same stackLevel replaces, another stacks', () => {
    const s = store();
    s.startTransaction(1, NOW);
    const remote = relative([{ startPeriod: 0, limit: 10 }], {
      chargingProfileId: 1,
      chargingProfilePurpose: 'TxProfile',
      stackLevel: 1,
    });
    expect(reason(s, 1, remote)).toBe('Accepted');
    s.setTransactionId(1, 42);
    const update = { ...remote, chargingProfileId: 2, transactionId: 42 };
    const r = s.install({ connectorId: 1, csChargingProfiles: update });
    expect(r).toEqual({ status: 'Accepted', replaced: [1] });
    expect(reason(s, 1, { ...update, chargingProfileId: 3, stackLevel: 2 })).toBe('Accepted');
    expect(ids(s)).toEqual([2, 3]);
  });
});

describe('SetChargingProfile replacement', () => {
  test('§5.16.4: a profile with the same chargingProfileId replaces the installed one, on any connector', () => {
    const s = store();
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({ chargingProfileId: 5, stackLevel: 1 }),
    });
    const r = s.install({
      connectorId: 2,
      csChargingProfiles: profile({ chargingProfileId: 5, stackLevel: 3 }),
    });
    expect(r).toEqual({ status: 'Accepted', replaced: [5] });
    expect(s.profiles()).toEqual([
      { connectorId: 2, chargingProfile: profile({ chargingProfileId: 5, stackLevel: 3 }) },
    ]);
  });

  test('§3.13.2: same stackLevel and purpose on the same connector replaces; other connector or purpose does not', () => {
    const s = store();
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({ chargingProfileId: 1, stackLevel: 2 }),
    });
    s.install({
      connectorId: 2,
      csChargingProfiles: profile({ chargingProfileId: 2, stackLevel: 2 }),
    });
    s.install({
      connectorId: 0,
      csChargingProfiles: profile({
        chargingProfileId: 3,
        stackLevel: 2,
        chargingProfilePurpose: 'ChargePointMaxProfile',
      }),
    });
    expect(ids(s)).toEqual([1, 2, 3]);
    const r = s.install({
      connectorId: 1,
      csChargingProfiles: profile({ chargingProfileId: 4, stackLevel: 2 }),
    });
    expect(r).toEqual({ status: 'Accepted', replaced: [1] });
    expect(ids(s)).toEqual([2, 3, 4]);
  });

  test('§3.13.1: a connector-0 TxDefaultProfile applies to every connector until a connector-specific one replaces it there', () => {
    const s = store();
    s.install({
      connectorId: 0,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 20 }], {
        chargingProfileId: 1,
        stackLevel: 1,
      }),
    });
    expect(s.limitAt(1).limit).toBe(20);
    expect(s.limitAt(2).limit).toBe(20);
    s.install({
      connectorId: 2,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 12 }], {
        chargingProfileId: 2,
        stackLevel: 1,
      }),
    });
    expect(s.limitAt(1).limit).toBe(20);
    expect(s.limitAt(2).limit).toBe(12);
    // errata 3.53: connector 0 TxDefault sums to the grid draw of both connectors.
    expect(s.limitAt(0).limit).toBe(32);
  });

  test('regression: an ended connector TxDefaultProfile shadowed connector 0 until housekeeping, so install order and dropExpired changed the answer (§3.13.1)', () => {
    // A: connector 0, stack level 1, 10 A. B: connector 1, same stack level, 48 A, ended at 09:30.
    const a = relative([{ startPeriod: 0, limit: 10 }], { chargingProfileId: 1, stackLevel: 1 });
    const b = profile({
      chargingProfileId: 2,
      stackLevel: 1,
      chargingSchedule: {
        startSchedule: '2024-01-01T09:00:00Z',
        duration: 1800,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 48 }],
      },
    });
    // Installed before it ended; then the clock moves past its end.
    const answers: number[] = [];
    for (const order of [
      [
        [0, a],
        [1, b],
      ],
      [
        [1, b],
        [0, a],
      ],
    ] as const) {
      let now = at('2024-01-01T09:10:00Z');
      const s = new ProfileStore({ config: { connectors: 2 }, clock: () => now });
      for (const [connectorId, p] of order) s.install({ connectorId, csChargingProfiles: p });
      now = NOW;
      answers.push(s.limitAt(1).limit);
      s.dropExpired();
      answers.push(s.limitAt(1).limit);
    }
    expect(answers).toEqual([10, 10, 10, 10]);
  });

  test('errata 3.8: a TxDefaultProfile received during a transaction applies at once; removing it lets the transaction continue unlimited', () => {
    const s = store();
    s.startTransaction(1, NOW - 60_000);
    expect(s.limitAt(1)).toEqual({ limit: 48, chargingRateUnit: 'A', limited: false });
    s.install({ connectorId: 1, csChargingProfiles: relative([{ startPeriod: 0, limit: 6 }]) });
    expect(s.limitAt(1)).toEqual({ limit: 6, chargingRateUnit: 'A', limited: true });
    expect(s.clear({ chargingProfilePurpose: 'TxDefaultProfile' }).status).toBe('Accepted');
    expect(s.limitAt(1).limited).toBe(false);
  });
});

describe('SetChargingProfile configured limits (§9.4)', () => {
  test('§9.4.1 ChargeProfileMaxStackLevel: stackLevel above the maximum is rejected', () => {
    const s = store({ maxStackLevel: 8 });
    expect(reason(s, 1, profile({ stackLevel: 8 }))).toBe('Accepted');
    expect(reason(s, 1, profile({ chargingProfileId: 2, stackLevel: 9 }))).toBe(
      'StackLevelTooHigh',
    );
  });

  test('§9.4.5 MaxChargingProfilesInstalled: the 11th profile is rejected, a replacement is not', () => {
    const s = store();
    for (let i = 0; i < 10; i++) {
      expect(
        reason(
          s,
          1 + (i % 2),
          profile({ chargingProfileId: i + 1, stackLevel: Math.floor(i / 2) }),
        ),
      ).toBe('Accepted');
    }
    expect(reason(s, 1, profile({ chargingProfileId: 11, stackLevel: 7 }))).toBe('TooManyProfiles');
    expect(reason(s, 1, profile({ chargingProfileId: 11, stackLevel: 0 }))).toBe('Accepted');
    expect(ids(s)).toHaveLength(10);
  });

  test('§9.4.5: expired profiles are dropped before counting', () => {
    let now = at('2024-01-02T00:00:00Z');
    const s = new ProfileStore({ config: { connectors: 1, maxProfiles: 1 }, clock: () => now });
    expect(reason(s, 1, profile({ chargingProfileId: 1, validTo: '2024-01-03T00:00:00Z' }))).toBe(
      'Accepted',
    );
    expect(reason(s, 1, profile({ chargingProfileId: 2, stackLevel: 1 }))).toBe('TooManyProfiles');
    now = at('2024-01-03T00:00:00Z');
    expect(
      s.install({
        connectorId: 1,
        csChargingProfiles: profile({ chargingProfileId: 2, stackLevel: 1 }),
      }),
    ).toEqual({
      status: 'Accepted',
      replaced: [],
    });
    expect(ids(s)).toEqual([2]);
  });

  test('§9.4.3 ChargingScheduleMaxPeriods: 25 periods are rejected, 24 accepted', () => {
    const periods = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ startPeriod: i * 60, limit: 10 }));
    const s = store();
    expect(reason(s, 1, relative(periods(24)))).toBe('Accepted');
    expect(reason(s, 1, relative(periods(25), { chargingProfileId: 2 }))).toBe('TooManyPeriods');
  });

  test('§9.4.2 / errata 3.88 ChargingScheduleAllowedChargingRateUnit: Current only rejects W schedules', () => {
    const s = store({ allowedChargingRateUnits: ['Current'] });
    expect(reason(s, 1, relative([{ startPeriod: 0, limit: 1000 }], {}, 'W'))).toBe(
      'ChargingRateUnitNotAllowed',
    );
    expect(reason(s, 1, relative([{ startPeriod: 0, limit: 10 }]))).toBe('Accepted');
  });
});

describe('SetChargingProfile validation beyond the schema', () => {
  const s = store();
  const withPeriods = (periods: unknown) => relative(periods as never);
  test.each([
    [
      'errata 3.45/3.70: first startPeriod must be 0',
      withPeriods([{ startPeriod: 5, limit: 1 }]),
      'FirstPeriodNotZero',
    ],
    [
      '§7.14: startPeriods strictly increasing',
      withPeriods([
        { startPeriod: 0, limit: 1 },
        { startPeriod: 0, limit: 2 },
      ]),
      'PeriodsNotIncreasing',
    ],
    [
      '§7.14: startPeriods strictly increasing (descending)',
      withPeriods([
        { startPeriod: 0, limit: 1 },
        { startPeriod: 60, limit: 2 },
        { startPeriod: 30, limit: 2 },
      ]),
      'PeriodsNotIncreasing',
    ],
    ['§7.14: limit not negative', withPeriods([{ startPeriod: 0, limit: -1 }]), 'NegativeLimit'],
    [
      'regression: 1e308 A overflowed to Infinity and went on the wire as null; at most 100 000 A',
      withPeriods([{ startPeriod: 0, limit: 1e308 }]),
      'LimitTooHigh',
    ],
    [
      'regression: 1e306 W (Infinity once in A sums) is refused; at most 100 000 000 W',
      relative([{ startPeriod: 0, limit: 1e306 }], {}, 'W'),
      'LimitTooHigh',
    ],
    [
      '§7.13: minChargingRate at most the unit bound',
      profile({ chargingSchedule: { ...profile().chargingSchedule, minChargingRate: 1e6 } }),
      'LimitTooHigh',
    ],
    [
      'regression: 8.15 was stored and later reported as 8.1; §7.14 schema multipleOf 0.1 refuses it',
      withPeriods([{ startPeriod: 0, limit: 8.15 }]),
      'LimitNotInTenths',
    ],
    [
      '§7.13: minChargingRate not negative',
      profile({ chargingSchedule: { ...profile().chargingSchedule, minChargingRate: -1 } }),
      'NegativeLimit',
    ],
    [
      '§7.14: numberPhases 1..3',
      withPeriods([{ startPeriod: 0, limit: 1, numberPhases: 4 }]),
      'InvalidNumberPhases',
    ],
    [
      'errata 3.56: recurrencyKind only with Recurring',
      profile({ recurrencyKind: 'Daily' }),
      'RecurrencyKindWithoutRecurring',
    ],
    [
      'errata 3.79: Recurring needs startSchedule',
      relative([{ startPeriod: 0, limit: 1 }], {
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
      }),
      'RecurringWithoutStartSchedule',
    ],
    [
      '§7.8: Recurring needs recurrencyKind',
      profile({ chargingProfileKind: 'Recurring' }),
      'RecurringWithoutRecurrencyKind',
    ],
    [
      '§7.9: Relative conflicts with startSchedule',
      profile({ chargingProfileKind: 'Relative' }),
      'RelativeWithStartSchedule',
    ],
    [
      '§7.13: duration not negative',
      profile({ chargingSchedule: { ...profile().chargingSchedule, duration: -1 } }),
      'NegativeValue',
    ],
    ['§7.8: stackLevel >= 0', profile({ stackLevel: -1 }), 'NegativeValue'],
    [
      '§3.15: validFrom must be ISO 8601 with a zone',
      profile({ validFrom: '2024-01-01 10:00' }),
      'InvalidDateTime',
    ],
    [
      '§3.15: startSchedule must be a real date',
      profile({
        chargingSchedule: { ...profile().chargingSchedule, startSchedule: '2024-02-30T00:00:00Z' },
      }),
      'InvalidDateTime',
    ],
    [
      '§7.8: validTo after validFrom',
      profile({ validFrom: '2024-01-02T00:00:00Z', validTo: '2024-01-02T00:00:00Z' }),
      'ValidToNotAfterValidFrom',
    ],
    ['§7.8: validTo already passed', profile({ validTo: '2024-01-01T09:00:00Z' }), 'Expired'],
  ])('%s', (_name, p, expected) => {
    expect(reason(s, 1, p)).toBe(expected);
  });

  test.each([
    ['null', null],
    ['a string', 'profile'],
    ['no chargingSchedule', { ...profile(), chargingSchedule: undefined }],
    ['empty periods', relative([])],
    ['a string limit', withPeriods([{ startPeriod: 0, limit: '16' }])],
    ['a fractional stackLevel', profile({ stackLevel: 1.5 })],
    ['an unknown purpose', { ...profile(), chargingProfilePurpose: 'Other' }],
    [
      'an unknown unit',
      { ...profile(), chargingSchedule: { ...profile().chargingSchedule, chargingRateUnit: 'kW' } },
    ],
  ])('untrusted input: %s is Rejected as Malformed, never thrown', (_name, p) => {
    expect(reason(store(), 1, p)).toBe('Malformed');
  });
});

describe('ClearChargingProfile (§5.5, errata 3.25/3.26)', () => {
  function filled(): ProfileStore {
    const s = store();
    s.startTransaction(1, NOW, 9);
    s.install({
      connectorId: 0,
      csChargingProfiles: profile({
        chargingProfileId: 1,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        stackLevel: 0,
      }),
    });
    s.install({
      connectorId: 0,
      csChargingProfiles: profile({ chargingProfileId: 2, stackLevel: 1 }),
    });
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({ chargingProfileId: 3, stackLevel: 1 }),
    });
    s.install({
      connectorId: 1,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 8 }], {
        chargingProfileId: 4,
        chargingProfilePurpose: 'TxProfile',
        stackLevel: 2,
      }),
    });
    s.install({
      connectorId: 2,
      csChargingProfiles: profile({ chargingProfileId: 5, stackLevel: 2 }),
    });
    expect(ids(s)).toEqual([1, 2, 3, 4, 5]);
    return s;
  }

  // All 16 combinations of the four criteria. Profiles: 1 CPMax c0 sl0, 2 TxDefault c0 sl1,
  // 3 TxDefault c1 sl1, 4 TxProfile c1 sl2, 5 TxDefault c2 sl2.
  test.each([
    ['errata 3.25: no criteria clears all', {}, [1, 2, 3, 4, 5]],
    ['errata 3.26: id', { id: 3 }, [3]],
    ['errata 3.25: connectorId', { connectorId: 1 }, [3, 4]],
    ['errata 3.25: connectorId 0', { connectorId: 0 }, [1, 2]],
    ['errata 3.25: purpose', { chargingProfilePurpose: 'TxDefaultProfile' as const }, [2, 3, 5]],
    ['errata 3.25: stackLevel', { stackLevel: 1 }, [2, 3]],
    [
      'errata 3.25: connectorId AND purpose',
      { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' as const },
      [3],
    ],
    ['errata 3.25: connectorId AND stackLevel', { connectorId: 1, stackLevel: 2 }, [4]],
    [
      'errata 3.25: purpose AND stackLevel',
      { chargingProfilePurpose: 'TxDefaultProfile' as const, stackLevel: 2 },
      [5],
    ],
    [
      'errata 3.25: connectorId AND purpose AND stackLevel',
      { connectorId: 0, chargingProfilePurpose: 'TxDefaultProfile' as const, stackLevel: 1 },
      [2],
    ],
    // errata 3.26: "If id is specified, then all other fields are ignored." Each case below gives
    // other criteria that do not match profile `id` (and some that match other profiles).
    ['errata 3.26: id with connectorId ignored', { id: 3, connectorId: 2 }, [3]],
    [
      'errata 3.26: id with purpose ignored',
      { id: 3, chargingProfilePurpose: 'ChargePointMaxProfile' as const },
      [3],
    ],
    ['errata 3.26: id with stackLevel ignored', { id: 3, stackLevel: 0 }, [3]],
    [
      'errata 3.26: id with connectorId and purpose ignored',
      { id: 4, connectorId: 2, chargingProfilePurpose: 'TxDefaultProfile' as const },
      [4],
    ],
    [
      'errata 3.26: id with connectorId and stackLevel ignored',
      { id: 1, connectorId: 1, stackLevel: 1 },
      [1],
    ],
    [
      'errata 3.26: id with purpose and stackLevel ignored',
      { id: 5, chargingProfilePurpose: 'TxProfile' as const, stackLevel: 2 },
      [5],
    ],
    [
      'errata 3.26: id with all other criteria ignored',
      { id: 2, connectorId: 1, chargingProfilePurpose: 'TxProfile' as const, stackLevel: 2 },
      [2],
    ],
  ])('Accepted: %s', (_name, criteria, removed) => {
    const s = filled();
    expect(s.clear(criteria)).toEqual({ status: 'Accepted', removed });
    expect(ids(s)).toEqual([1, 2, 3, 4, 5].filter((id) => !removed.includes(id)));
  });

  test.each([
    ['errata 3.26: unknown id', { id: 99 }],
    [
      'errata 3.26: unknown id; the other criteria, which match profile 3, are ignored',
      { id: 99, connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' as const },
    ],
    [
      'errata 3.25: connector without profiles of that stackLevel',
      { connectorId: 2, stackLevel: 0 },
    ],
    [
      'errata 3.25: purpose nowhere at that level',
      { chargingProfilePurpose: 'TxProfile' as const, stackLevel: 0 },
    ],
  ])('Unknown (nothing removed): %s', (_name, criteria) => {
    const s = filled();
    expect(s.clear(criteria)).toEqual({ status: 'Unknown', removed: [] });
    expect(ids(s)).toEqual([1, 2, 3, 4, 5]);
  });

  test('§5.5: clearing an empty store is Unknown', () => {
    expect(store().clear({}).status).toBe('Unknown');
  });
});

describe('transactions and expiry', () => {
  test('§3.13.1 / §7.10: TxProfiles are removed when their transaction ends; other profiles stay', () => {
    const s = store();
    s.startTransaction(1, NOW, 1);
    s.startTransaction(2, NOW, 2);
    s.install({
      connectorId: 1,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 8 }], {
        chargingProfileId: 1,
        chargingProfilePurpose: 'TxProfile',
      }),
    });
    s.install({
      connectorId: 2,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 9 }], {
        chargingProfileId: 2,
        chargingProfilePurpose: 'TxProfile',
      }),
    });
    s.install({
      connectorId: 1,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 20 }], { chargingProfileId: 3 }),
    });
    expect(s.limitAt(1).limit).toBe(8);
    expect(s.endTransaction(1)).toEqual([1]);
    expect(ids(s)).toEqual([2, 3]);
    expect(s.limitAt(1).limit).toBe(20);
    expect(s.endTransaction(1)).toEqual([]);
  });

  test('§7.8 validTo: expired profiles and finished Absolute schedules are dropped', () => {
    let now = at('2024-01-01T00:00:00Z');
    const s = new ProfileStore({ config: { connectors: 1 }, clock: () => now });
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({ chargingProfileId: 1, validTo: '2024-01-01T06:00:00Z' }),
    });
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({
        chargingProfileId: 2,
        stackLevel: 1,
        chargingSchedule: { ...profile().chargingSchedule, duration: 3600 * 8 },
      }),
    });
    s.install({
      connectorId: 1,
      csChargingProfiles: relative([{ startPeriod: 0, limit: 5 }], {
        chargingProfileId: 3,
        stackLevel: 2,
      }),
    });
    now = at('2024-01-01T06:00:00Z');
    expect(s.dropExpired()).toEqual([1]);
    now = at('2024-01-01T08:00:00Z');
    expect(s.dropExpired()).toEqual([2]);
    expect(ids(s)).toEqual([3]);
  });

  test('ScheduleError TRANSACTION_STATE / INVALID_CONNECTOR on misuse', () => {
    const s = store();
    s.startTransaction(1, NOW);
    expect(() => s.startTransaction(1, NOW)).toThrow(
      expect.objectContaining({ code: 'TRANSACTION_STATE' }),
    );
    expect(() => s.setTransactionId(2, 5)).toThrow(
      expect.objectContaining({ code: 'TRANSACTION_STATE' }),
    );
    expect(() => s.startTransaction(0, NOW)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONNECTOR' }),
    );
    expect(() => s.limitAt(3)).toThrow(ScheduleError);
    expect(() => s.startTransaction(2, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'INVALID_INSTANT' }),
    );
    const broken = new ProfileStore({ config: { connectors: 1 }, clock: () => Number.NaN });
    expect(() => broken.compositeSchedule({ connectorId: 1, duration: 60 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INSTANT' }),
    );
  });
});

describe('GetCompositeSchedule edge cases (§5.7)', () => {
  test('§5.7: an unknown connector, a negative duration or an unknown unit is Rejected', () => {
    const s = store();
    expect(s.compositeSchedule({ connectorId: 3, duration: 60 })).toEqual({ status: 'Rejected' });
    expect(s.compositeSchedule({ connectorId: 1, duration: -1 })).toEqual({ status: 'Rejected' });
    expect(
      s.compositeSchedule({ connectorId: 1, duration: 60, chargingRateUnit: 'kW' as never }),
    ).toEqual({ status: 'Rejected' });
  });

  test('§5.7: a composite longer than maxCompositePeriods is Rejected (not able to report), bounding work on a peer-chosen duration', () => {
    const s = store({ maxCompositePeriods: 10 });
    s.install({
      connectorId: 1,
      csChargingProfiles: profile({
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        chargingSchedule: {
          startSchedule: '2024-01-01T00:00:00Z',
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 6 },
            { startPeriod: 43200, limit: 16 },
          ],
        },
      }),
    });
    expect(s.compositeSchedule({ connectorId: 1, duration: 86400 * 4 }).status).toBe('Accepted');
    expect(s.compositeSchedule({ connectorId: 1, duration: 86400 * 6 })).toEqual({
      status: 'Rejected',
    });
    expect(s.compositeSchedule({ connectorId: 1, duration: 2 ** 31 - 1 })).toEqual({
      status: 'Rejected',
    });
  });

  test('regression: duration 0 answered an empty chargingSchedulePeriod; §7.13 needs one, so it is the limit at scheduleStart', () => {
    const s = store();
    s.install({ connectorId: 1, csChargingProfiles: relative([{ startPeriod: 0, limit: 13 }]) });
    expect(s.compositeSchedule({ connectorId: 1, duration: 0 }).chargingSchedule).toEqual({
      duration: 0,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 13 }],
    });
    expect(
      store().compositeSchedule({ connectorId: 2, duration: 0 }).chargingSchedule
        ?.chargingSchedulePeriod,
    ).toEqual([{ startPeriod: 0, limit: 48 }]);
  });

  test('§9.4.2: without chargingRateUnit the first allowed unit is used', () => {
    const w = store({ allowedChargingRateUnits: ['Power'] });
    expect(
      w.compositeSchedule({ connectorId: 1, duration: 10 }).chargingSchedule?.chargingRateUnit,
    ).toBe('W');
  });

  test('§3.13.4: limitAt and nextChange let a charge point adapt its limit with one timer per change', () => {
    const s = store();
    s.startTransaction(1, at('2024-01-01T09:59:00Z'));
    s.install({
      connectorId: 1,
      csChargingProfiles: relative(
        [
          { startPeriod: 0, limit: 10 },
          { startPeriod: 120, limit: 10, numberPhases: 3 },
          { startPeriod: 300, limit: 20 },
        ],
        {},
        'A',
        600,
      ),
    });
    expect(s.limitAt(1)).toEqual({ limit: 10, chargingRateUnit: 'A', limited: true });
    // 10:01 only adds numberPhases; 10:04 changes the limit; 10:09 the schedule ends.
    expect(s.nextChange(1)).toBe(at('2024-01-01T10:01:00Z'));
    expect(s.nextChange(1, at('2024-01-01T10:01:00Z'))).toBe(at('2024-01-01T10:04:00Z'));
    expect(s.nextChange(1, at('2024-01-01T10:04:00Z'))).toBe(at('2024-01-01T10:09:00Z'));
    expect(s.nextChange(1, at('2024-01-01T10:09:00Z'))).toBeUndefined();
    expect(s.limitAt(1, at('2024-01-01T10:04:00Z'), 'W')).toEqual({
      limit: 20 * 230 * 3,
      chargingRateUnit: 'W',
      limited: true,
    });
  });
  test('§3.13.4, §7.8 validTo: nextChange never answers "never" for a change past its work bound; it returns an instant to re-check', () => {
    // 24 hourly periods with one limit: 24 steps a day that change nothing, then validTo after
    // 4 days drops the profile (48 A). maxCompositePeriods 1 bounds the search to 64 steps.
    const validTo = '2024-01-05T10:00:00Z';
    const flat = profile({
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      validTo,
      chargingSchedule: {
        startSchedule: '2024-01-01T00:00:00Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: Array.from({ length: 24 }, (_, i) => ({
          startPeriod: i * 3600,
          limit: 10,
        })),
      },
    });
    const unbounded = store();
    unbounded.install({ connectorId: 1, csChargingProfiles: flat });
    expect(unbounded.nextChange(1)).toBe(at(validTo));

    const bounded = store({ maxCompositePeriods: 1 });
    bounded.install({ connectorId: 1, csChargingProfiles: flat });
    const recheck = bounded.nextChange(1);
    expect(recheck).toBeGreaterThan(NOW);
    expect(recheck).toBeLessThan(at(validTo));
    expect(bounded.limitAt(1, recheck).limit).toBe(10);
    // Re-arming at each answer reaches the real change.
    let t = recheck;
    for (let i = 0; i < 5 && t !== undefined && t < at(validTo); i++) t = bounded.nextChange(1, t);
    expect(t).toBe(at(validTo));
    expect(bounded.limitAt(1, t)).toEqual({ limit: 48, chargingRateUnit: 'A', limited: false });
  });
});

describe('untrusted requests and stored copies', () => {
  test('non-object requests are answered, never thrown: Rejected / Unknown (not clear-all) / Rejected', () => {
    const s = store();
    s.install({ connectorId: 1, csChargingProfiles: profile() });
    expect(s.install(null as never)).toMatchObject({ status: 'Rejected', reason: 'Malformed' });
    expect(s.clear(null as never)).toEqual({ status: 'Unknown', removed: [] });
    expect(ids(s)).toEqual([1]);
    expect(s.compositeSchedule(null as never)).toEqual({ status: 'Rejected' });
  });

  test('the store keeps a frozen copy with only schema fields; mutating the caller object changes nothing', () => {
    const s = store();
    const mine = { ...profile(), extra: 'dropped' } as ChargingProfile;
    s.install({ connectorId: 1, csChargingProfiles: mine });
    mine.chargingSchedule.chargingSchedulePeriod[0] = { startPeriod: 0, limit: 1 };
    mine.stackLevel = 5;
    const [stored] = s.profiles();
    expect(stored?.chargingProfile).toEqual(profile());
    expect(Object.isFrozen(stored?.chargingProfile.chargingSchedule.chargingSchedulePeriod)).toBe(
      true,
    );
    expect(s.limitAt(1).limit).toBe(16);
  });
});
