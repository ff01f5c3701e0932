import type { ChargePointOptions } from '../charge-point-options.js';
import { next, testChargePoint } from './test-charge-point.js';
import { answerBoots, startTestCsms } from './test-csms.js';

/**
 * A test CSMS and a charge point it accepted, with the boot StatusNotifications delivered;
 * `setup` scripts the CSMS before the charge point connects.
 */
export async function acceptedChargePoint(
  options: Partial<ChargePointOptions> = {},
  setup?: (csms: Awaited<ReturnType<typeof startTestCsms>>) => void,
) {
  const csms = await startTestCsms();
  setup?.(csms);
  const made = testChargePoint(csms.url, options);
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 1 + (options.connectors ?? 2));
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('The charge point is not connected');
  const sent = (action: string) => csms.received.filter((r) => r.action === action);
  return { csms, connection, sent, ...made };
}

/** A test CSMS that answers BootNotification with Pending (§4.2), and its charge point, registered. */
export async function pendingChargePoint(intervalSeconds: number) {
  const csms = await startTestCsms();
  answerBoots(csms, ['Pending'], intervalSeconds);
  const made = testChargePoint(csms.url);
  await made.chargePoint.start();
  await next(made.chargePoint, 'registration');
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('The charge point is not connected');
  return { csms, connection, ...made };
}

export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));
