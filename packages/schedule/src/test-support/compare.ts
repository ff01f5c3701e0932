import {
  type ChargingSchedulePeriod,
  type GetCompositeScheduleResponse,
  validateGetCompositeScheduleResponse,
} from '@ocpp-kit/messages';

/** How a vector compares numberPhases (see the vectors file's `_format.compare`). */
export type PhasesMode = 'ignore' | 'if-present-in-expected' | 'exact';

export interface CompareOptions {
  readonly numberPhases: PhasesMode;
  readonly limitTolerance: number;
}

/** Every difference between two GetCompositeSchedule.conf payloads; empty when they agree. */
export function differences(
  got: GetCompositeScheduleResponse,
  expected: GetCompositeScheduleResponse,
  options: CompareOptions,
): string[] {
  const out: string[] = [];
  if (got.status !== expected.status) out.push(`status ${got.status} != ${expected.status}`);
  if (expected.status !== 'Accepted' || got.status !== 'Accepted') return out;
  if (got.connectorId !== expected.connectorId) out.push('connectorId');
  if (Date.parse(got.scheduleStart ?? '') !== Date.parse(expected.scheduleStart ?? '')) {
    out.push(`scheduleStart ${got.scheduleStart} != ${expected.scheduleStart}`);
  }
  const g = got.chargingSchedule;
  const e = expected.chargingSchedule;
  if (g === undefined || e === undefined) return [...out, 'chargingSchedule missing'];
  if (g.duration !== e.duration) out.push(`duration ${g.duration} != ${e.duration}`);
  if (g.chargingRateUnit !== e.chargingRateUnit) out.push('chargingRateUnit');
  if (e.startSchedule !== undefined) out.push('expected carries chargingSchedule.startSchedule');
  const gp = g.chargingSchedulePeriod;
  const ep = e.chargingSchedulePeriod;
  if (gp.length !== ep.length) out.push(`${gp.length} periods != ${ep.length}`);
  for (let i = 0; i < Math.min(gp.length, ep.length); i++) {
    const a = gp[i] as ChargingSchedulePeriod;
    const b = ep[i] as ChargingSchedulePeriod;
    if (a.startPeriod !== b.startPeriod)
      out.push(`[${i}].startPeriod ${a.startPeriod} != ${b.startPeriod}`);
    if (Math.abs(a.limit - b.limit) > options.limitTolerance)
      out.push(`[${i}].limit ${a.limit} != ${b.limit}`);
    const checkPhases =
      options.numberPhases === 'exact' ||
      (options.numberPhases === 'if-present-in-expected' && b.numberPhases !== undefined);
    if (checkPhases && a.numberPhases !== b.numberPhases) {
      out.push(`[${i}].numberPhases ${a.numberPhases} != ${b.numberPhases}`);
    }
  }
  return out;
}

/** Decision 3 applied to an expected payload: limits rounded down to 0.1. */
export function roundedDown(expected: GetCompositeScheduleResponse): GetCompositeScheduleResponse {
  if (expected.chargingSchedule === undefined) return expected;
  return {
    ...expected,
    chargingSchedule: {
      ...expected.chargingSchedule,
      chargingSchedulePeriod: expected.chargingSchedule.chargingSchedulePeriod.map((p) => ({
        ...p,
        limit: Math.floor(p.limit * 10 + 1e-7) / 10,
      })),
    },
  };
}

/**
 * Problems a peer would see: the generated GetCompositeSchedule.conf validator (limits
 * multipleOf 0.1, no extra fields) plus errata 3.57 (no chargingSchedule.startSchedule).
 */
export function confShapeProblems(conf: GetCompositeScheduleResponse): string[] {
  const out = (validateGetCompositeScheduleResponse(conf) ?? []).map(
    (f) => `${f.instancePath}: ${f.message}`,
  );
  if (conf.chargingSchedule !== undefined && 'startSchedule' in conf.chargingSchedule) {
    out.push('chargingSchedule.startSchedule present');
  }
  return out;
}
