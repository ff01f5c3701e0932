import type {
  ChargingProfile,
  ChargingSchedule,
  ChargingSchedulePeriod,
  RecurrencyKind,
} from '@ocpp-kit/messages';
import { ScheduleError } from './errors.js';
import { type Rejection, reject } from './reject-reasons.js';
import { parseDateTime } from './time.js';

export const PURPOSE_CP_MAX = 0;
export const PURPOSE_TX_DEFAULT = 1;
export const PURPOSE_TX = 2;
export const KIND_ABSOLUTE = 0;
export const KIND_RECURRING = 1;
const KIND_RELATIVE = 2;

const DAY = 86_400;
const WEEK = 7 * DAY;

/**
 * A profile in numbers, ready for evaluation. Instants are whole epoch seconds; an absent
 * startSchedule is NaN, absent duration/validTo are +Infinity, absent validFrom is -Infinity.
 */
export interface CompiledProfile {
  readonly connectorId: number;
  readonly profile: ChargingProfile;
  readonly id: number;
  readonly purpose: number;
  readonly stackLevel: number;
  readonly kind: number;
  /** Recurrence length in seconds; 0 when not Recurring. */
  readonly recurrence: number;
  readonly start: number;
  /** How long one activation lasts: duration, capped by the recurrence (errata 3.43, 3.44). */
  readonly span: number;
  readonly validFrom: number;
  readonly validTo: number;
  readonly transactionId: number | undefined;
  readonly watts: boolean;
  readonly starts: Float64Array;
  readonly limits: Float64Array;
  /** numberPhases per period; 0 when absent. */
  readonly phases: Uint8Array;
}

/**
 * The largest limit (and minChargingRate) accepted, per unit: above any real charge point, and
 * low enough that A <-> W conversion and connector sums stay finite numbers on the wire.
 */
export const maxLimit = { A: 100_000, W: 100_000_000 } as const;

/**
 * The instant (epoch s) after which `p` can never apply again, +Infinity when none: its validTo,
 * or the end of an Absolute schedule. What `dropExpired` drops, and what stops shadowing.
 */
export function endOf(p: CompiledProfile): number {
  return p.kind === KIND_ABSOLUTE ? Math.min(p.validTo, p.start + p.span) : p.validTo;
}

/** The schema's `multipleOf: 0.1`, with the wire validator's tolerance (multipleOfPrecision 9). */
function isTenths(value: number): boolean {
  const division = value / 0.1;
  return Math.abs(Math.round(division) - division) <= 1e-9;
}

/** A limit or minChargingRate the store cannot hold: negative, beyond `maxLimit`, not in tenths. */
function limitProblem(value: number, unit: 'A' | 'W', field: string): Rejection | undefined {
  if (value < 0) return reject('NegativeLimit', `${field}: must be >= 0`);
  if (value > maxLimit[unit]) {
    return reject('LimitTooHigh', `${field}: at most ${maxLimit[unit]} ${unit}`);
  }
  if (!isTenths(value)) {
    return reject('LimitNotInTenths', `${field}: must be a multiple of 0.1 (§7.14 schema)`);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function dateOrRejection(value: unknown, field: string): number | Rejection {
  if (typeof value !== 'string')
    return reject('Malformed', `${field}: expected a date-time string`);
  try {
    return parseDateTime(value, field);
  } catch (error) {
    return reject('InvalidDateTime', (error as Error).message);
  }
}

const purposes: Readonly<Record<string, number>> = {
  ChargePointMaxProfile: PURPOSE_CP_MAX,
  TxDefaultProfile: PURPOSE_TX_DEFAULT,
  TxProfile: PURPOSE_TX,
};
const kinds: Readonly<Record<string, number>> = {
  Absolute: KIND_ABSOLUTE,
  Recurring: KIND_RECURRING,
  Relative: KIND_RELATIVE,
};

/**
 * Checks a profile from an untrusted source (shape, dates, periods, kind rules that evaluation
 * depends on) and compiles it. `recurrencyKind` on a non-Recurring profile is ignored here (the
 * store rejects it, errata 3.56) so previews can evaluate what other charge points accept.
 */
export function compileProfile(connectorId: number, profile: unknown): CompiledProfile | Rejection {
  if (!isObject(profile)) return reject('Malformed', 'chargingProfile: expected an object');
  const p = profile;
  if (!isInt(p.chargingProfileId)) {
    return reject('Malformed', 'chargingProfileId: expected an integer');
  }
  if (!isInt(p.stackLevel)) return reject('Malformed', 'stackLevel: expected an integer');
  if (p.stackLevel < 0) return reject('NegativeValue', 'stackLevel: must be >= 0 (§7.8)');
  const purpose =
    typeof p.chargingProfilePurpose === 'string' ? purposes[p.chargingProfilePurpose] : undefined;
  if (purpose === undefined) {
    return reject(
      'Malformed',
      'chargingProfilePurpose: expected ChargePointMaxProfile, TxDefaultProfile or TxProfile',
    );
  }
  const kind = typeof p.chargingProfileKind === 'string' ? kinds[p.chargingProfileKind] : undefined;
  if (kind === undefined) {
    return reject('Malformed', 'chargingProfileKind: expected Absolute, Recurring or Relative');
  }
  if (p.transactionId !== undefined && !isInt(p.transactionId)) {
    return reject('Malformed', 'transactionId: expected an integer');
  }
  if (
    p.recurrencyKind !== undefined &&
    p.recurrencyKind !== 'Daily' &&
    p.recurrencyKind !== 'Weekly'
  ) {
    return reject('Malformed', 'recurrencyKind: expected Daily or Weekly');
  }
  let validFrom = Number.NEGATIVE_INFINITY;
  let validTo = Number.POSITIVE_INFINITY;
  if (p.validFrom !== undefined) {
    const v = dateOrRejection(p.validFrom, 'validFrom');
    if (typeof v !== 'number') return v;
    validFrom = v;
  }
  if (p.validTo !== undefined) {
    const v = dateOrRejection(p.validTo, 'validTo');
    if (typeof v !== 'number') return v;
    validTo = v;
  }
  if (validTo <= validFrom)
    return reject('ValidToNotAfterValidFrom', 'validTo: must be after validFrom');

  const s = p.chargingSchedule;
  if (!isObject(s)) return reject('Malformed', 'chargingSchedule: expected an object');
  if (s.chargingRateUnit !== 'A' && s.chargingRateUnit !== 'W') {
    return reject('Malformed', 'chargingSchedule.chargingRateUnit: expected A or W');
  }
  let duration = Number.POSITIVE_INFINITY;
  if (s.duration !== undefined) {
    if (!isInt(s.duration))
      return reject('Malformed', 'chargingSchedule.duration: expected an integer');
    if (s.duration < 0) return reject('NegativeValue', 'chargingSchedule.duration: must be >= 0');
    duration = s.duration;
  }
  let start = Number.NaN;
  if (s.startSchedule !== undefined) {
    const v = dateOrRejection(s.startSchedule, 'chargingSchedule.startSchedule');
    if (typeof v !== 'number') return v;
    start = v;
  }
  if (s.minChargingRate !== undefined) {
    if (!isNumber(s.minChargingRate))
      return reject('Malformed', 'chargingSchedule.minChargingRate: expected a number');
    const problem = limitProblem(
      s.minChargingRate,
      s.chargingRateUnit,
      'chargingSchedule.minChargingRate',
    );
    if (problem !== undefined) return problem;
  }

  let recurrence = 0;
  if (kind === KIND_RECURRING) {
    if (p.recurrencyKind === undefined) {
      return reject(
        'RecurringWithoutRecurrencyKind',
        'recurrencyKind: required when chargingProfileKind is Recurring',
      );
    }
    if (Number.isNaN(start)) {
      return reject(
        'RecurringWithoutStartSchedule',
        'chargingSchedule.startSchedule: required when chargingProfileKind is Recurring',
      );
    }
    recurrence = p.recurrencyKind === 'Daily' ? DAY : WEEK;
  } else if (kind === KIND_RELATIVE && !Number.isNaN(start)) {
    return reject(
      'RelativeWithStartSchedule',
      'chargingSchedule.startSchedule: must be absent when chargingProfileKind is Relative',
    );
  }

  const periods = s.chargingSchedulePeriod;
  if (!Array.isArray(periods) || periods.length === 0) {
    return reject(
      'Malformed',
      'chargingSchedule.chargingSchedulePeriod: expected a non-empty array',
    );
  }
  const n = periods.length;
  const starts = new Float64Array(n);
  const limits = new Float64Array(n);
  const phases = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const period: unknown = periods[i];
    const field = `chargingSchedule.chargingSchedulePeriod[${i}]`;
    if (!isObject(period) || !isInt(period.startPeriod) || !isNumber(period.limit)) {
      return reject('Malformed', `${field}: expected {startPeriod: integer, limit: number}`);
    }
    if (i === 0 && period.startPeriod !== 0) {
      return reject(
        'FirstPeriodNotZero',
        `${field}.startPeriod: the first period must start at 0 (errata 3.45)`,
      );
    }
    if (i > 0 && period.startPeriod <= (starts[i - 1] as number)) {
      return reject(
        'PeriodsNotIncreasing',
        `${field}.startPeriod: must be greater than the previous period's`,
      );
    }
    const problem = limitProblem(period.limit, s.chargingRateUnit, `${field}.limit`);
    if (problem !== undefined) return problem;
    if (period.numberPhases !== undefined) {
      if (!isInt(period.numberPhases) || period.numberPhases < 1 || period.numberPhases > 3) {
        return reject('InvalidNumberPhases', `${field}.numberPhases: expected 1, 2 or 3`);
      }
      phases[i] = period.numberPhases;
    }
    starts[i] = period.startPeriod;
    limits[i] = period.limit;
  }

  return {
    connectorId,
    profile: normalized(p, periods as ChargingSchedulePeriod[]),
    id: p.chargingProfileId,
    purpose,
    stackLevel: p.stackLevel,
    // errata 3.57 wording: without startSchedule a schedule is relative to the start of charging.
    kind: kind === KIND_ABSOLUTE && Number.isNaN(start) ? KIND_RELATIVE : kind,
    recurrence,
    start,
    span: recurrence > 0 ? Math.min(duration, recurrence) : duration,
    validFrom,
    validTo,
    transactionId: p.transactionId as number | undefined,
    watts: s.chargingRateUnit === 'W',
    starts,
    limits,
    phases,
  };
}

/**
 * A frozen copy holding only the schema's fields, so later mutation of the caller's object or
 * stray extra fields never reach evaluation or the persisted state. Input is already checked.
 */
function normalized(
  p: Record<string, unknown>,
  periods: ChargingSchedulePeriod[],
): ChargingProfile {
  const s = p.chargingSchedule as ChargingSchedule;
  const schedule: ChargingSchedule = {
    chargingRateUnit: s.chargingRateUnit,
    chargingSchedulePeriod: periods.map((period) =>
      Object.freeze(
        period.numberPhases === undefined
          ? { startPeriod: period.startPeriod, limit: period.limit }
          : {
              startPeriod: period.startPeriod,
              limit: period.limit,
              numberPhases: period.numberPhases,
            },
      ),
    ),
  };
  if (s.duration !== undefined) schedule.duration = s.duration;
  if (s.startSchedule !== undefined) schedule.startSchedule = s.startSchedule;
  if (s.minChargingRate !== undefined) schedule.minChargingRate = s.minChargingRate;
  Object.freeze(schedule.chargingSchedulePeriod);
  const profile: ChargingProfile = {
    chargingProfileId: p.chargingProfileId as number,
    stackLevel: p.stackLevel as number,
    chargingProfilePurpose: p.chargingProfilePurpose as ChargingProfile['chargingProfilePurpose'],
    chargingProfileKind: p.chargingProfileKind as ChargingProfile['chargingProfileKind'],
    chargingSchedule: Object.freeze(schedule),
  };
  if (p.transactionId !== undefined) profile.transactionId = p.transactionId as number;
  if (p.recurrencyKind !== undefined) profile.recurrencyKind = p.recurrencyKind as RecurrencyKind;
  if (p.validFrom !== undefined) profile.validFrom = p.validFrom as string;
  if (p.validTo !== undefined) profile.validTo = p.validTo as string;
  return Object.freeze(profile);
}

/** `compileProfile` for callers that hand in profiles they vouch for: throws INVALID_PROFILE. */
export function compileOrThrow(
  connectorId: number,
  profile: unknown,
  index: number,
): CompiledProfile {
  const compiled = compileProfile(connectorId, profile);
  if ('reason' in compiled) {
    throw new ScheduleError(
      'INVALID_PROFILE',
      `profiles[${index}]: ${compiled.reason}: ${compiled.message}`,
    );
  }
  return compiled;
}
