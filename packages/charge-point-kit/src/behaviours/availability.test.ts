import { describe, expect, test } from 'vitest';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { startTestCsms } from '../test-helpers/test-csms.js';

async function started(directory?: string) {
  const csms = await startTestCsms();
  const { chargePoint, directory: dir } = testChargePoint(
    csms.url,
    directory === undefined ? {} : { storage: { directory } },
  );
  chargePoint.start();
  await next(chargePoint, 'accepted');
  await csms.waitFor('StatusNotification', 3);
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('not connected');
  return { csms, chargePoint, connection, directory: dir };
}

describe('ChangeAvailability (§5.2)', () => {
  test('A8/H1: a connector set Inoperative is Unavailable at once, and Operative again Available', async () => {
    const { csms, chargePoint, connection } = await started();
    await expect(
      connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [, , , unavailable] = await csms.waitFor('StatusNotification', 4);
    expect(unavailable?.payload).toMatchObject({ connectorId: 1, status: 'Unavailable' });
    // §5.2: a change to the state it is in is Accepted.
    await expect(
      connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      connection.call('ChangeAvailability', { connectorId: 1, type: 'Operative' }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(chargePoint.status(1)).toBe('Available');
  });

  test('§5.2: a connector in use answers Scheduled and becomes Unavailable when the use ends', async () => {
    const { csms, chargePoint, connection } = await started();
    chargePoint.plugIn(2);
    await expect(
      connection.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' }),
    ).resolves.toEqual({ status: 'Scheduled' });
    expect(chargePoint.status(2)).toBe('Preparing');
    chargePoint.unplug(2);
    expect(chargePoint.status(2)).toBe('Unavailable');
    await csms.waitFor('StatusNotification', 6);
  });

  test('§5.2: connector 0 applies to the charge point and every connector; an unknown connector is Rejected', async () => {
    const { chargePoint, connection } = await started();
    await expect(
      connection.call('ChangeAvailability', { connectorId: 3, type: 'Inoperative' }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      connection.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect([0, 1, 2].map((id) => chargePoint.status(id))).toEqual([
      'Unavailable',
      'Unavailable',
      'Unavailable',
    ]);
  });

  test('the availability asked for holds across a restart', async () => {
    const first = await started();
    await first.connection.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    await first.chargePoint.stop();
    const { chargePoint } = testChargePoint(first.csms.url, {
      storage: { directory: first.directory },
    });
    expect(chargePoint.status(2)).toBe('Unavailable');
    expect(chargePoint.status(1)).toBe('Available');
  });
});
