import type { ChargePointOptions } from '../charge-point-options.js';
import { acceptedChargePoint } from './accepted.js';
import { next } from './test-charge-point.js';
import { type Received, startTestCsms } from './test-csms.js';

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

/** Takes the scenario's CSMS away; resolves once the charge point noticed. */
export async function goOffline(sut: Awaited<ReturnType<typeof scenario>>): Promise<void> {
  const gone = next(sut.chargePoint, 'disconnected');
  await sut.csms.server.close();
  await gone;
}

/** A CSMS on the same port again; resolves with it once the charge point is accepted by it. */
export async function comeBack(sut: Awaited<ReturnType<typeof scenario>>) {
  const back = await startTestCsms({}, sut.csms.port);
  await next(sut.chargePoint, 'accepted');
  return back;
}
