import type { ChargePointOptions } from '../charge-point-options.js';
import { next, testChargePoint } from './test-charge-point.js';
import { startTestCsms } from './test-csms.js';

/** A test CSMS and a charge point it accepted, with the boot StatusNotifications delivered. */
export async function acceptedChargePoint(options: Partial<ChargePointOptions> = {}) {
  const csms = await startTestCsms();
  const made = testChargePoint(csms.url, options);
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 1 + (options.connectors ?? 2));
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('The charge point is not connected');
  const sent = (action: string) => csms.received.filter((r) => r.action === action);
  return { csms, connection, sent, ...made };
}

export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));
