import type { ChargePointOptions } from '../charge-point-options.js';
import { acceptedChargePoint } from './accepted.js';
import type { Received } from './test-csms.js';

/** An accepted charge point with the views an OCTT scenario checks: payloads and statuses sent. */
export async function scenario(options: Partial<ChargePointOptions> = {}) {
  const made = await acceptedChargePoint(options);
  const payloads = (action: Received['action']) =>
    made.csms.received.filter((r) => r.action === action).map((r) => r.payload);
  const statusesOf = (connectorId: number) =>
    payloads('StatusNotification')
      .filter((p) => p.connectorId === connectorId)
      .map((p) => p.status);
  return { ...made, payloads, statusesOf };
}
