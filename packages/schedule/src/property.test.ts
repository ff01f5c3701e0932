import type {
  ChargingProfile,
  ChargingRateUnit,
  ChargingSchedulePeriod,
  GetCompositeScheduleResponse,
} from '@ocpp-kit/messages';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type InstalledProfile,
  previewCompositeSchedule,
  type RunningTransaction,
} from './preview.js';
import { ProfileStore } from './profile-store.js';

// A deliberately simple reference: evaluate every second straight from the profile JSON
// (§3.13.2 stacking, §3.13.3 min-combination, §3.13.1 TxProfile over TxDefaultProfile,
// decisions 1-3), then cut periods wherever the rounded value changes.

const BASE = Date.UTC(2024, 5, 10, 12, 0, 0) / 1000;
const VOLTAGE = 230;
const DEFAULT_A = 48;
const DEFAULT_W = 48 * 230 * 3;

interface Value {
  limit: number;
  phases: number;
  watts: boolean;
}

function seconds(iso: string | undefined, fallback: number): number {
  return iso === undefined ? fallback : Date.parse(iso) / 1000;
}

function profileValue(p: ChargingProfile, t: number, relativeStart: number): Value | undefined {
  if (t < seconds(p.validFrom, -Infinity) || t >= seconds(p.validTo, Infinity)) return undefined;
  const s = p.chargingSchedule;
  let origin: number;
  let length = s.duration ?? Infinity;
  if (p.chargingProfileKind === 'Recurring') {
    const period = p.recurrencyKind === 'Weekly' ? 7 * 86400 : 86400;
    const anchor = seconds(s.startSchedule, 0);
    origin = anchor + Math.floor((t - anchor) / period) * period;
    length = Math.min(length, period);
  } else if (p.chargingProfileKind === 'Absolute') {
    origin = seconds(s.startSchedule, 0);
  } else {
    origin = relativeStart;
  }
  const offset = t - origin;
  if (offset < 0 || offset >= length) return undefined;
  let found: ChargingSchedulePeriod | undefined;
  for (const period of s.chargingSchedulePeriod) if (period.startPeriod <= offset) found = period;
  if (found === undefined) return undefined;
  return { limit: found.limit, phases: found.numberPhases ?? 0, watts: s.chargingRateUnit === 'W' };
}

/** When a profile can never apply again: validTo, or the end of an Absolute schedule. */
function endOf(p: ChargingProfile): number {
  const validTo = seconds(p.validTo, Infinity);
  if (p.chargingProfileKind !== 'Absolute') return validTo;
  const s = p.chargingSchedule;
  return Math.min(validTo, seconds(s.startSchedule, 0) + (s.duration ?? Infinity));
}

function top(candidates: ChargingProfile[], t: number, relativeStart: number): Value | undefined {
  const sorted = [...candidates].sort((a, b) => b.stackLevel - a.stackLevel);
  for (const p of sorted) {
    const v = profileValue(p, t, relativeStart);
    if (v !== undefined) return v;
  }
  return undefined;
}

function inUnit(v: Value, watts: boolean): number {
  if (v.watts === watts) return v.limit;
  const f = VOLTAGE * (v.phases === 0 ? 3 : v.phases);
  return watts ? v.limit * f : v.limit / f;
}

function minPhases(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return Math.min(a, b);
}

interface Point {
  limit: number;
  phases: number;
}

function connectorValue(
  installed: InstalledProfile[],
  txs: RunningTransaction[],
  connector: number,
  t: number,
  windowStart: number,
  watts: boolean,
  withCpMax: boolean,
): Point {
  const tx = txs.find((x) => x.connectorId === connector);
  const relativeStart = tx === undefined ? windowStart : tx.startedAt / 1000;
  const own = installed.filter((e) => e.connectorId === connector).map((e) => e.chargingProfile);
  const shared = installed.filter((e) => e.connectorId === 0).map((e) => e.chargingProfile);
  const txProfiles =
    tx === undefined ? [] : own.filter((p) => p.chargingProfilePurpose === 'TxProfile');
  const ownDefaults = own.filter((p) => p.chargingProfilePurpose === 'TxDefaultProfile');
  // A connector's own TxDefaultProfile shadows the connector-0 one of its stack level until it ends.
  const defaults = [
    ...ownDefaults,
    ...shared.filter(
      (p) =>
        p.chargingProfilePurpose === 'TxDefaultProfile' &&
        !ownDefaults.some((o) => o.stackLevel === p.stackLevel && t < endOf(o)),
    ),
  ];
  const main = top(txProfiles, t, relativeStart) ?? top(defaults, t, relativeStart);
  const cap = withCpMax
    ? top(
        shared.filter((p) => p.chargingProfilePurpose === 'ChargePointMaxProfile'),
        t,
        relativeStart,
      )
    : undefined;
  if (main === undefined && cap === undefined)
    return { limit: watts ? DEFAULT_W : DEFAULT_A, phases: 0 };
  let limit = Infinity;
  let phases = 0;
  if (main !== undefined) {
    limit = inUnit(main, watts);
    phases = main.phases;
  }
  if (cap !== undefined) {
    limit = Math.min(limit, inUnit(cap, watts));
    phases = minPhases(phases, cap.phases);
  }
  return { limit, phases };
}

function referenceAt(
  installed: InstalledProfile[],
  txs: RunningTransaction[],
  connectors: number,
  connectorId: number,
  t: number,
  windowStart: number,
  watts: boolean,
): Point {
  if (connectorId !== 0)
    return connectorValue(installed, txs, connectorId, t, windowStart, watts, true);
  let sum = 0;
  let phases = 0;
  for (let c = 1; c <= connectors; c++) {
    const v = connectorValue(installed, txs, c, t, windowStart, watts, false);
    sum += v.limit;
    phases = Math.max(phases, v.phases);
  }
  const cap = top(
    installed
      .filter(
        (e) =>
          e.connectorId === 0 &&
          e.chargingProfile.chargingProfilePurpose === 'ChargePointMaxProfile',
      )
      .map((e) => e.chargingProfile),
    t,
    windowStart,
  );
  if (cap !== undefined) {
    sum = Math.min(sum, inUnit(cap, watts));
    phases = minPhases(phases, cap.phases);
  }
  return { limit: sum, phases };
}

const iso = (s: number): string => new Date(s * 1000).toISOString();

const periodsArb = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 1800 }),
      limit: fc.integer({ min: 0, max: 400 }),
      phases: fc.constantFrom(undefined, 1, 2, 3),
    }),
    { minLength: 1, maxLength: 24 },
  )
  .map((items) => {
    let at = 0;
    return items.map((item, i) => {
      if (i > 0) at += item.gap;
      const period: ChargingSchedulePeriod = { startPeriod: at, limit: item.limit };
      if (item.phases !== undefined) period.numberPhases = item.phases;
      return period;
    });
  });

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

const profileArb = fc
  .record({
    id: fc.integer({ min: 1, max: 30 }),
    stackLevel: fc.integer({ min: 0, max: 8 }),
    purpose: fc.constantFrom('ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile' as const),
    kind: fc.constantFrom('Absolute', 'Relative', 'Recurring' as const),
    recurrency: fc.constantFrom('Daily', 'Weekly' as const),
    startOffset: fc.integer({ min: -4 * 3600, max: 4 * 3600 }),
    recurrenceShift: fc.integer({ min: -8, max: 8 }),
    duration: optional(fc.integer({ min: 0, max: 8000 })),
    validFrom: optional(fc.integer({ min: -3 * 3600, max: 3 * 3600 })),
    validFor: optional(fc.integer({ min: 1, max: 4 * 3600 })),
    watts: fc.boolean(),
    periods: periodsArb,
    connector: fc.integer({ min: 0, max: 3 }),
  })
  .map((r): { connectorId: number; profile: ChargingProfile } => {
    const schedule: ChargingProfile['chargingSchedule'] = {
      chargingRateUnit: r.watts ? 'W' : 'A',
      chargingSchedulePeriod: r.watts
        ? r.periods.map((p) => ({ ...p, limit: p.limit * 50 }))
        : r.periods.map((p) => ({ ...p, limit: p.limit / 10 })),
    };
    if (r.duration !== undefined) schedule.duration = r.duration;
    const profile: ChargingProfile = {
      chargingProfileId: r.id,
      stackLevel: r.stackLevel,
      chargingProfilePurpose: r.purpose,
      chargingProfileKind: r.kind,
      chargingSchedule: schedule,
    };
    if (r.kind === 'Recurring') {
      profile.recurrencyKind = r.recurrency;
      const period = r.recurrency === 'Daily' ? 86400 : 7 * 86400;
      // Anchors before and after the window, so projection both ways is exercised (errata 3.79).
      schedule.startSchedule = iso(BASE + r.startOffset + r.recurrenceShift * period);
    } else if (r.kind === 'Absolute') {
      schedule.startSchedule = iso(BASE + r.startOffset);
    }
    if (r.validFrom !== undefined) profile.validFrom = iso(BASE + r.validFrom);
    if (r.validFor !== undefined)
      profile.validTo = iso(BASE + (r.validFrom ?? -4 * 3600) + r.validFor);
    const connectorId =
      r.purpose === 'ChargePointMaxProfile'
        ? 0
        : r.purpose === 'TxProfile'
          ? Math.max(1, r.connector)
          : r.connector;
    return { connectorId, profile };
  });

const scenarioArb = fc.record({
  connectors: fc.integer({ min: 1, max: 3 }),
  txStarts: fc.array(optional(fc.integer({ min: -3 * 3600, max: 1800 })), {
    minLength: 3,
    maxLength: 3,
  }),
  profiles: fc.array(profileArb, { maxLength: 12 }),
  windowStart: fc.integer({ min: -1800, max: 3600 }),
  duration: fc.integer({ min: 0, max: 5400 }),
  connectorId: fc.integer({ min: 0, max: 3 }),
  unit: fc.constantFrom<ChargingRateUnit>('A', 'W'),
});

function referenceComposite(
  store: ProfileStore,
  connectorId: number,
  start: number,
  duration: number,
  unit: ChargingRateUnit,
): ChargingSchedulePeriod[] {
  const installed = store.profiles();
  const txs = store.transactions();
  const out: ChargingSchedulePeriod[] = [];
  for (let s = 0; s === 0 || s < duration; s++) {
    const v = referenceAt(
      installed,
      txs,
      store.config.connectors,
      connectorId,
      start + s,
      start,
      unit === 'W',
    );
    const limit = Math.floor(v.limit * 10 + 1e-7) / 10;
    const last = out[out.length - 1];
    if (last !== undefined && last.limit === limit && (last.numberPhases ?? 0) === v.phases)
      continue;
    out.push(
      v.phases === 0
        ? { startPeriod: s, limit }
        : { startPeriod: s, limit, numberPhases: v.phases },
    );
  }
  return out;
}

describe('property: composite schedule equals a second-by-second reference evaluation', () => {
  test('§3.13 random profile stacks within the configured maxima, random windows (fast-check)', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const windowStart = BASE + sc.windowStart;
        const store = new ProfileStore({
          config: { connectors: sc.connectors },
          clock: () => windowStart * 1000,
        });
        sc.txStarts.forEach((start, i) => {
          if (start !== undefined && i + 1 <= sc.connectors)
            store.startTransaction(i + 1, (BASE + start) * 1000, i + 100);
        });
        for (const p of sc.profiles) {
          store.install({
            connectorId: Math.min(p.connectorId, sc.connectors),
            csChargingProfiles: p.profile,
          });
        }
        const connectorId = Math.min(sc.connectorId, sc.connectors);
        const got: GetCompositeScheduleResponse = store.compositeSchedule({
          connectorId,
          duration: sc.duration,
          chargingRateUnit: sc.unit,
        });
        expect(got.status).toBe('Accepted');
        expect(got.chargingSchedule?.chargingSchedulePeriod).toEqual(
          referenceComposite(store, connectorId, windowStart, sc.duration, sc.unit),
        );
        // limitAt / nextChange agree with the reference from the window start.
        const installed = store.profiles();
        const txs = store.transactions();
        const watts = sc.unit === 'W';
        const first = referenceAt(
          installed,
          txs,
          sc.connectors,
          connectorId,
          windowStart,
          windowStart,
          watts,
        );
        const limit = store.limitAt(connectorId, windowStart * 1000, sc.unit);
        expect(limit.limit).toBeCloseTo(first.limit, 9);
        expect(limit.numberPhases ?? 0).toBe(first.phases);
        let change: number | undefined;
        for (let s = 1; s < sc.duration && change === undefined; s++) {
          const v = referenceAt(
            installed,
            txs,
            sc.connectors,
            connectorId,
            windowStart + s,
            windowStart,
            watts,
          );
          if (v.limit !== first.limit || v.phases !== first.phases)
            change = (windowStart + s) * 1000;
        }
        const next = store.nextChange(connectorId, windowStart * 1000, sc.unit);
        if (change !== undefined) expect(next).toBe(change);
        else if (next !== undefined)
          expect(next).toBeGreaterThanOrEqual((windowStart + sc.duration) * 1000);
      }),
      { numRuns: 200, seed: 20240610 },
    );
  });
});

describe('property: one installed set and one instant give one answer', () => {
  // Unique ids and (connector, purpose, stackLevel), so no install replaces another and every
  // order installs the same set (§3.13.2, §5.16.4).
  const orderArb = scenarioArb.chain((sc) =>
    fc.record({
      sc: fc.constant(sc),
      keysA: fc.array(fc.double({ noNaN: true }), {
        minLength: sc.profiles.length,
        maxLength: sc.profiles.length,
      }),
      keysB: fc.array(fc.double({ noNaN: true }), {
        minLength: sc.profiles.length,
        maxLength: sc.profiles.length,
      }),
      installedBefore: fc.integer({ min: 0, max: 4 * 3600 }),
    }),
  );

  test('regression §3.13.1: store == preview whatever the install order and dropExpired calls (fast-check)', () => {
    fc.assert(
      fc.property(orderArb, ({ sc, keysA, keysB, installedBefore }) => {
        const windowStart = BASE + sc.windowStart;
        const seen = new Set<string>();
        const entries = sc.profiles
          .map((p) => ({
            connectorId: Math.min(p.connectorId, sc.connectors),
            csChargingProfiles: p.profile,
          }))
          .filter(({ connectorId, csChargingProfiles: p }) => {
            const keys = [
              `id ${p.chargingProfileId}`,
              `${connectorId} ${p.chargingProfilePurpose} ${p.stackLevel}`,
            ];
            if (keys.some((k) => seen.has(k))) return false;
            for (const k of keys) seen.add(k);
            return true;
          });
        const ordered = (keys: number[]) =>
          entries
            .map((entry, i) => ({ entry, key: keys[i] ?? 0 }))
            .sort((x, y) => x.key - y.key)
            .map((x) => x.entry);
        const build = (order: typeof entries, housekeeping: boolean) => {
          let now = (windowStart - installedBefore) * 1000;
          const store = new ProfileStore({
            config: { connectors: sc.connectors },
            clock: () => now,
          });
          sc.txStarts.forEach((start, i) => {
            if (start !== undefined && i + 1 <= sc.connectors)
              store.startTransaction(i + 1, (BASE + start) * 1000, i + 100);
          });
          for (const entry of order) {
            store.install(entry);
            if (housekeeping) store.dropExpired();
          }
          now = windowStart * 1000;
          if (housekeeping) store.dropExpired();
          return store;
        };
        const a = build(ordered(keysA), false);
        const b = build(ordered(keysB), true);
        const request = {
          connectorId: Math.min(sc.connectorId, sc.connectors),
          duration: sc.duration,
          chargingRateUnit: sc.unit,
        };
        const fromA = a.compositeSchedule(request);
        expect(b.compositeSchedule(request)).toEqual(fromA);
        const preview = previewCompositeSchedule(
          {
            config: { connectors: sc.connectors },
            profiles: a.profiles(),
            transactions: a.transactions(),
          },
          request,
          windowStart * 1000,
        );
        expect(preview).toEqual(fromA);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
