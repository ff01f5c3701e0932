import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeterValue } from '@ocpp-kit/messages';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { MeterValueTable, readingsFileOf } from './meter-value-table.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileInTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readings-'));
  dirs.push(dir);
  return join(dir, 'csms-readings.sqlite');
}

const reading = (at: number, wh: number): MeterValue[] => [
  {
    timestamp: new Date(at).toISOString(),
    sampledValue: [
      { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '7.4', measurand: 'Power.Active.Import', unit: 'kW' },
    ],
  },
];

/** What another connection (another process after a crash, say) reads from the file. */
function rowsOnDisk(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM meter_values').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('readings live beside the CSMS database: csms.sqlite -> csms-readings.sqlite', () => {
  expect(readingsFileOf('/data/csms.sqlite')).toBe('/data/csms-readings.sqlite');
  expect(readingsFileOf('/data/csms')).toBe('/data/csms-readings');
  expect(readingsFileOf('/data.d/csms')).toBe('/data.d/csms-readings');
});

test('§4.7 a MeterValues answer waits for its rows: resolved means committed in the file', async () => {
  const file = fileInTemp();
  const table = await MeterValueTable.open(file);
  try {
    await expect(table.record('CP-1', 1, 7, reading(Date.UTC(2026, 0, 1), 1200))).resolves.toBe(2);
    expect(rowsOnDisk(file)).toBe(2);
    expect(table.readingsOf(7)).toEqual({
      energyRegisterWh: 1200,
      powerW: 7400,
      lastReadingAt: '2026-01-01T00:00:00.000Z',
    });
    expect(table.countFor(7)).toBe(2);
  } finally {
    await table.close();
  }
});

test('a resent MeterValues (a charge point retrying after a lost answer) adds no rows', async () => {
  const table = await MeterValueTable.open(fileInTemp());
  try {
    const at = Date.UTC(2026, 0, 1);
    await table.record('CP-1', 1, 7, reading(at, 1200));
    await expect(table.record('CP-1', 1, 7, reading(at, 1200))).resolves.toBe(0);
    expect(table.count()).toBe(2);
  } finally {
    await table.close();
  }
});

test('group commit: 2 000 concurrent MeterValues share far fewer commits, each resolved with its rows', async () => {
  const table = await MeterValueTable.open(fileInTemp());
  try {
    const at = Date.UTC(2026, 0, 1);
    const added = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        table.record(`CP-${i % 50}`, 1, i % 50, reading(at + i, i)),
      ),
    );
    expect(added.every((rows) => rows === 2)).toBe(true);
    expect(table.stats.rows).toBe(4_000);
    expect(table.stats.commits).toBeGreaterThan(0);
    expect(table.stats.commits).toBeLessThan(100);
  } finally {
    await table.close();
  }
});

test('close waits for what is queued, then refuses new readings with a clear error', async () => {
  const file = fileInTemp();
  const table = await MeterValueTable.open(file);
  const queued = table.record('CP-1', 1, undefined, reading(Date.UTC(2026, 0, 1), 5));
  await table.close();
  await expect(queued).resolves.toBe(2);
  await expect(
    table.record('CP-1', 1, undefined, reading(Date.UTC(2026, 0, 2), 6)),
  ).rejects.toThrow('The readings file is closed');
  expect(rowsOnDisk(file)).toBe(2);
});

test('a readings file of a newer schema is refused at open, naming the versions', async () => {
  const file = fileInTemp();
  const db = new Database(file);
  db.pragma('user_version = 99');
  db.close();
  await expect(MeterValueTable.open(file)).rejects.toThrow('schema version 99');
});
