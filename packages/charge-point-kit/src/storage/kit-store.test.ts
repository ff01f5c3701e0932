import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { openTestStore, tempDirectory } from '../test-helpers/temp-store.js';
import { KitStore } from './kit-store.js';
import { migrations } from './migrations.js';

function insert(store: KitStore, key: string, value = 'v'): Promise<void> {
  return store.write(() => {
    store
      .statement('INSERT INTO config (station, key, value) VALUES (?, ?, ?)')
      .run('CP1', key, value);
  });
}

function keys(store: KitStore): string[] {
  return store
    .statement('SELECT key FROM config ORDER BY key')
    .all()
    .map((row) => String(row.key));
}

describe('KitStore', () => {
  test('a new file is migrated to the current schema with WAL and synchronous=FULL', () => {
    const store = openTestStore(join(tempDirectory(), 'nested', 'kit.sqlite'));
    expect(store.statement('PRAGMA user_version').get()).toEqual({
      user_version: migrations.length,
    });
    expect(store.statement('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    // 2 = FULL: better-sqlite3's default NORMAL may lose the last commits on power loss.
    expect(store.statement('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
  });

  test('what a resolved write stored is there after reopening', async () => {
    const file = join(tempDirectory(), 'kit.sqlite');
    const first = KitStore.open({ file });
    await insert(first, 'A');
    first.close();
    expect(keys(openTestStore(file))).toEqual(['A']);
  });

  test('writes queued in one turn commit together: one transaction, one fsync', async () => {
    const store = openTestStore(join(tempDirectory(), 'kit.sqlite'));
    const before = store.commits;
    await Promise.all(Array.from({ length: 100 }, (_, i) => insert(store, `K${i}`)));
    expect(store.commits - before).toBe(1);
    expect(keys(store)).toHaveLength(100);
  });

  test('a throwing write is rolled back alone; the others of its batch commit', async () => {
    const store = openTestStore(join(tempDirectory(), 'kit.sqlite'));
    const results = await Promise.allSettled([
      insert(store, 'A'),
      store.write(() => {
        store
          .statement('INSERT INTO config (station, key, value) VALUES (?, ?, ?)')
          .run('CP1', 'B', 'v');
        throw new Error('half done');
      }),
      insert(store, 'C'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(keys(store)).toEqual(['A', 'C']);
  });

  test('a failed commit rejects every write of the batch with STORAGE_FAILED', async () => {
    const store = openTestStore(join(tempDirectory(), 'kit.sqlite'));
    await insert(store, 'A');
    const results = await Promise.allSettled([insert(store, 'B'), insert(store, 'A')]);
    // The duplicate key fails inside its savepoint: only that write is refused.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    store.statement('BEGIN').run();
    // BEGIN IMMEDIATE inside an open transaction fails: the whole batch is refused.
    const batch = await Promise.allSettled([insert(store, 'C'), insert(store, 'D')]);
    expect(batch).toMatchObject([
      { status: 'rejected', reason: { code: 'STORAGE_FAILED' } },
      { status: 'rejected', reason: { code: 'STORAGE_FAILED' } },
    ]);
  });

  test('a database of a newer schema is refused with STORAGE_TOO_NEW and left as it is', () => {
    const file = join(tempDirectory(), 'kit.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => KitStore.open({ file })).toThrow(
      expect.objectContaining({ code: 'STORAGE_TOO_NEW' }),
    );
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(migrations.length + 1);
    check.close();
  });

  test('writes after close reject with CLOSED; close commits what was queued', async () => {
    const file = join(tempDirectory(), 'kit.sqlite');
    const store = KitStore.open({ file });
    const queued = insert(store, 'A');
    store.close();
    await expect(queued).resolves.toBeUndefined();
    await expect(insert(store, 'B')).rejects.toMatchObject({ code: 'CLOSED' });
    expect(keys(openTestStore(file))).toEqual(['A']);
  });
});
