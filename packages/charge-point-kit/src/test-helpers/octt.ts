import type { ChargePointOptions } from '../charge-point-options.js';
import { ManualTimers } from './manual-timers.js';
import { next, testChargePoint } from './test-charge-point.js';
import { answerBoots, startTestCsms } from './test-csms.js';

/** The CSMS's time in the OCTT scenarios: whole seconds, so schedules line up exactly. */
export const octtTime = Date.UTC(2026, 5, 1, 10, 0, 0);

/**
 * The system under test of a `TC_xxx_CS` case: a charge point accepted by a scripted CSMS on
 * 127.0.0.1, on manual timers whose clock the CSMS set to `octtTime`; the boot
 * StatusNotifications delivered.
 */
export async function octtChargePoint(options: Partial<ChargePointOptions> = {}) {
  const timers = new ManualTimers();
  const csms = await startTestCsms();
  answerBoots(csms, ['Accepted'], 300, new Date(octtTime).toISOString());
  const made = testChargePoint(csms.url, { timers, clock: timers.clock, ...options });
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 1 + (options.connectors ?? 2));
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('The charge point is not connected');
  const sent = (action: string) => csms.received.filter((r) => r.action === action);
  return { csms, connection, sent, timers, ...made };
}
