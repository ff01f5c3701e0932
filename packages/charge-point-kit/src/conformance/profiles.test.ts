// OCTT 1.6 `_CS` cases of the Local Auth List Management, Reservation and Remote Trigger profiles.
import { describe, expect, test } from 'vitest';
import { settle } from '../test-helpers/accepted.js';
import { scenario } from '../test-helpers/scenario.js';

const full = (listVersion: number, tags: readonly string[]) => ({
  listVersion,
  updateType: 'Full' as const,
  localAuthorizationList: tags.map((idTag) => ({
    idTag,
    idTagInfo: { status: 'Accepted' as const },
  })),
});
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const reserve = (reservationId: number, connectorId: number, idTag: string, extra = {}) => ({
  reservationId,
  connectorId,
  idTag,
  expiryDate: inAnHour(),
  ...extra,
});

describe('OCTT Local Auth List Management (_CS)', () => {
  test('TC_042_1_CS Get Local List Version (not supported)', async () => {
    const sut = await scenario({ profiles: ['Core'] });
    await expect(sut.connection.call('GetLocalListVersion', {})).resolves.toEqual({
      listVersion: -1,
    });
  });

  test('TC_042_2_CS Get Local List Version (empty)', async () => {
    const sut = await scenario();
    await expect(sut.connection.call('GetLocalListVersion', {})).resolves.toEqual({
      listVersion: 0,
    });
  });

  test('TC_043_CS Send Local Authorization List', async () => {
    const sut = await scenario();
    await expect(sut.connection.call('SendLocalList', full(3, ['LISTED']))).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(sut.connection.call('GetLocalListVersion', {})).resolves.toEqual({
      listVersion: 3,
    });
  });

  test('TC_043_1_CS Send Local Authorization List - NotSupported', async () => {
    const sut = await scenario({ profiles: ['Core'] });
    await expect(sut.connection.call('SendLocalList', full(1, ['A']))).resolves.toEqual({
      status: 'NotSupported',
    });
  });

  test('TC_043_2_CS Send Local Authorization List - VersionMismatch', async () => {
    const sut = await scenario();
    await sut.connection.call('SendLocalList', full(5, ['A']));
    await expect(
      sut.connection.call('SendLocalList', {
        listVersion: 4,
        updateType: 'Differential',
        localAuthorizationList: [{ idTag: 'B', idTagInfo: { status: 'Accepted' } }],
      }),
    ).resolves.toEqual({ status: 'VersionMismatch' });
  });

  test('TC_043_3_CS Send Local Authorization List - Failed', async () => {
    const sut = await scenario({ configuration: { values: { LocalAuthListMaxLength: 1 } } });
    await expect(sut.connection.call('SendLocalList', full(2, ['A', 'B']))).resolves.toEqual({
      status: 'Failed',
    });
    await expect(sut.connection.call('GetLocalListVersion', {})).resolves.toEqual({
      listVersion: 0,
    });
  });

  test('TC_008_CS Regular Start Charging Session – Id in Local Authorization List', async () => {
    const sut = await scenario({ configuration: { values: { LocalPreAuthorize: true } } });
    await sut.connection.call('SendLocalList', full(1, ['LISTED']));
    sut.chargePoint.plugIn(1);
    await expect(sut.chargePoint.presentIdTag('LISTED', 1)).resolves.toMatchObject({
      outcome: 'Authorized',
    });
    await sut.csms.waitFor('StartTransaction');
    // §3.5.3: a listed idTag needs no Authorize.req.
    expect(sut.payloads('Authorize')).toEqual([]);
  });
});

describe('OCTT Reservation (_CS)', () => {
  test('TC_046_1_CS Reservation of a Connector - Local start transaction', async () => {
    const sut = await scenario();
    await expect(sut.connection.call('ReserveNow', reserve(1, 1, 'OWNER'))).resolves.toEqual({
      status: 'Accepted',
    });
    expect(sut.chargePoint.status(1)).toBe('Reserved');
    sut.chargePoint.plugIn(1);
    await sut.chargePoint.presentIdTag('OWNER', 1);
    const [start] = await sut.csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ idTag: 'OWNER', reservationId: 1 });
  });

  test('TC_046_2_CS Reservation of a Connector - Remote start transaction', async () => {
    const sut = await scenario();
    await sut.connection.call('ReserveNow', reserve(2, 1, 'OWNER'));
    sut.chargePoint.plugIn(1);
    await expect(
      sut.connection.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OWNER' }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [start] = await sut.csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ idTag: 'OWNER', reservationId: 2 });
  });

  test('TC_047_CS Reservation of a Connector - Expire', async () => {
    const sut = await scenario();
    await sut.connection.call(
      'ReserveNow',
      reserve(3, 1, 'OWNER', { expiryDate: new Date(Date.now() + 600).toISOString() }),
    );
    expect(sut.chargePoint.status(1)).toBe('Reserved');
    await settle(1_000);
    expect(sut.statusesOf(1).slice(-2)).toEqual(['Reserved', 'Available']);
  });

  test.each([
    ['TC_048_1_CS Reservation of a Connector - Faulted', 'Faulted'],
    ['TC_048_2_CS Reservation of a Connector - Occupied', 'Occupied'],
    ['TC_048_3_CS Reservation of a Connector - Unavailable', 'Unavailable'],
  ] as const)('%s', async (_, status) => {
    const sut = await scenario();
    if (status === 'Faulted') sut.chargePoint.raiseFault(1, { errorCode: 'GroundFailure' });
    if (status === 'Occupied') sut.chargePoint.plugIn(1);
    if (status === 'Unavailable')
      await sut.connection.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await expect(sut.connection.call('ReserveNow', reserve(4, 1, 'OWNER'))).resolves.toEqual({
      status,
    });
  });

  test('TC_048_4_CS Reservation of a Connector - Rejected', async () => {
    const sut = await scenario();
    // §5.13: a reservation the charge point cannot take (no such connector, or already expired).
    await expect(sut.connection.call('ReserveNow', reserve(5, 9, 'OWNER'))).resolves.toEqual({
      status: 'Rejected',
    });
    await expect(
      sut.connection.call(
        'ReserveNow',
        reserve(5, 1, 'OWNER', { expiryDate: new Date(Date.now() - 1000).toISOString() }),
      ),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('TC_049_CS Reservation of a Charge Point - Transaction', async () => {
    const sut = await scenario({
      configuration: { values: { ReserveConnectorZeroSupported: true } },
    });
    await expect(sut.connection.call('ReserveNow', reserve(6, 0, 'OWNER'))).resolves.toEqual({
      status: 'Accepted',
    });
    sut.chargePoint.plugIn(2);
    await sut.chargePoint.presentIdTag('OWNER', 2);
    const [start] = await sut.csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ connectorId: 2, reservationId: 6 });
  });

  test.each([
    ['TC_050_1_CS Reservation of a Charge Point - Faulted', 'Faulted'],
    ['TC_050_2_CS Reservation of a Charge Point - Occupied', 'Occupied'],
    ['TC_050_3_CS Reservation of a Charge Point - Unavailable', 'Unavailable'],
  ] as const)('%s', async (_, status) => {
    const sut = await scenario({
      configuration: { values: { ReserveConnectorZeroSupported: true } },
    });
    for (const id of [1, 2]) {
      if (status === 'Faulted') sut.chargePoint.raiseFault(id, { errorCode: 'GroundFailure' });
      if (status === 'Occupied') sut.chargePoint.plugIn(id);
    }
    if (status === 'Unavailable')
      await sut.connection.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    await expect(sut.connection.call('ReserveNow', reserve(7, 0, 'OWNER'))).resolves.toEqual({
      status,
    });
  });

  test('TC_050_4_CS Reservation of a Charge Point - Rejected', async () => {
    const sut = await scenario({
      configuration: { values: { ReserveConnectorZeroSupported: false } },
    });
    await expect(sut.connection.call('ReserveNow', reserve(8, 0, 'OWNER'))).resolves.toEqual({
      status: 'Rejected',
    });
  });

  test('TC_051_CS Cancel Reservation', async () => {
    const sut = await scenario();
    await sut.connection.call('ReserveNow', reserve(9, 1, 'OWNER'));
    await expect(sut.connection.call('CancelReservation', { reservationId: 9 })).resolves.toEqual({
      status: 'Accepted',
    });
    await settle();
    expect(sut.statusesOf(1).slice(-2)).toEqual(['Reserved', 'Available']);
  });

  test('TC_052_CS Cancel Reservation - Rejected', async () => {
    const sut = await scenario();
    await expect(sut.connection.call('CancelReservation', { reservationId: 404 })).resolves.toEqual(
      {
        status: 'Rejected',
      },
    );
  });

  test('TC_053_CS Use a reserved Connector with parentIdTag', async () => {
    const sut = await scenario();
    sut.csms.answers.Authorize = () => ({
      idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' },
    });
    await sut.connection.call('ReserveNow', reserve(10, 1, 'DRIVER1', { parentIdTag: 'FLEET' }));
    sut.chargePoint.plugIn(1);
    await expect(sut.chargePoint.presentIdTag('DRIVER2', 1)).resolves.toMatchObject({
      outcome: 'Authorized',
    });
    const [start] = await sut.csms.waitFor('StartTransaction');
    expect(start?.payload).toMatchObject({ idTag: 'DRIVER2', reservationId: 10 });
  });
});

describe('OCTT Remote Trigger (_CS)', () => {
  test('TC_054_CS Trigger Message', async () => {
    const sut = await scenario();
    for (const requestedMessage of [
      'BootNotification',
      'DiagnosticsStatusNotification',
      'FirmwareStatusNotification',
      'Heartbeat',
      'MeterValues',
      'StatusNotification',
    ] as const) {
      const expected = requestedMessage === 'BootNotification' ? 'Rejected' : 'Accepted';
      await expect(
        sut.connection.call('TriggerMessage', { requestedMessage, connectorId: 1 }),
      ).resolves.toEqual({ status: expected });
    }
    await sut.csms.waitFor('Heartbeat');
    await sut.csms.waitFor('MeterValues');
    await sut.csms.waitFor('FirmwareStatusNotification');
    await sut.csms.waitFor('DiagnosticsStatusNotification');
  });

  test('TC_055_CS Trigger Message - Rejected', async () => {
    const sut = await scenario();
    // A connector that does not exist cannot report (§5.17).
    await expect(
      sut.connection.call('TriggerMessage', {
        requestedMessage: 'StatusNotification',
        connectorId: 9,
      }),
    ).resolves.toEqual({ status: 'Rejected' });
  });
});
