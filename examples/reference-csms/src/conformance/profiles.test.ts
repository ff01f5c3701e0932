// OCTT 1.6 `_CSMS` cases of Local Auth List, Firmware, Reservation, Remote Trigger and Smart
// Charging against the reference CSMS (docs/conformance.md).
import { describe, expect, test } from 'vitest';
import { answered, idTags, type Octt, octt } from '../test-support/octt.js';

const sync = async (t: Octt) =>
  (await t.csms.api('POST', '/api/local-list/sync', { chargePoints: [t.identity] })).body;
const jobs = async (t: Octt) =>
  (
    (await t.csms.api('GET', `/api/jobs?chargePoint=${t.identity}`)).body.jobs as {
      kind: string;
      status: string;
      requestId: number | null;
    }[]
  )
    .map((j) => [j.kind, j.status, j.requestId])
    .reverse();
const txProfile = (transactionId?: number) => ({
  chargingProfileId: 10,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile' as const,
  chargingProfileKind: 'Relative' as const,
  ...(transactionId === undefined ? {} : { transactionId }),
  chargingSchedule: {
    chargingRateUnit: 'A' as const,
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
  },
});

describe('OCTT Local Auth List Management (_CSMS)', () => {
  test('TC_042_1_CSMS get local list version, not supported (-1): the sync reports it, sends nothing', async () => {
    const t = await octt();
    t.answer('GetLocalListVersion', () => ({ listVersion: -1 }));
    const { results } = await sync(t);
    expect(results[0]).toMatchObject({
      status: 'Failed',
      error: expect.stringContaining('does not support'),
    });
    expect(t.received('SendLocalList')).toEqual([]);
  });

  test('TC_042_2_CSMS get local list version, empty (0): answered and the list follows in Full', async () => {
    const t = await octt();
    t.answer('GetLocalListVersion', () => ({ listVersion: 0 }));
    t.answer('SendLocalList', () => ({ status: 'Accepted' }));
    expect(await t.command('GetLocalListVersion', {})).toEqual(answered({ listVersion: 0 }));
    expect((await sync(t)).results[0]).toMatchObject({ status: 'Updated' });
  });

  test('TC_043_1_CSMS send local list, NotSupported: reported as failed', async () => {
    const t = await octt();
    t.answer('GetLocalListVersion', () => ({ listVersion: 0 }));
    t.answer('SendLocalList', () => ({ status: 'NotSupported' }));
    expect((await sync(t)).results[0]).toMatchObject({ status: 'Failed', answer: 'NotSupported' });
  });

  test('TC_043_3_CSMS send local list, Failed: reported as failed', async () => {
    const t = await octt();
    t.answer('GetLocalListVersion', () => ({ listVersion: 0 }));
    t.answer('SendLocalList', () => ({ status: 'Failed' }));
    expect((await sync(t)).results[0]).toMatchObject({ status: 'Failed', answer: 'Failed' });
  });

  test('TC_043_4_CSMS send local list, Full: the idTags marked for the list, with their IdTagInfo', async () => {
    const t = await octt();
    t.answer('GetLocalListVersion', () => ({ listVersion: 0 }));
    t.answer('SendLocalList', () => ({ status: 'Accepted' }));
    expect((await sync(t)).results[0]).toMatchObject({ status: 'Updated', sent: 1 });
    expect(t.received('SendLocalList')).toEqual([
      {
        listVersion: 1,
        updateType: 'Full',
        localAuthorizationList: [{ idTag: idTags.accepted, idTagInfo: { status: 'Accepted' } }],
      },
    ]);
  });

  test('TC_043_5_CSMS send local list, Differential: only the change since the version the charge point has', async () => {
    const t = await octt();
    let version = 0;
    t.answer('GetLocalListVersion', () => ({ listVersion: version }));
    t.answer('SendLocalList', (request) => {
      version = request.listVersion;
      return { status: 'Accepted' };
    });
    await sync(t);
    await t.csms.api('PUT', '/api/id-tags/NEW-TAG', { status: 'Accepted', inLocalList: true });
    await sync(t);
    expect(t.received('SendLocalList')[1]).toEqual({
      listVersion: 2,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'NEW-TAG', idTagInfo: { status: 'Accepted' } }],
    });
  });
});

describe('OCTT Firmware Management (_CSMS)', () => {
  const update = {
    location: 'https://firmware.example/fw-2.0.bin',
    retrieveDate: new Date().toISOString(),
    retries: 2,
  };

  test('TC_044_1_CSMS firmware update, download and install: every status recorded, then the new boot', async () => {
    const t = await octt();
    t.answer('UpdateFirmware', () => ({}));
    expect(await t.command('UpdateFirmware', update)).toEqual(answered({}));
    for (const s of ['Downloading', 'Downloaded', 'Installing', 'Installed'] as const) {
      expect(await t.cp.call('FirmwareStatusNotification', { status: s })).toEqual({});
    }
    const cp = await t.reconnect();
    expect(
      (
        await cp.call('BootNotification', {
          chargePointVendor: 'OCTT',
          chargePointModel: 'Tool',
          firmwareVersion: '2.0',
        })
      ).status,
    ).toBe('Accepted');
    expect(await jobs(t)).toEqual(
      ['Downloading', 'Downloaded', 'Installing', 'Installed'].map((s) => ['firmware', s, null]),
    );
    expect(
      (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body.boot.firmwareVersion,
    ).toBe('2.0');
  });

  test('TC_044_2_CSMS firmware update, download failed', async () => {
    const t = await octt();
    t.answer('UpdateFirmware', () => ({}));
    await t.command('UpdateFirmware', update);
    await t.cp.call('FirmwareStatusNotification', { status: 'Downloading' });
    await t.cp.call('FirmwareStatusNotification', { status: 'DownloadFailed' });
    expect((await jobs(t)).at(-1)).toEqual(['firmware', 'DownloadFailed', null]);
  });

  test('TC_044_3_CSMS firmware update, installation failed', async () => {
    const t = await octt();
    t.answer('UpdateFirmware', () => ({}));
    await t.command('UpdateFirmware', update);
    for (const s of ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed'] as const) {
      await t.cp.call('FirmwareStatusNotification', { status: s });
    }
    expect((await jobs(t)).at(-1)).toEqual(['firmware', 'InstallationFailed', null]);
  });

  test('TC_045_1_CSMS get diagnostics: the file name is returned, Uploading and Uploaded recorded', async () => {
    const t = await octt();
    t.answer('GetDiagnostics', () => ({ fileName: 'diag-2026.zip' }));
    expect(await t.command('GetDiagnostics', { location: 'ftp://logs.example/upload' })).toEqual(
      answered({ fileName: 'diag-2026.zip' }),
    );
    await t.cp.call('DiagnosticsStatusNotification', { status: 'Uploading' });
    await t.cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    expect(await jobs(t)).toEqual([
      ['diagnostics', 'Uploading', null],
      ['diagnostics', 'Uploaded', null],
    ]);
  });

  test('TC_045_2_CSMS get diagnostics, upload failed', async () => {
    const t = await octt();
    t.answer('GetDiagnostics', () => ({ fileName: 'diag.zip' }));
    await t.command('GetDiagnostics', { location: 'ftp://logs.example/upload' });
    await t.cp.call('DiagnosticsStatusNotification', { status: 'Uploading' });
    await t.cp.call('DiagnosticsStatusNotification', { status: 'UploadFailed' });
    expect((await jobs(t)).at(-1)).toEqual(['diagnostics', 'UploadFailed', null]);
  });
});

describe('OCTT Reservation (_CSMS)', () => {
  const reserve = (connectorId = 1, idTag: string = idTags.accepted, parentIdTag?: string) => ({
    connectorId,
    expiryDate: new Date(Date.now() + 3_600_000).toISOString(),
    idTag,
    reservationId: 7,
    ...(parentIdTag === undefined ? {} : { parentIdTag }),
  });

  test('TC_046_CSMS reservation of a connector, transaction: the reservation id reaches the transaction', async () => {
    const t = await octt();
    t.answer('ReserveNow', () => ({ status: 'Accepted' }));
    expect(await t.command('ReserveNow', reserve())).toEqual(answered({ status: 'Accepted' }));
    await t.cp.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Reserved',
    });
    const { idTagInfo } = await t.cp.call('StartTransaction', {
      connectorId: 1,
      idTag: idTags.accepted,
      meterStart: 0,
      timestamp: new Date().toISOString(),
      reservationId: 7,
    });
    expect(idTagInfo.status).toBe('Accepted');
  });

  test('TC_047_CSMS reservation of a connector, expire: Reserved then Available, no transaction', async () => {
    const t = await octt();
    t.answer('ReserveNow', () => ({ status: 'Accepted' }));
    await t.command('ReserveNow', reserve());
    await t.cp.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Reserved',
    });
    await t.cp.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
    });
    expect((await t.csms.api('GET', '/api/transactions')).body.transactions).toEqual([]);
  });

  test.each([
    ['TC_048_1_CSMS', 'Faulted'],
    ['TC_048_2_CSMS', 'Occupied'],
    ['TC_048_3_CSMS', 'Unavailable'],
    ['TC_048_4_CSMS', 'Rejected'],
  ] as const)(
    '%s reservation of a connector answered %s: reported as the charge point answered',
    async (_id, answer) => {
      const t = await octt();
      t.answer('ReserveNow', () => ({ status: answer }));
      expect(await t.command('ReserveNow', reserve())).toEqual(answered({ status: answer }));
    },
  );

  test('TC_049_CSMS reservation of the charge point (connector 0), transaction', async () => {
    const t = await octt();
    t.answer('ReserveNow', () => ({ status: 'Accepted' }));
    expect(await t.command('ReserveNow', reserve(0))).toEqual(answered({ status: 'Accepted' }));
    expect(t.received('ReserveNow')).toEqual([expect.objectContaining({ connectorId: 0 })]);
    const { idTagInfo } = await t.cp.call('StartTransaction', {
      connectorId: 1,
      idTag: idTags.accepted,
      meterStart: 0,
      timestamp: new Date().toISOString(),
      reservationId: 7,
    });
    expect(idTagInfo.status).toBe('Accepted');
  });

  test('TC_051_CSMS cancel reservation', async () => {
    const t = await octt();
    t.answer('ReserveNow', () => ({ status: 'Accepted' }));
    t.answer('CancelReservation', () => ({ status: 'Accepted' }));
    await t.command('ReserveNow', reserve());
    expect(await t.command('CancelReservation', { reservationId: 7 })).toEqual(
      answered({ status: 'Accepted' }),
    );
  });

  test('TC_052_CSMS cancel reservation rejected', async () => {
    const t = await octt();
    t.answer('CancelReservation', () => ({ status: 'Rejected' }));
    expect(await t.command('CancelReservation', { reservationId: 8 })).toEqual(
      answered({ status: 'Rejected' }),
    );
  });

  test('TC_053_CSMS use a reserved connector with parentIdTag: another tag of the group is Accepted with the parent', async () => {
    const t = await octt();
    t.answer('ReserveNow', () => ({ status: 'Accepted' }));
    await t.command('ReserveNow', reserve(1, 'OCTT-PARENT', 'OCTT-PARENT'));
    const { idTagInfo } = await t.cp.call('Authorize', { idTag: idTags.child });
    expect(idTagInfo).toEqual({ status: 'Accepted', parentIdTag: 'OCTT-PARENT' });
  });
});

describe('OCTT Remote Trigger (_CSMS)', () => {
  test('TC_054_CSMS trigger message: Accepted, and the triggered MeterValues and StatusNotification are answered', async () => {
    const t = await octt();
    t.answer('TriggerMessage', () => ({ status: 'Accepted' }));
    expect(
      await t.command('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 }),
    ).toEqual(answered({ status: 'Accepted' }));
    expect(
      await t.cp.call('MeterValues', {
        connectorId: 1,
        meterValue: [
          {
            timestamp: new Date().toISOString(),
            sampledValue: [{ value: '10', context: 'Trigger' }],
          },
        ],
      }),
    ).toEqual({});
    await t.command('TriggerMessage', { requestedMessage: 'StatusNotification' });
    expect(
      await t.cp.call('StatusNotification', {
        connectorId: 0,
        errorCode: 'NoError',
        status: 'Available',
      }),
    ).toEqual({});
  });

  test('TC_055_CSMS trigger message rejected', async () => {
    const t = await octt();
    t.answer('TriggerMessage', () => ({ status: 'Rejected' }));
    expect(
      await t.command('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' }),
    ).toEqual(answered({ status: 'Rejected' }));
  });
});

describe('OCTT Smart Charging (_CSMS)', () => {
  test('TC_056_CSMS central smart charging, TxDefaultProfile: sent, answered, kept', async () => {
    const t = await octt();
    t.answer('SetChargingProfile', () => ({ status: 'Accepted' }));
    const profile = { ...txProfile(), chargingProfilePurpose: 'TxDefaultProfile' as const };
    expect(
      await t.command('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile }),
    ).toEqual(answered({ status: 'Accepted' }));
    const { chargingProfiles } = (await t.csms.api('GET', `/api/charge-points/${t.identity}`)).body;
    expect(chargingProfiles).toEqual([
      expect.objectContaining({ connectorId: 0, outcome: 'Accepted', chargingProfile: profile }),
    ]);
  });

  test('TC_057_CSMS central smart charging, TxProfile on the running transaction', async () => {
    const t = await octt();
    t.answer('SetChargingProfile', () => ({ status: 'Accepted' }));
    const { transactionId } = await t.cp.call('StartTransaction', {
      connectorId: 1,
      idTag: idTags.accepted,
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    const { body } = await t.csms.api('POST', `/api/charge-points/${t.identity}/charging-limit`, {
      purpose: 'TxProfile',
      connectorId: 1,
      transactionId,
      limit: 11,
      unit: 'A',
    });
    expect(body.outcome).toEqual(answered({ status: 'Accepted' }));
    expect(t.received('SetChargingProfile')).toEqual([
      expect.objectContaining({
        connectorId: 1,
        csChargingProfiles: expect.objectContaining({
          chargingProfilePurpose: 'TxProfile',
          transactionId,
        }),
      }),
    ]);
  });

  test('TC_066_CSMS get composite schedule', async () => {
    const t = await octt();
    const schedule = {
      status: 'Accepted' as const,
      connectorId: 1,
      scheduleStart: new Date().toISOString(),
      chargingSchedule: {
        chargingRateUnit: 'A' as const,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      },
    };
    t.answer('GetCompositeSchedule', () => schedule);
    expect(
      await t.command('GetCompositeSchedule', {
        connectorId: 1,
        duration: 3600,
        chargingRateUnit: 'A',
      }),
    ).toEqual(answered(schedule));
  });

  test('TC_067_CSMS clear charging profile', async () => {
    const t = await octt();
    t.answer('ClearChargingProfile', () => ({ status: 'Accepted' }));
    expect(await t.command('ClearChargingProfile', { id: 10 })).toEqual(
      answered({ status: 'Accepted' }),
    );
  });

  test('TC_059_CSMS remote start transaction with a charging profile', async () => {
    const t = await octt();
    t.answer('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    const outcome = await t.command('RemoteStartTransaction', {
      connectorId: 1,
      idTag: idTags.accepted,
      chargingProfile: txProfile(),
    });
    expect(outcome).toEqual(answered({ status: 'Accepted' }));
    expect(t.received('RemoteStartTransaction')).toEqual([
      expect.objectContaining({ chargingProfile: txProfile() }),
    ]);
  });
});
