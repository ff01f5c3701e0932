import {
  type CompiledProfile,
  endOf,
  KIND_ABSOLUTE,
  KIND_RECURRING,
  PURPOSE_CP_MAX,
  PURPOSE_TX,
  PURPOSE_TX_DEFAULT,
} from './compiled-profile.js';
import type { ScheduleConfig } from './config.js';

/** A running transaction as the evaluator sees it (instants in epoch seconds). */
export interface TransactionState {
  readonly startedAt: number;
  readonly transactionId: number | undefined;
}

/**
 * One purpose's profiles (highest stackLevel first) with a per-profile cache of the state found
 * at the last evaluation and the instant it stays valid until, so a forward walk re-evaluates a
 * profile only when that profile itself changes.
 */
export class PurposeCursor {
  readonly profiles: readonly CompiledProfile[];
  readonly until: Float64Array;
  readonly limit: Float64Array;
  readonly phases: Uint8Array;
  readonly active: Uint8Array;

  constructor(profiles: readonly CompiledProfile[]) {
    const n = profiles.length;
    this.profiles = profiles;
    this.until = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.limit = new Float64Array(n);
    this.phases = new Uint8Array(n);
    this.active = new Uint8Array(n);
  }

  /** Forgets every cached state, before a walk from an earlier instant or another origin. */
  rewind(): void {
    this.until.fill(Number.NEGATIVE_INFINITY);
  }
}

/** The profiles that can apply to one connector. */
export interface ConnectorStack {
  readonly txDefault: PurposeCursor;
  readonly tx: PurposeCursor;
  /** Start of the connector's transaction (epoch s), NaN when none runs. */
  readonly startedAt: number;
  /** Where Relative schedules start: the transaction start, else the evaluation start (simulated). */
  origin: number;
}

/** Scratch output of one evaluation step; reused to keep the per-segment path allocation-free. */
export interface Step {
  /** Limit in the requested unit. */
  limit: number;
  /** numberPhases of the result; 0 when no contributing period states it. */
  phases: number;
  /** True when some profile limits this instant (false = configured default, decision 1). */
  limited: boolean;
  /** The next instant (epoch seconds) at which any contributing input may change. */
  until: number;
}

interface Hit {
  found: boolean;
  limit: number;
  phases: number;
  watts: boolean;
  until: number;
}

const hitA: Hit = { found: false, limit: 0, phases: 0, watts: false, until: 0 };
const hitB: Hit = { found: false, limit: 0, phases: 0, watts: false, until: 0 };
const hitC: Hit = { found: false, limit: 0, phases: 0, watts: false, until: 0 };

/** The origin of the activation of `p` covering `t`, or NaN when `p` does not apply at `t`. */
function activeOrigin(p: CompiledProfile, t: number, relativeOrigin: number): number {
  if (t < p.validFrom || t >= p.validTo) return Number.NaN;
  let o: number;
  if (p.kind === KIND_RECURRING) {
    // Projected before and after startSchedule alike (errata 3.79: "every 24 hours / 7 days").
    o = p.start + Math.floor((t - p.start) / p.recurrence) * p.recurrence;
  } else {
    o = p.kind === KIND_ABSOLUTE ? p.start : relativeOrigin;
  }
  return t >= o && t < o + p.span ? o : Number.NaN;
}

/** The earliest instant >= x at which `p` applies, or +Infinity. */
function nextActiveFrom(p: CompiledProfile, x: number, relativeOrigin: number): number {
  const t = Math.max(x, p.validFrom);
  if (t >= p.validTo || p.span <= 0) return Number.POSITIVE_INFINITY;
  let r: number;
  if (p.kind === KIND_RECURRING) {
    const o = p.start + Math.floor((t - p.start) / p.recurrence) * p.recurrence;
    r = t < o + p.span ? t : o + p.recurrence;
  } else {
    const o = p.kind === KIND_ABSOLUTE ? p.start : relativeOrigin;
    r = t < o ? o : t < o + p.span ? t : Number.POSITIVE_INFINITY;
  }
  return r < p.validTo ? r : Number.POSITIVE_INFINITY;
}

/** Refreshes the cached state of profile `i` of `cursor` at `t`. */
function refresh(cursor: PurposeCursor, i: number, t: number, origin: number): void {
  const p = cursor.profiles[i] as CompiledProfile;
  const o = activeOrigin(p, t, origin);
  if (Number.isNaN(o)) {
    cursor.active[i] = 0;
    cursor.until[i] = nextActiveFrom(p, t, origin);
    return;
  }
  const starts = p.starts;
  const offset = t - o;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  let until = Math.min(o + p.span, p.validTo);
  if (lo + 1 < starts.length) until = Math.min(until, o + (starts[lo + 1] as number));
  cursor.active[i] = 1;
  cursor.limit[i] = p.limits[lo] as number;
  cursor.phases[i] = p.phases[lo] as number;
  cursor.until[i] = until;
}

/**
 * §3.13.2: the prevailing profile of one purpose at `t` is the highest stackLevel that applies.
 * `t` must not decrease between calls on the same cursor.
 */
function evalPurpose(cursor: PurposeCursor, t: number, origin: number, hit: Hit): void {
  let until = Number.POSITIVE_INFINITY;
  const n = cursor.profiles.length;
  for (let i = 0; i < n; i++) {
    if (t >= (cursor.until[i] as number)) refresh(cursor, i, t, origin);
    const end = cursor.until[i] as number;
    if (end < until) until = end;
    if (cursor.active[i] === 1) {
      hit.found = true;
      hit.limit = cursor.limit[i] as number;
      hit.phases = cursor.phases[i] as number;
      hit.watts = (cursor.profiles[i] as CompiledProfile).watts;
      hit.until = until;
      return;
    }
  }
  hit.found = false;
  hit.until = until;
}

/** Decision 2 / errata 3.69: convert with the period's own numberPhases (3 when absent). */
function convert(hit: Hit, wantWatts: boolean, voltage: number): number {
  if (hit.watts === wantWatts) return hit.limit;
  const factor = voltage * (hit.phases === 0 ? 3 : hit.phases);
  return wantWatts ? hit.limit * factor : hit.limit / factor;
}

function minPhases(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return Math.min(a, b);
}

/**
 * The limit of one connector at `t` (§3.13.3): TxProfile, else TxDefaultProfile, combined by
 * minimum with ChargePointMaxProfile when `cpMax` is given.
 */
export function connectorStep(
  stack: ConnectorStack,
  cpMax: PurposeCursor | undefined,
  t: number,
  wantWatts: boolean,
  config: ScheduleConfig,
  out: Step,
): void {
  const voltage = config.supplyVoltage;
  let limited = false;
  let limit = Number.POSITIVE_INFINITY;
  let phases = 0;
  evalPurpose(stack.tx, t, stack.origin, hitA);
  let until = hitA.until;
  if (hitA.found) {
    limited = true;
    limit = convert(hitA, wantWatts, voltage);
    phases = hitA.phases;
  } else {
    evalPurpose(stack.txDefault, t, stack.origin, hitB);
    if (hitB.until < until) until = hitB.until;
    if (hitB.found) {
      limited = true;
      limit = convert(hitB, wantWatts, voltage);
      phases = hitB.phases;
    }
  }
  if (cpMax !== undefined) {
    evalPurpose(cpMax, t, stack.origin, hitC);
    if (hitC.until < until) until = hitC.until;
    if (hitC.found) {
      limited = true;
      const c = convert(hitC, wantWatts, voltage);
      if (c < limit) limit = c;
      phases = minPhases(phases, hitC.phases);
    }
  }
  out.limited = limited;
  out.limit = limited ? limit : wantWatts ? config.defaultLimitW : config.defaultLimitA;
  out.phases = phases;
  out.until = until;
}

/**
 * Connector 0 (§5.7, errata 3.30): the expected grid draw, the sum over connectors (a connector no
 * profile limits draws the default), capped by ChargePointMaxProfile.
 */
export function gridStep(
  stacks: readonly ConnectorStack[],
  cpMax: PurposeCursor,
  windowStart: number,
  t: number,
  wantWatts: boolean,
  config: ScheduleConfig,
  out: Step,
): void {
  let sum = 0;
  let phases = 0;
  let until = Number.POSITIVE_INFINITY;
  let limited = false;
  for (let i = 0; i < stacks.length; i++) {
    connectorStep(stacks[i] as ConnectorStack, undefined, t, wantWatts, config, out);
    sum += out.limit;
    if (out.phases > phases) phases = out.phases;
    if (out.until < until) until = out.until;
    if (out.limited) limited = true;
  }
  evalPurpose(cpMax, t, windowStart, hitC);
  if (hitC.until < until) until = hitC.until;
  if (hitC.found) {
    limited = true;
    const c = convert(hitC, wantWatts, config.supplyVoltage);
    if (c < sum) sum = c;
    phases = minPhases(phases, hitC.phases);
  }
  out.limit = sum;
  out.phases = phases;
  out.limited = limited;
  out.until = until;
}

function byStackLevelDesc(a: CompiledProfile, b: CompiledProfile): number {
  return b.stackLevel - a.stackLevel;
}

/** ChargePointMaxProfiles (connector 0 only, §3.13.1), highest stackLevel first. */
export function cpMaxCursor(profiles: readonly CompiledProfile[]): PurposeCursor {
  return new PurposeCursor(
    profiles.filter((p) => p.purpose === PURPOSE_CP_MAX).sort(byStackLevelDesc),
  );
}

/**
 * The stack of connector `connectorId` (>= 1). §3.13.1: a connector-0 TxDefaultProfile applies to
 * every connector until a connector-specific one replaces it; we replace per stackLevel, matching
 * the one-profile-per-purpose-and-stackLevel rule of §3.13.2, and only until the replacing
 * profile ends (`endOf`): an ended profile is as if absent, so the answer never depends on
 * whether `dropExpired` ran. TxProfiles apply only to the running transaction (and to its
 * transactionId when the profile names one).
 */
export function connectorStack(
  profiles: readonly CompiledProfile[],
  connectorId: number,
  transaction: TransactionState | undefined,
): ConnectorStack {
  const own: CompiledProfile[] = [];
  const shared: CompiledProfile[] = [];
  const tx: CompiledProfile[] = [];
  for (const p of profiles) {
    if (p.purpose === PURPOSE_TX_DEFAULT) {
      if (p.connectorId === connectorId) own.push(p);
      else if (p.connectorId === 0) shared.push(p);
    } else if (
      p.purpose === PURPOSE_TX &&
      p.connectorId === connectorId &&
      transaction !== undefined
    ) {
      if (
        p.transactionId === undefined ||
        transaction.transactionId === undefined ||
        p.transactionId === transaction.transactionId
      ) {
        tx.push(p);
      }
    }
  }
  const own0 = own.length;
  for (const p of shared) {
    let shadowedUntil = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < own0; i++) {
      const o = own[i] as CompiledProfile;
      if (o.stackLevel === p.stackLevel) shadowedUntil = Math.max(shadowedUntil, endOf(o));
    }
    if (shadowedUntil === Number.NEGATIVE_INFINITY) own.push(p);
    else if (shadowedUntil < p.validTo) {
      // Applies to this connector once the connector's own profile has ended.
      own.push({ ...p, validFrom: Math.max(p.validFrom, shadowedUntil) });
    }
  }
  return {
    txDefault: new PurposeCursor(own.sort(byStackLevelDesc)),
    tx: new PurposeCursor(tx.sort(byStackLevelDesc)),
    startedAt: transaction === undefined ? Number.NaN : transaction.startedAt,
    origin: Number.NaN,
  };
}
