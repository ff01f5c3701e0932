import type {
  ChargingRateUnit,
  ChargingSchedulePeriod,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
} from '@ocpp-kit/messages';
import type { CompiledProfile } from './compiled-profile.js';
import type { ScheduleConfig } from './config.js';
import {
  type ConnectorStack,
  connectorStack,
  connectorStep,
  cpMaxCursor,
  gridStep,
  type PurposeCursor,
  type Step,
  type TransactionState,
} from './evaluate.js';
import { formatDateTime } from './time.js';

/** Everything an evaluation reads: configuration, installed profiles, running transactions. */
export interface ScheduleSnapshot {
  readonly config: ScheduleConfig;
  readonly profiles: readonly CompiledProfile[];
  /** Indexed by connectorId (index 0 unused). */
  readonly transactions: readonly (TransactionState | undefined)[];
}

/** What one connector (or the grid, connector 0) evaluates against; reusable across calls. */
export interface Prepared {
  readonly connectorId: number;
  start: number;
  readonly stacks: readonly ConnectorStack[];
  readonly cpMax: PurposeCursor;
}

/** Where a walk gets its `Prepared` from: built per call (previews) or cached (the store). */
export type PreparedSource = (connectorId: number) => Prepared;

const scratch: Step = { limit: 0, phases: 0, limited: false, until: 0 };

/** Work bound per reported period: each step is one change of some input (merged or not). */
const STEPS_PER_PERIOD = 64;

/** Builds the cursors of one connector (0 = all connectors plus ChargePointMaxProfile). */
export function prepare(snapshot: ScheduleSnapshot, connectorId: number): Prepared {
  const { profiles, transactions, config } = snapshot;
  const stacks: ConnectorStack[] = [];
  const first = connectorId === 0 ? 1 : connectorId;
  const last = connectorId === 0 ? config.connectors : connectorId;
  for (let c = first; c <= last; c++) stacks.push(connectorStack(profiles, c, transactions[c]));
  return { connectorId, start: Number.NaN, stacks, cpMax: cpMaxCursor(profiles) };
}

/** Resets `prepared` for a forward walk from `start`. */
function rewind(prepared: Prepared, start: number): Prepared {
  prepared.start = start;
  prepared.cpMax.rewind();
  for (const stack of prepared.stacks) {
    stack.origin = Number.isNaN(stack.startedAt) ? start : stack.startedAt;
    stack.tx.rewind();
    stack.txDefault.rewind();
  }
  return prepared;
}

function stepAt(
  prepared: Prepared,
  t: number,
  wantWatts: boolean,
  config: ScheduleConfig,
  out: Step,
): void {
  if (prepared.connectorId === 0) {
    gridStep(prepared.stacks, prepared.cpMax, prepared.start, t, wantWatts, config, out);
  } else {
    connectorStep(prepared.stacks[0] as ConnectorStack, prepared.cpMax, t, wantWatts, config, out);
  }
}

/** Decision 3: the conf requires multipleOf 0.1; rounding down never exceeds a limit. */
function roundDown(limit: number): number {
  return Math.floor(limit * 10 + 1e-7) / 10;
}

export function isKnownConnector(
  config: ScheduleConfig,
  connectorId: unknown,
): connectorId is number {
  return (
    typeof connectorId === 'number' &&
    Number.isSafeInteger(connectorId) &&
    connectorId >= 0 &&
    connectorId <= config.connectors
  );
}

/** The unit used when GetCompositeSchedule.req has none: the first allowed schedule unit. */
export function defaultUnit(config: ScheduleConfig): ChargingRateUnit {
  return config.allowedChargingRateUnits[0] === 'Power' ? 'W' : 'A';
}

/**
 * GetCompositeSchedule (§5.7) from `atSeconds` for `request.duration` seconds. Rejected when the
 * connector is unknown (§5.7), the duration is negative or the result would exceed
 * `maxCompositePeriods`; periods are relative to scheduleStart, equal neighbours merged, limits
 * rounded down to 0.1, and `chargingSchedule.startSchedule` omitted (errata 3.57).
 */
export function compositeSchedule(
  config: ScheduleConfig,
  source: PreparedSource,
  request: GetCompositeScheduleRequest,
  atSeconds: number,
): GetCompositeScheduleResponse {
  if (typeof request !== 'object' || request === null) return { status: 'Rejected' };
  const { connectorId, duration } = request;
  const unit = request.chargingRateUnit ?? defaultUnit(config);
  if (
    !isKnownConnector(config, connectorId) ||
    typeof duration !== 'number' ||
    !Number.isSafeInteger(duration) ||
    duration < 0 ||
    (unit !== 'A' && unit !== 'W')
  ) {
    return { status: 'Rejected' };
  }
  const wantWatts = unit === 'W';
  const prepared = rewind(source(connectorId), atSeconds);
  const periods: ChargingSchedulePeriod[] = [];
  const maxPeriods = config.maxCompositePeriods;
  let budget = maxPeriods * STEPS_PER_PERIOD;
  let lastLimit = Number.NaN;
  let lastPhases = -1;
  const end = atSeconds + duration;
  let t = atSeconds;
  // do-while: §7.13 needs at least one period, also for duration 0 (the limit at scheduleStart).
  do {
    if (--budget < 0) return { status: 'Rejected' };
    stepAt(prepared, t, wantWatts, config, scratch);
    const limit = roundDown(scratch.limit);
    if (limit !== lastLimit || scratch.phases !== lastPhases) {
      if (periods.length === maxPeriods) return { status: 'Rejected' };
      periods.push(
        scratch.phases === 0
          ? { startPeriod: t - atSeconds, limit }
          : { startPeriod: t - atSeconds, limit, numberPhases: scratch.phases },
      );
      lastLimit = limit;
      lastPhases = scratch.phases;
    }
    t = scratch.until;
  } while (t < end);
  return {
    status: 'Accepted',
    connectorId,
    scheduleStart: formatDateTime(atSeconds),
    chargingSchedule: { duration, chargingRateUnit: unit, chargingSchedulePeriod: periods },
  };
}

/** The limit in force at one instant. */
export interface LimitInForce {
  /** Unrounded limit in `chargingRateUnit`. */
  readonly limit: number;
  readonly chargingRateUnit: ChargingRateUnit;
  /** Present when a contributing period states numberPhases. */
  readonly numberPhases?: number;
  /** False when no profile limits this instant and `limit` is the configured default (decision 1). */
  readonly limited: boolean;
}

export function limitAt(
  config: ScheduleConfig,
  source: PreparedSource,
  connectorId: number,
  atSeconds: number,
  unit: ChargingRateUnit,
): LimitInForce {
  const prepared = rewind(source(connectorId), atSeconds);
  stepAt(prepared, atSeconds, unit === 'W', config, scratch);
  return scratch.phases === 0
    ? { limit: scratch.limit, chargingRateUnit: unit, limited: scratch.limited }
    : {
        limit: scratch.limit,
        chargingRateUnit: unit,
        numberPhases: scratch.phases,
        limited: scratch.limited,
      };
}

/**
 * The first instant after `atSeconds` at which the limit or numberPhases differs from the one in
 * force at `atSeconds`, or undefined when it never changes. When the work bound is reached before
 * either is known, the instant reached is returned: the caller re-checks there (it may be no
 * change), never misses one.
 */
export function nextChange(
  config: ScheduleConfig,
  source: PreparedSource,
  connectorId: number,
  atSeconds: number,
  unit: ChargingRateUnit,
): number | undefined {
  const wantWatts = unit === 'W';
  const prepared = rewind(source(connectorId), atSeconds);
  stepAt(prepared, atSeconds, wantWatts, config, scratch);
  const limit = scratch.limit;
  const phases = scratch.phases;
  let t = scratch.until;
  let budget = config.maxCompositePeriods * STEPS_PER_PERIOD;
  while (t !== Number.POSITIVE_INFINITY) {
    if (--budget < 0) return t;
    stepAt(prepared, t, wantWatts, config, scratch);
    if (scratch.limit !== limit || scratch.phases !== phases) return t;
    t = scratch.until;
  }
  return undefined;
}
