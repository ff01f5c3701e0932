import type { ChargePointOptions } from '../charge-point-options.js';
import { acceptedChargePoint } from './accepted.js';
import { ManualTimers } from './manual-timers.js';
import { answerBoots } from './test-csms.js';

/** The CSMS's time in the OCTT scenarios: whole seconds, so schedules line up exactly. */
export const octtTime = Date.UTC(2026, 5, 1, 10, 0, 0);

/**
 * The system under test of a `TC_xxx_CS` case on manual time: a charge point accepted by a
 * scripted CSMS on 127.0.0.1 that set its clock to `octtTime`.
 */
export async function octtChargePoint(options: Partial<ChargePointOptions> = {}) {
  const timers = new ManualTimers();
  const made = await acceptedChargePoint({ timers, clock: timers.clock, ...options }, (csms) =>
    answerBoots(csms, ['Accepted'], 300, new Date(octtTime).toISOString()),
  );
  return { ...made, timers };
}
