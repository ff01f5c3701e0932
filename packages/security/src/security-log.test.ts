import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateSecurityEventNotificationRequest } from '@ocpp-kit/messages';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  isCriticalSecurityEvent,
  securityEventNotification,
  securityEvents,
  securityEventTypes,
} from './security-events.js';
import { SecurityLog, toSecurityEventNotification } from './security-log.js';
import { securityLogFile } from './security-log-storage.js';
import { tempDir } from './test-helpers/openssl.js';
import { sqliteStorage } from './test-helpers/sqlite-storage.js';
import { openBackend, storageBackends } from './test-helpers/storage-backends.js';

let dir: { path: string; remove: () => Promise<void> };
let n = 0;
const file = () => join(dir.path, `log-${n++}.log`);

beforeAll(async () => {
  dir = await tempDir('log');
});
afterAll(() => dir.remove());

describe('security events catalogue (whitepaper section 8)', () => {
  test('section 8 lists 18 events; exactly these are critical', () => {
    expect(securityEventTypes).toHaveLength(18);
    expect(securityEventTypes.filter((t) => securityEvents[t].critical)).toEqual([
      'FirmwareUpdated',
      'SettingSystemTime',
      'StartupOfTheDevice',
      'ResetOrReboot',
      'SecurityLogWasCleared',
      'MemoryExhaustion',
      'TamperDetectionActivated',
    ]);
    expect(isCriticalSecurityEvent('TamperDetectionActivated')).toBe(true);
    expect(isCriticalSecurityEvent('InvalidTLSVersion')).toBe(false);
    expect(isCriticalSecurityEvent('VendorSpecificThing')).toBe(false);
    expect(isCriticalSecurityEvent('constructor')).toBe(false);
  });

  test('§5.15: notifications pass the SecurityEventNotification schema; techInfo is cut to 255 code points', () => {
    const request = securityEventNotification(
      'InvalidMessages',
      new Date('2026-01-02T03:04:05Z'),
      '😀'.repeat(300),
    );
    expect(validateSecurityEventNotificationRequest(request)).toBeUndefined();
    expect([...(request.techInfo ?? '')]).toHaveLength(255);
    expect(request.timestamp).toBe('2026-01-02T03:04:05.000Z');
    expect(() => securityEventNotification('x'.repeat(51), new Date())).toThrowError(
      expect.objectContaining({ code: 'INVALID_SECURITY_EVENT' }),
    );
  });
});

describe('security log (A04.FR.02-04, N01.FR.05)', () => {
  test('A04.FR.04: every event is stored durably with its critical flag', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    await log.record('StartupOfTheDevice');
    await log.record('InvalidMessages', { techInfo: 'bad frame' });
    await log.record('VendorAlarm', { critical: true });
    await log.close();
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.entries().map((e) => [e.seq, e.type, e.critical, e.techInfo])).toEqual([
      [1, 'StartupOfTheDevice', true, undefined],
      [2, 'InvalidMessages', false, 'bad frame'],
      [3, 'VendorAlarm', true, undefined],
    ]);
    expect(reopened.problems).toEqual([]);
    expect((await reopened.record('ResetOrReboot')).seq).toBe(4);
    await reopened.close();
  });

  test('A04.FR.02: undelivered critical events form the queue; confirmation is durable', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    const a = await log.record('TamperDetectionActivated');
    await log.record('InvalidTLSVersion');
    const b = await log.record('SettingSystemTime', { techInfo: 'NTP' });
    expect(log.undelivered().map((e) => e.seq)).toEqual([a.seq, b.seq]);
    expect(toSecurityEventNotification(b)).toEqual({
      type: 'SettingSystemTime',
      timestamp: b.timestamp,
      techInfo: 'NTP',
    });
    await log.markDelivered(a.seq);
    await log.close();
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.undelivered().map((e) => e.seq)).toEqual([b.seq]);
    await reopened.close();
  });

  test('bounded: oldest entries go first, but an undelivered critical entry is never dropped', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path, maxEntries: 5 });
    const criticals = [];
    for (let i = 0; i < 8; i++) criticals.push((await log.record('ResetOrReboot')).seq);
    for (let i = 0; i < 60; i++) await log.record('InvalidMessages', { techInfo: `#${i}` });
    expect(log.undelivered().map((e) => e.seq)).toEqual(criticals);
    expect(log.entries()).toHaveLength(8); // the bound yields to undelivered critical entries
    for (const seq of criticals) await log.markDelivered(seq);
    await log.record('InvalidMessages', { techInfo: 'last' });
    expect(log.entries()).toHaveLength(5);
    expect(log.entries().at(-1)?.techInfo).toBe('last');
    await log.close();
    // Compaction keeps the file bounded too.
    const lines = (await readFile(path, 'utf8')).split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(2 * 5 + 1);
    const reopened = await SecurityLog.open({ file: path, maxEntries: 5 });
    // While 8 critical entries awaited delivery no non-critical one fitted; now the newest 5 remain.
    expect(reopened.entries().map((e) => e.seq)).toEqual([...criticals.slice(4), 69]);
    await reopened.close();
  });

  test('section 8: clear() keeps undelivered critical entries and records SecurityLogWasCleared', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    const pending = await log.record('TamperDetectionActivated');
    const done = await log.record('FirmwareUpdated');
    await log.markDelivered(done.seq);
    await log.record('InvalidMessages');
    const cleared = await log.clear();
    expect(cleared).toMatchObject({ type: 'SecurityLogWasCleared', critical: true });
    expect(log.entries().map((e) => e.seq)).toEqual([pending.seq, cleared.seq]);
    await log.close();
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.undelivered().map((e) => e.type)).toEqual([
      'TamperDetectionActivated',
      'SecurityLogWasCleared',
    ]);
    await reopened.close();
  });

  test('section 8: clear() rewrites the file once, with SecurityLogWasCleared in it; a record() queued behind clear() comes after', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    const pending = await log.record('MemoryExhaustion');
    await log.record('InvalidMessages', { techInfo: 'old' });
    const clearing = log.clear('by operator');
    const next = log.record('ResetOrReboot');
    const [cleared, after] = await Promise.all([clearing, next]);
    expect(after.seq).toBeGreaterThan(cleared.seq);
    await log.close();
    // The cleared log and its SecurityLogWasCleared event reach the disk in one atomic rename, so
    // no crash can leave a cleared log without the event.
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(JSON.parse((lines.shift() as string).slice(17))).toEqual({ n: cleared.seq + 1 });
    expect(lines.map((l) => JSON.parse(l.slice(17)).t)).toEqual([
      'MemoryExhaustion',
      'SecurityLogWasCleared',
      'ResetOrReboot',
    ]);
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.entries().map((e) => [e.seq, e.type, e.techInfo])).toEqual([
      [pending.seq, 'MemoryExhaustion', undefined],
      [cleared.seq, 'SecurityLogWasCleared', 'by operator'],
      [after.seq, 'ResetOrReboot', undefined],
    ]);
    await reopened.close();
  });

  test('regression: with maxEntries 3 and seqs 1-7 written, a reopened log numbered the next event 4; seqs are monotonic across restarts', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path, maxEntries: 3 });
    // Three undelivered critical entries pin the bound, so the newer non-critical ones are dropped.
    for (let i = 0; i < 3; i++) await log.record('MemoryExhaustion');
    for (let i = 0; i < 4; i++) await log.record('InvalidMessages');
    await log.close();
    for (let restart = 0; restart < 2; restart++) {
      const reopened = await SecurityLog.open({ file: path, maxEntries: 3 });
      expect((await reopened.record('ResetOrReboot')).seq).toBe(8 + restart);
      await reopened.close();
    }
  });

  test('securityLogFile: an append before any read keeps the committed lines and cuts a torn tail', async () => {
    const path = file();
    await writeFile(path, 'first\nsecond\ntorn');
    const storage = securityLogFile(path);
    await storage.append('third');
    await storage.close();
    expect(await readFile(path, 'utf8')).toBe('first\nsecond\nthird\n');
  });

  test('open without a file or a storage is LOG_IO naming both options', async () => {
    await expect(SecurityLog.open({ file: '' })).rejects.toMatchObject({
      code: 'LOG_IO',
      message: 'SecurityLog.open needs a `file` (string) or a `storage`',
    });
  });

  test('temp files a killed compaction left behind are removed on open', async () => {
    const path = file();
    await (await SecurityLog.open({ file: path })).close();
    const leftover = join(dirname(path), `.tmp-${basename(path)}-0123456789ab`);
    await writeFile(leftover, 'half a compaction');
    await (await SecurityLog.open({ file: path })).close();
    await expect(readFile(leftover)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('section 8: a critical event cannot be recorded as non-critical; a vendor type can be critical', async () => {
    const log = await SecurityLog.open({ file: file() });
    expect(await log.record('TamperDetectionActivated', { critical: false })).toMatchObject({
      critical: true,
    });
    expect(await log.record('InvalidTLSVersion', { critical: true })).toMatchObject({
      critical: true,
    });
    expect(await log.record('VendorNotice')).toMatchObject({ critical: false });
    const vendorCritical = await log.record('VendorAlarm', { critical: true });
    expect(vendorCritical).toMatchObject({ type: 'VendorAlarm', critical: true, delivered: false });
    expect(log.undelivered().map((e) => e.type)).toContain('VendorAlarm');
    await log.close();
  });

  test('a torn last line (crash mid-append) is discarded; the log stays usable', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    await log.record('StartupOfTheDevice');
    await log.close();
    await appendFile(path, '0123456789abcdef {"s":2,"t":"Res');
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.problems).toEqual([]);
    expect((await reopened.record('ResetOrReboot')).seq).toBe(2);
    await reopened.close();
    const again = await SecurityLog.open({ file: path });
    expect(again.entries().map((e) => e.type)).toEqual(['StartupOfTheDevice', 'ResetOrReboot']);
    await again.close();
  });

  test('a damaged line is detected, reported and the file preserved before repair', async () => {
    const path = file();
    const log = await SecurityLog.open({ file: path });
    for (const type of ['StartupOfTheDevice', 'FirmwareUpdated', 'ResetOrReboot'])
      await log.record(type);
    await log.close();
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace('FirmwareUpdated', 'FirmwareUpdatee'));
    const reopened = await SecurityLog.open({ file: path });
    expect(reopened.problems).toMatchObject([{ line: 2, message: 'checksum mismatch' }]);
    const preserved = reopened.problems[0]?.preservedAs ?? '';
    expect(await readFile(preserved, 'utf8')).toContain('FirmwareUpdatee');
    expect(reopened.entries().map((e) => e.type)).toEqual(['StartupOfTheDevice', 'ResetOrReboot']);
    await reopened.close();
    const repaired = await SecurityLog.open({ file: path });
    expect(repaired.problems).toEqual([]);
    await repaired.close();
  });
});

describe.each(storageBackends)('security log on the %s storage (A04.FR.02-04)', (backend) => {
  let n = 0;
  /** A fresh directory per test, so each test opens its own storage. */
  const place = async () => {
    const path = join(dir.path, `${backend}-${n++}`);
    await mkdir(path);
    return path;
  };

  test('crash safety: after SIGKILL every record() that resolved is stored', async () => {
    const path = await place();
    const source = fileURLToPath(new URL('./security-log.ts', import.meta.url));
    const backends = fileURLToPath(new URL('./test-helpers/storage-backends.ts', import.meta.url));
    const script = `
      const { SecurityLog } = await import(${JSON.stringify(source)});
      const { openBackend } = await import(${JSON.stringify(backends)});
      const opened = openBackend(${JSON.stringify(backend)}, ${JSON.stringify(path)});
      const log = await SecurityLog.open({ ...opened.securityLog, maxEntries: 100000 });
      for (let i = 0; ; i++) {
        const entry = await log.record(i % 3 === 0 ? 'StartupOfTheDevice' : 'InvalidMessages', { techInfo: 'x'.repeat(i % 200) });
        process.stdout.write(entry.seq + '\\n');
      }`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const confirmed: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        confirmed.push(...parts.map(Number));
        if (confirmed.length >= 150 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => {
        clearTimeout(deadline);
        resolve();
      });
      child.on('error', reject);
    });
    expect(confirmed.length).toBeGreaterThanOrEqual(150);
    const opened = openBackend(backend, path);
    const log = await SecurityLog.open({ ...opened.securityLog, maxEntries: 100000 });
    const stored = new Set(log.entries().map((e) => e.seq));
    expect(confirmed.filter((seq) => !stored.has(seq))).toEqual([]);
    expect(log.problems).toEqual([]);
    // The next record continues the sequence: nothing the kill interrupted is numbered twice.
    expect((await log.record('ResetOrReboot')).seq).toBeGreaterThan(Math.max(...confirmed));
    await log.close();
    opened.close();
  }, 60_000);

  test('A04.FR.02: compaction and clear() keep undelivered critical entries; seqs never repeat across restarts', async () => {
    const path = await place();
    const opened = openBackend(backend, path);
    const log = await SecurityLog.open({ ...opened.securityLog, maxEntries: 2 });
    const critical = await log.record('TamperDetectionActivated');
    for (let i = 0; i < 6; i++) await log.record('InvalidMessages'); // compacts past 2 * 2 records
    const delivered = await log.record('MemoryExhaustion');
    await log.markDelivered(delivered.seq);
    const cleared = await log.clear('by operator');
    await log.close();
    const reopened = await SecurityLog.open({ ...opened.securityLog, maxEntries: 2 });
    expect(reopened.problems).toEqual([]);
    expect(reopened.entries().map((e) => [e.seq, e.type])).toEqual([
      [critical.seq, 'TamperDetectionActivated'],
      [cleared.seq, 'SecurityLogWasCleared'],
    ]);
    expect(reopened.undelivered().map((e) => e.seq)).toEqual([critical.seq, cleared.seq]);
    expect((await reopened.record('ResetOrReboot')).seq).toBe(cleared.seq + 1);
    await reopened.close();
    opened.close();
  });
});

test('a damaged SQLite record is reported and its table preserved before repair, as with the file', async () => {
  const path = join(dir.path, 'damaged.db');
  const db = sqliteStorage(path);
  const log = await SecurityLog.open({ storage: db.securityLog });
  for (const type of ['StartupOfTheDevice', 'FirmwareUpdated', 'ResetOrReboot'])
    await log.record(type);
  await log.close();
  db.close();
  const raw = new Database(path);
  raw
    .prepare(
      "UPDATE security_log SET record = replace(record, 'FirmwareUpdated', 'FirmwareUpdatee')",
    )
    .run();
  raw.close();
  const again = sqliteStorage(path);
  const reopened = await SecurityLog.open({ storage: again.securityLog });
  expect(reopened.problems).toMatchObject([{ line: 2, message: 'checksum mismatch' }]);
  const [, table] = (reopened.problems[0]?.preservedAs ?? '').split('#');
  expect(table).toMatch(/^security_log_preserved_\d+_0$/);
  expect(reopened.entries().map((e) => e.type)).toEqual(['StartupOfTheDevice', 'ResetOrReboot']);
  await reopened.close();
  again.close();
  const check = new Database(path, { readonly: true });
  const preserved = check.prepare(`SELECT record FROM ${table} ORDER BY id`).all() as Array<{
    record: string;
  }>;
  check.close();
  expect(preserved.map((r) => r.record).join('\n')).toContain('FirmwareUpdatee');
  const repaired = sqliteStorage(path);
  const clean = await SecurityLog.open({ storage: repaired.securityLog });
  expect(clean.problems).toEqual([]);
  await clean.close();
  repaired.close();
});

describe('security log clock: epoch milliseconds, injected', () => {
  test('N01: entries are stamped by the clock and GetLog ranges are epoch milliseconds', async () => {
    let at = Date.parse('2026-03-01T10:00:00Z');
    const log = await SecurityLog.open({ file: file(), clock: () => at });
    await log.record('StartupOfTheDevice');
    at += 60_000;
    await log.record('InvalidMessages');
    await log.record('ResetOrReboot', { timestamp: Date.parse('2026-02-01T00:00:00Z') });
    expect(log.entries().map((e) => e.timestamp)).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:01:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    const range = { oldest: Date.parse('2026-03-01T10:00:30Z'), latest: at };
    expect(log.entries(range).map((e) => e.type)).toEqual(['InvalidMessages']);
    await expect(log.record('InvalidMessages', { timestamp: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_SECURITY_EVENT',
    });
    await log.close();
  });
});
