import { describe, expect, test } from 'vitest';
import { acceptedChargePoint, pendingChargePoint, settle } from '../test-helpers/accepted.js';
import { next } from '../test-helpers/test-charge-point.js';

describe('remote control (§5.11, §5.12, §5.18)', () => {
  test('§5.11 AuthorizeRemoteTxRequests false: Accepted, and the transaction starts once plugged, without an Authorize', async () => {
    const { csms, connection, chargePoint, sent } = await acceptedChargePoint();
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'APP1', connectorId: 2 }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(chargePoint.status(2)).toBe('Preparing');
    chargePoint.plugIn(2);
    const [start] = await csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ connectorId: 2, idTag: 'APP1' });
    expect(sent('Authorize')).toHaveLength(0);
  });

  test('§5.11 AuthorizeRemoteTxRequests true: the idTag is authorized first, and a refused one starts nothing', async () => {
    const { csms, connection, chargePoint, sent } = await acceptedChargePoint({
      configuration: { values: { AuthorizeRemoteTxRequests: true } },
    });
    csms.answers.Authorize = () => ({ idTagInfo: { status: 'Blocked' } });
    chargePoint.plugIn(1);
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'APP1', connectorId: 1 }),
    ).resolves.toEqual({ status: 'Accepted' });
    await csms.waitFor('Authorize');
    await settle(100);
    expect(sent('StartTransaction')).toHaveLength(0);
  });

  test('§5.11: an unknown, occupied or unavailable connector is Rejected; without connectorId a plugged one is taken', async () => {
    const { csms, connection, chargePoint } = await acceptedChargePoint();
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'A', connectorId: 3 }),
    ).resolves.toEqual({ status: 'Rejected' });
    await connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'A', connectorId: 1 }),
    ).resolves.toEqual({ status: 'Rejected' });
    chargePoint.plugIn(2);
    await expect(connection.call('RemoteStartTransaction', { idTag: 'A' })).resolves.toEqual({
      status: 'Accepted',
    });
    const [start] = await csms.waitFor('StartTransaction');
    expect(start?.payload.connectorId).toBe(2);
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'B', connectorId: 2 }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('§5.12: RemoteStopTransaction stops the transaction with reason Remote; an unknown transactionId is Rejected', async () => {
    const { csms, connection, chargePoint } = await acceptedChargePoint();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    const [, confirmed] = await Promise.all([
      csms.waitFor('StartTransaction'),
      next(chargePoint, 'transactionConfirmed'),
    ]);
    await expect(connection.call('RemoteStopTransaction', { transactionId: 999 })).resolves.toEqual(
      { status: 'Rejected' },
    );
    await expect(
      connection.call('RemoteStopTransaction', { transactionId: confirmed.transactionId }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({
      transactionId: confirmed.transactionId,
      reason: 'Remote',
    });
  });

  test('§4.2: while Pending, RemoteStart and RemoteStop are Rejected', async () => {
    const { connection } = await pendingChargePoint(60);
    await expect(
      connection.call('RemoteStartTransaction', { idTag: 'A', connectorId: 1 }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(connection.call('RemoteStopTransaction', { transactionId: 1 })).resolves.toEqual({
      status: 'Rejected',
    });
  });

  test('§5.18: UnlockConnector finishes the transaction first (UnlockCommand), then unlocks once; errata 3.87 unknown connector NotSupported', async () => {
    const { csms, connection, chargePoint, hardware } = await acceptedChargePoint();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    await csms.waitFor('StartTransaction');
    await expect(connection.call('UnlockConnector', { connectorId: 9 })).resolves.toEqual({
      status: 'NotSupported',
    });
    await expect(connection.call('UnlockConnector', { connectorId: 1 })).resolves.toEqual({
      status: 'Unlocked',
    });
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload.reason).toBe('UnlockCommand');
    expect(hardware.unlocks).toEqual([1]);
    hardware.unlockResult = 'UnlockFailed';
    await expect(connection.call('UnlockConnector', { connectorId: 2 })).resolves.toEqual({
      status: 'UnlockFailed',
    });
  });
});
