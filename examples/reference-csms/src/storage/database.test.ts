import { fdatasync } from 'node:fs';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { tempFiles } from '../test-support/temp-file.js';
import { CsmsDatabase, type SyncFile } from './database.js';

const tempFile = tempFiles('csms-db-');
const fileInTemp = () => tempFile('csms.sqlite');

/** The real fdatasync, held until the test releases it: what a slow disk looks like. */
function heldSync(): { syncFile: SyncFile; calls: number; release: () => void } {
  const held: (() => void)[] = [];
  const state = {
    calls: 0,
    syncFile: ((fd, done) => {
      state.calls += 1;
      held.push(() => fdatasync(fd, done));
    }) as SyncFile,
    release: () => {
      for (const run of held.splice(0)) run();
    },
  };
  return state;
}

const insertSetting = (db: CsmsDatabase, key: string) =>
  db.write(
    () =>
      db
        .prepare<[string, string], never>('INSERT INTO settings (key, value) VALUES (?, ?)')
        .run(key, 'v').changes,
  );

test('a write resolves only after the WAL fsync that follows its COMMIT', async () => {
  const sync = heldSync();
  const db = CsmsDatabase.open(fileInTemp(), { syncFile: sync.syncFile });
  try {
    let resolved = false;
    const write = insertSetting(db, 'a').then((changes) => {
      resolved = true;
      return changes;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sync.calls).toBe(1);
    expect(resolved).toBe(false);
    sync.release();
    await expect(write).resolves.toBe(1);
    expect(db.stats).toMatchObject({ commits: 1, syncs: 1, writes: 1 });
  } finally {
    db.close();
  }
});

test('group commit: writes queued while a sync runs share the next commit and its one fsync', async () => {
  const sync = heldSync();
  const db = CsmsDatabase.open(fileInTemp(), { syncFile: sync.syncFile });
  try {
    const first = insertSetting(db, 'first');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const rest = Array.from({ length: 200 }, (_, i) => insertSetting(db, `k${i}`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(db.stats.commits).toBe(1);
    sync.release();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 10));
    sync.release();
    await Promise.all(rest);
    expect(db.stats).toMatchObject({ commits: 2, syncs: 2, writes: 201 });
  } finally {
    db.close();
  }
});

test('a throwing write is rolled back alone; the others in its commit stay', async () => {
  const file = fileInTemp();
  const db = CsmsDatabase.open(file);
  const ok = insertSetting(db, 'kept');
  const duplicate = insertSetting(db, 'kept');
  const other = insertSetting(db, 'also-kept');
  await expect(ok).resolves.toBe(1);
  await expect(duplicate).rejects.toThrow('UNIQUE constraint failed');
  await expect(other).resolves.toBe(1);
  db.close();
  const check = new Database(file, { readonly: true });
  expect(check.prepare('SELECT key FROM settings ORDER BY key').pluck().all()).toEqual([
    'also-kept',
    'kept',
  ]);
  check.close();
});

test('close commits and syncs what is queued; later writes are refused', async () => {
  const file = fileInTemp();
  const db = CsmsDatabase.open(file);
  const queued = insertSetting(db, 'queued');
  db.close();
  await expect(queued).resolves.toBe(1);
  await expect(insertSetting(db, 'late')).rejects.toThrow('The database is closed');
  const check = new Database(file, { readonly: true });
  expect(check.prepare('SELECT COUNT(*) FROM settings').pluck().get()).toBe(1);
  check.close();
});

test('a failed WAL sync rejects the writes it covered, naming the cause', async () => {
  const db = CsmsDatabase.open(fileInTemp(), {
    syncFile: (_fd, done) => done(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })),
  });
  try {
    await expect(insertSetting(db, 'a')).rejects.toThrow('WAL sync failed: EIO: i/o error');
  } finally {
    db.close();
  }
});
