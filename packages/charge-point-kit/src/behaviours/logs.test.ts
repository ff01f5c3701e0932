import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { acceptedChargePoint } from '../test-helpers/accepted.js';
import { httpFileServer } from '../test-helpers/file-servers.js';
import { tempDirectory } from '../test-helpers/temp-store.js';

/** The text of one member of a .tar.gz, read by the system's tar. */
function member(archive: Buffer, name: string): string {
  const file = join(tempDirectory('tar'), 'a.tar.gz');
  writeFileSync(file, archive);
  return execFileSync('tar', ['-xzOf', file, name], { encoding: 'utf8' });
}

describe('GetLog (whitepaper N01)', () => {
  test('N01.FR.01-03/07-09: the security log is uploaded with Uploading, Uploaded and the requestId; it holds the events', async () => {
    const { connection, csms, chargePoint } = await acceptedChargePoint();
    await chargePoint.securityEvent('TamperDetectionActivated', 'lid opened');
    const server = await httpFileServer({});
    const answer = await connection.call('GetLog', {
      logType: 'SecurityLog',
      requestId: 9,
      log: { remoteLocation: `${server.url}/logs` },
    });
    expect(answer).toEqual({
      status: 'Accepted',
      filename: expect.stringMatching(/^security-log-CP1-.*\.tar\.gz$/),
    });
    await csms.waitFor('LogStatusNotification', 2);
    expect(
      csms.received.filter((r) => r.action === 'LogStatusNotification').map((r) => r.payload),
    ).toEqual([
      { status: 'Uploading', requestId: 9 },
      { status: 'Uploaded', requestId: 9 },
    ]);
    const lines = member(
      server.uploads.get(`/logs/${answer.filename}`) ?? Buffer.alloc(0),
      'security-log.jsonl',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; techInfo?: string });
    expect(lines.map((l) => l.type)).toEqual(['StartupOfTheDevice', 'TamperDetectionActivated']);
    expect(lines[1]?.techInfo).toBe('lid opened');
  });

  test('N01.FR.04/11: DiagnosticsLog uploads the diagnostics; a new request cancels one under way (AcceptedCanceled)', async () => {
    const { connection, csms } = await acceptedChargePoint();
    const first = await connection.call('GetLog', {
      logType: 'DiagnosticsLog',
      requestId: 1,
      retries: 5,
      retryInterval: 30,
      log: { remoteLocation: 'http://127.0.0.1:1/nowhere/' },
    });
    expect(first.status).toBe('Accepted');
    await csms.waitFor('LogStatusNotification', 1);
    const server = await httpFileServer({});
    const second = await connection.call('GetLog', {
      logType: 'DiagnosticsLog',
      requestId: 2,
      log: { remoteLocation: `${server.url}/d` },
    });
    expect(second.status).toBe('AcceptedCanceled');
    await csms.waitFor('LogStatusNotification', 3);
    const statuses = csms.received
      .filter((r) => r.action === 'LogStatusNotification')
      .map((r) => [r.payload.status, r.payload.requestId]);
    expect(statuses).toEqual([
      ['Uploading', 1],
      ['Uploading', 2],
      ['Uploaded', 2],
    ]);
    expect(
      member(server.uploads.get(`/d/${second.filename}`) ?? Buffer.alloc(0), 'kit-log.jsonl'),
    ).toContain('connection.open');
  });

  test('N01.FR.10: an upload that fails every attempt is UploadFailure', async () => {
    const { connection, csms } = await acceptedChargePoint();
    await connection.call('GetLog', {
      logType: 'SecurityLog',
      requestId: 3,
      retries: 1,
      retryInterval: 0,
      log: { remoteLocation: 'http://127.0.0.1:1/nowhere/' },
    });
    await csms.waitFor('LogStatusNotification', 2);
    expect(
      csms.received.filter((r) => r.action === 'LogStatusNotification').map((r) => r.payload),
    ).toEqual([
      { status: 'Uploading', requestId: 3 },
      { status: 'UploadFailure', requestId: 3 },
    ]);
  });

  test('N01.FR.12: ExtendedTriggerMessage LogStatusNotification with no upload under way is Idle without requestId', async () => {
    const { connection, csms } = await acceptedChargePoint();
    await connection.call('ExtendedTriggerMessage', { requestedMessage: 'LogStatusNotification' });
    const [status] = await csms.waitFor('LogStatusNotification');
    expect(status?.payload).toEqual({ status: 'Idle' });
  });
});
