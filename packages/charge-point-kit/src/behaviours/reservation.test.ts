import { describe, expect, test } from 'vitest';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const reserve = (
  reservationId: number,
  connectorId: number,
  idTag: string,
  parentIdTag?: string,
) => ({
  reservationId,
  connectorId,
  idTag,
  expiryDate: inAnHour(),
  ...(parentIdTag === undefined ? {} : { parentIdTag }),
});

describe('reservations (§5.13, §5.1)', () => {
  test('§5.13: a reserved connector refuses other idTags; the reserved one starts with the reservationId, which ends it (A7, G2)', async () => {
    const { csms, connection, chargePoint } = await acceptedChargePoint();
    await expect(connection.call('ReserveNow', reserve(11, 1, 'OWNER'))).resolves.toEqual({
      status: 'Accepted',
    });
    expect(chargePoint.status(1)).toBe('Reserved');
    await expect(chargePoint.presentIdTag('STRANGER', 1)).resolves.toEqual({
      outcome: 'Rejected',
      reason: 'Reserved',
    });
    chargePoint.plugIn(1);
    await expect(chargePoint.presentIdTag('OWNER', 1)).resolves.toEqual({
      outcome: 'Authorized',
      connectorId: 1,
    });
    const [start] = await csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ connectorId: 1, idTag: 'OWNER', reservationId: 11 });
    await settle();
    await expect(connection.call('CancelReservation', { reservationId: 11 })).resolves.toEqual({
      status: 'Rejected',
    });
  });

  test("§5.13: an idTag of the reservation's parentIdTag may use it", async () => {
    const { csms, connection, chargePoint } = await acceptedChargePoint();
    csms.answers.Authorize = () => ({ idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } });
    await connection.call('ReserveNow', reserve(12, 2, 'DRIVER1', 'FLEET'));
    await expect(chargePoint.presentIdTag('DRIVER2', 2)).resolves.toEqual({
      outcome: 'Authorized',
      connectorId: 2,
    });
  });

  test('§5.13: Occupied, Faulted, Unavailable and Rejected as the connector is', async () => {
    const { connection, chargePoint } = await acceptedChargePoint();
    await connection.call('ReserveNow', reserve(1, 1, 'A'));
    await expect(connection.call('ReserveNow', reserve(2, 1, 'B'))).resolves.toEqual({
      status: 'Occupied',
    });
    chargePoint.plugIn(2);
    await expect(connection.call('ReserveNow', reserve(3, 2, 'B'))).resolves.toEqual({
      status: 'Occupied',
    });
    chargePoint.unplug(2);
    chargePoint.raiseFault(2, { errorCode: 'GroundFailure' });
    await expect(connection.call('ReserveNow', reserve(3, 2, 'B'))).resolves.toEqual({
      status: 'Faulted',
    });
    chargePoint.clearFault(2);
    await connection.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    await expect(connection.call('ReserveNow', reserve(3, 2, 'B'))).resolves.toEqual({
      status: 'Unavailable',
    });
    await expect(connection.call('ReserveNow', reserve(4, 7, 'B'))).resolves.toEqual({
      status: 'Rejected',
    });
    // §9.3.1: connector 0 without ReserveConnectorZeroSupported.
    await expect(connection.call('ReserveNow', reserve(5, 0, 'B'))).resolves.toEqual({
      status: 'Rejected',
    });
  });

  test('§5.13: connector 0 keeps one connector free for the reserved idTag', async () => {
    const { connection, chargePoint } = await acceptedChargePoint({
      configuration: { values: { ReserveConnectorZeroSupported: true } },
    });
    await expect(connection.call('ReserveNow', reserve(20, 0, 'VIP'))).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(chargePoint.presentIdTag('OTHER', 1)).resolves.toMatchObject({
      outcome: 'Authorized',
    });
    await expect(chargePoint.presentIdTag('THIRD', 2)).resolves.toEqual({
      outcome: 'Rejected',
      reason: 'Reserved',
    });
    await expect(connection.call('ReserveNow', reserve(21, 0, 'VIP2'))).resolves.toEqual({
      status: 'Occupied',
    });
    await expect(chargePoint.presentIdTag('VIP', 2)).resolves.toMatchObject({
      outcome: 'Authorized',
    });
  });

  test('§5.1 CancelReservation and G1 expiry return the connector to Available', async () => {
    const { connection, chargePoint } = await acceptedChargePoint();
    await connection.call('ReserveNow', reserve(30, 1, 'A'));
    await expect(connection.call('CancelReservation', { reservationId: 30 })).resolves.toEqual({
      status: 'Accepted',
    });
    expect(chargePoint.status(1)).toBe('Available');
    await connection.call('ReserveNow', {
      ...reserve(31, 2, 'A'),
      expiryDate: new Date(Date.now() + 300).toISOString(),
    });
    expect(chargePoint.status(2)).toBe('Reserved');
    await settle(500);
    expect(chargePoint.status(2)).toBe('Available');
  });

  test('§5.13: the same reservationId replaces the reservation; reservations survive a restart; a fault ends them', async () => {
    const { csms, connection, chargePoint, directory } = await acceptedChargePoint();
    await connection.call('ReserveNow', reserve(40, 1, 'A'));
    await expect(connection.call('ReserveNow', reserve(40, 2, 'A'))).resolves.toEqual({
      status: 'Accepted',
    });
    expect([chargePoint.status(1), chargePoint.status(2)]).toEqual(['Available', 'Reserved']);
    await chargePoint.stop();
    const restarted = testChargePoint(csms.url, { storage: { directory } }).chargePoint;
    expect(restarted.status(2)).toBe('Reserved');
    await restarted.start();
    await next(restarted, 'accepted');
    restarted.raiseFault(2, { errorCode: 'OtherError' });
    restarted.clearFault(2);
    await settle();
    expect(restarted.status(2)).toBe('Available');
  });
});
