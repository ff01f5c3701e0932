import { describe, expect, test } from 'vitest';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';

async function started(options: Parameters<typeof testChargePoint>[1] = {}) {
  const csms = await startTestCsms();
  const { chargePoint } = testChargePoint(csms.url, options);
  chargePoint.start();
  await next(chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 3);
  const statuses = () =>
    csms.received
      .filter((r) => r.action === 'StatusNotification')
      .map(
        (r) =>
          `${String(r.payload.connectorId)}:${String(r.payload.status)}:${String(r.payload.errorCode)}`,
      );
  return { csms, chargePoint, statuses };
}

describe('StatusNotification (§4.9)', () => {
  test('errata 3.22: after the Accepted boot, connector 0 and every connector report their status', async () => {
    const { statuses } = await started();
    expect(statuses()).toEqual([
      '0:Available:NoError',
      '1:Available:NoError',
      '2:Available:NoError',
    ]);
  });

  test('errata 3.19: each change is sent; faults carry their error code and vendor info, and clear back (A9, I2)', async () => {
    const { csms, chargePoint, statuses } = await started();
    chargePoint.plugIn(1);
    await csms.waitFor('StatusNotification', 4);
    chargePoint.raiseFault(1, {
      errorCode: 'GroundFailure',
      info: 'RCD tripped',
      vendorId: 'com.example',
      vendorErrorCode: 'E42',
    });
    const [, , , , faulted] = await csms.waitFor('StatusNotification', 5);
    expect(faulted?.payload).toMatchObject({
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      info: 'RCD tripped',
      vendorId: 'com.example',
      vendorErrorCode: 'E42',
    });
    chargePoint.clearFault(1);
    await csms.waitFor('StatusNotification', 6);
    expect(statuses().slice(3)).toEqual([
      '1:Preparing:NoError',
      '1:Faulted:GroundFailure',
      '1:Preparing:NoError',
    ]);
    expect(chargePoint.status(1)).toBe('Preparing');
  });

  test('§4.9 connector 0: a charge point fault makes connector 0 Faulted; the connectors keep theirs', async () => {
    const { csms, chargePoint, statuses } = await started();
    chargePoint.raiseFault(0, { errorCode: 'PowerMeterFailure' });
    await csms.waitFor('StatusNotification', 4);
    expect(statuses().at(-1)).toBe('0:Faulted:PowerMeterFailure');
    expect(chargePoint.status(1)).toBe('Available');
  });

  test('§9.1.20 MinimumStatusDuration: a status that does not hold that long is not sent', async () => {
    const { csms, chargePoint, statuses } = await started({
      configuration: { values: { MinimumStatusDuration: 1 } },
    });
    chargePoint.plugIn(1);
    chargePoint.unplug(1);
    chargePoint.plugIn(2);
    await csms.waitFor('StatusNotification', 4, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(statuses().slice(3)).toEqual(['2:Preparing:NoError']);
  });

  test('after a reconnection only what changed meanwhile is sent', async () => {
    const { csms, chargePoint, statuses } = await started();
    const disconnected = next(chargePoint, 'disconnected');
    csms.server.connections.get('CP1')?.terminate();
    await disconnected;
    chargePoint.plugIn(2);
    await next(chargePoint, 'accepted');
    await csms.waitFor('StatusNotification', 4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statuses().slice(3)).toEqual(['2:Preparing:NoError']);
  });

  test('an unknown connector is a typed error naming the range', async () => {
    const { chargePoint } = await started();
    expect(() => chargePoint.plugIn(3)).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_CONNECTOR',
        message: expect.stringContaining('1-2'),
      }),
    );
  });
});
