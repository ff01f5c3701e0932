import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import { chargePointDatabaseFileName } from './charge-point.js';
import type { ChargePointOptions } from './charge-point-options.js';
import { tempDirectory } from './test-helpers/temp-store.js';
import { next, testChargePoint } from './test-helpers/test-charge-point.js';
import { startTestCsms } from './test-helpers/test-csms.js';

const offlineValues = {
  AllowOfflineTxForUnknownId: true,
  StopTransactionOnEVSideDisconnect: false,
} as const;

/** A charge point accepted once, whose CSMS then goes away (it may come back on the same port). */
async function acceptedThenOffline(options: Partial<ChargePointOptions> = {}) {
  const first = await startTestCsms();
  const made = testChargePoint(first.url, { configuration: { values: offlineValues }, ...options });
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  await first.waitFor('StatusNotification', 3);
  const gone = next(made.chargePoint, 'disconnected');
  await first.server.close();
  await gone;
  return { port: first.port, url: first.url, ...made };
}

/** Lets the store's group commit (one per event-loop turn) reach the file. */
const writesSettled = () => new Promise((resolve) => setTimeout(resolve, 20));

const actions = (received: { action: string }[]) =>
  received
    .map((r) => r.action)
    .filter(
      (a) =>
        a !== 'StatusNotification' && a !== 'BootNotification' && a !== 'SecurityEventNotification',
    );

describe('durability (§3.7), regressions named after the bugs of other implementations', () => {
  test('libocpp #495: a transaction started and stopped offline is delivered in order with the CSMS transactionId, never -1', async () => {
    const { chargePoint, port } = await acceptedThenOffline();
    chargePoint.plugIn(1);
    await expect(chargePoint.presentIdTag('OFFLINE1')).resolves.toMatchObject({
      outcome: 'Authorized',
    });
    await next(chargePoint, 'transactionStarted');
    await chargePoint.presentIdTag('OFFLINE1');
    expect(chargePoint.queuedMessages).toBe(2);
    const back = await startTestCsms({}, port);
    back.answers.StartTransaction = () => ({
      transactionId: 4242,
      idTagInfo: { status: 'Accepted' },
    });
    const [stop] = await back.waitFor('StopTransaction');
    expect(stop?.payload.transactionId).toBe(4242);
    expect(actions(back.received)).toEqual(['StartTransaction', 'StopTransaction']);
  });

  test('libocpp #907: a StopTransaction stored offline is sent once, even after a reboot before delivery', async () => {
    const { chargePoint, port, url, directory } = await acceptedThenOffline();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    await next(chargePoint, 'transactionStarted');
    await chargePoint.presentIdTag('TAG');
    await chargePoint.stop();
    const back = await startTestCsms({}, port);
    const rebooted = testChargePoint(url, {
      storage: { directory },
      configuration: { values: offlineValues },
    }).chargePoint;
    await rebooted.start();
    await back.waitFor('StopTransaction');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(actions(back.received)).toEqual(['StartTransaction', 'StopTransaction']);
  });

  test('MicroOcpp #454: a StartTransaction stored offline survives a reset; the interrupted transaction then stops with PowerLoss', async () => {
    const { chargePoint, port, url, directory, hardware } = await acceptedThenOffline();
    chargePoint.plugIn(1);
    hardware.readings.set(1, { energyWh: 500 });
    await chargePoint.presentIdTag('TAG');
    await next(chargePoint, 'transactionStarted');
    hardware.readings.set(1, { energyWh: 800 });
    await chargePoint.stop();
    const back = await startTestCsms({}, port);
    const rebooted = testChargePoint(url, { storage: { directory }, hardware }).chargePoint;
    await rebooted.start();
    const [stop] = await back.waitFor('StopTransaction');
    expect(actions(back.received)).toEqual(['StartTransaction', 'StopTransaction']);
    expect(stop?.payload).toMatchObject({
      reason: 'PowerLoss',
      meterStop: 800,
      transactionId: 101,
    });
    expect(rebooted.status(1)).toBe('Available');
  });

  test("afterRestart 'resume': an interrupted transaction continues, energised, and stops normally later", async () => {
    const { chargePoint, port, url, directory, hardware } = await acceptedThenOffline();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    await next(chargePoint, 'transactionStarted');
    await chargePoint.stop();
    const back = await startTestCsms({}, port);
    const rebooted = testChargePoint(url, {
      storage: { directory },
      hardware,
      afterRestart: 'resume',
    }).chargePoint;
    const resumed = next(rebooted, 'transactionStarted');
    await rebooted.start();
    expect(await resumed).toMatchObject({ connectorId: 1, resumed: true });
    expect(rebooted.status(1)).toBe('Charging');
    await next(rebooted, 'accepted');
    await rebooted.presentIdTag('TAG');
    const [stop] = await back.waitFor('StopTransaction');
    expect(stop?.payload).toMatchObject({ reason: 'Local', transactionId: 101 });
  });

  test('libocpp #688: StartTransaction failing and retried keeps the id mapping of the answer that succeeded', async () => {
    const csms = await startTestCsms();
    let starts = 0;
    csms.answers.StartTransaction = () => {
      starts += 1;
      if (starts < 3) throw new RpcError('InternalError', 'database busy');
      return { transactionId: 77, idTagInfo: { status: 'Accepted' } };
    };
    const { chargePoint } = testChargePoint(csms.url, {
      configuration: { values: { TransactionMessageRetryInterval: 0 } },
    });
    await chargePoint.start();
    await next(chargePoint, 'accepted');
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    await csms.waitFor('StartTransaction', 3);
    await chargePoint.presentIdTag('TAG');
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload.transactionId).toBe(77);
    const ids = csms.received
      .filter((r) => r.action === 'StartTransaction')
      .map((r) => r.messageId);
    expect(new Set(ids).size).toBe(1);
  });

  test('libocpp #357: StatusNotifications are not dropped while the queue resumes after a reconnection', async () => {
    const { chargePoint, port } = await acceptedThenOffline();
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    await next(chargePoint, 'transactionStarted');
    for (let i = 0; i < 5; i++) {
      chargePoint.evSuspended(1, i % 2 === 0);
    }
    const back = await startTestCsms({}, port);
    await next(chargePoint, 'accepted');
    await back.waitFor('StartTransaction');
    chargePoint.plugIn(2);
    chargePoint.raiseFault(2, { errorCode: 'GroundFailure' });
    const statuses = await back.waitFor('StatusNotification', 3);
    expect(
      statuses.map((s) => `${String(s.payload.connectorId)}:${String(s.payload.status)}`),
    ).toEqual(['1:SuspendedEV', '2:Preparing', '2:Faulted']);
  });

  // MicroOcpp #257: a transaction file half-rewritten at power loss lost the transaction. Each
  // write here is one SQLite commit in the WAL; a torn last frame fails its checksum and recovery
  // keeps exactly the commits before it. The intact copy is the control: the stop is there.
  test.each([
    ['intact', 'Local'],
    ['truncated mid-frame', 'PowerLoss'],
    ['overwritten with garbage', 'PowerLoss'],
  ] as const)(
    'MicroOcpp #257: power lost while the stop was written (WAL %s): the started transaction survives, stop reason %s',
    async (tear, reason) => {
      const { chargePoint, port, url, directory, hardware } = await acceptedThenOffline();
      const wal = join(directory, `${chargePointDatabaseFileName}-wal`);
      chargePoint.plugIn(1);
      await chargePoint.presentIdTag('TAG');
      await next(chargePoint, 'transactionStarted');
      await writesSettled();
      const started = statSync(wal).size;
      await chargePoint.presentIdTag('TAG');
      await writesSettled();
      const stopped = statSync(wal).size;
      expect(stopped).toBeGreaterThan(started);
      const copy = tempDirectory('torn');
      for (const file of [chargePointDatabaseFileName, `${chargePointDatabaseFileName}-wal`]) {
        copyFileSync(join(directory, file), join(copy, file));
      }
      const copiedWal = join(copy, `${chargePointDatabaseFileName}-wal`);
      // 24 bytes of frame header and a few of the page: inside the stop's first frame.
      const tornAt = started + 24 + 100;
      if (tear === 'truncated mid-frame') truncateSync(copiedWal, tornAt);
      if (tear === 'overwritten with garbage') {
        const fd = openSync(copiedWal, 'r+');
        writeSync(fd, randomBytes(stopped - tornAt), 0, stopped - tornAt, tornAt);
        closeSync(fd);
      }
      await chargePoint.stop();
      const back = await startTestCsms({}, port);
      const rebooted = testChargePoint(url, {
        storage: { directory: copy },
        configuration: { values: offlineValues },
        hardware,
      }).chargePoint;
      await rebooted.start();
      const [stop] = await back.waitFor('StopTransaction');
      expect(actions(back.received)).toEqual(['StartTransaction', 'StopTransaction']);
      expect(stop?.payload.reason ?? 'Local').toBe(reason);
    },
  );

  test('a CALL in flight when the connection dies is resent with the same message id (a CSMS can tell a resend)', async () => {
    const csms = await startTestCsms();
    let first = true;
    csms.answers.StartTransaction = () => {
      if (first) {
        first = false;
        csms.server.connections.get('CP1')?.terminate();
        return new Promise(() => {});
      }
      return { transactionId: 5, idTagInfo: { status: 'Accepted' } };
    };
    const { chargePoint } = testChargePoint(csms.url);
    await chargePoint.start();
    await next(chargePoint, 'accepted');
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG');
    const starts = await csms.waitFor('StartTransaction', 2);
    expect(starts[0]?.messageId).toBe(starts[1]?.messageId);
  });
});
