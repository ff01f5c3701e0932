import type { MeterValue } from '@ocpp-kit/messages';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { tempFiles } from '../test-support/temp-file.js';
import { MeterValueTable, readingsFileOf } from './meter-value-table.js';

const tempFile = tempFiles('readings-');
const fileInTemp = () => tempFile('csms-readings.sqlite');

/** A table on a fresh file, closed after `use`. */
async function withTable(use: (table: MeterValueTable) => Promise<void>): Promise<void> {
  const table = await MeterValueTable.open(fileInTemp());
  try {
    await use(table);
  } finally {
    await table.close();
  }
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
    expect(await table.summaries([7, 8])).toEqual([
      {
        readings: {
          energyRegisterWh: 1200,
          powerW: 7400,
          lastReadingAt: '2026-01-01T00:00:00.000Z',
        },
        count: 2,
      },
      {
        readings: { energyRegisterWh: undefined, powerW: undefined, lastReadingAt: undefined },
        count: 0,
      },
    ]);
  } finally {
    await table.close();
  }
});

test('a resent MeterValues (a charge point retrying after a lost answer) adds no rows', async () => {
  await withTable(async (table) => {
    const at = Date.UTC(2026, 0, 1);
    await table.record('CP-1', 1, 7, reading(at, 1200));
    await expect(table.record('CP-1', 1, 7, reading(at, 1200))).resolves.toBe(0);
    expect(table.count()).toBe(2);
  });
});

test('group commit: 2 000 concurrent MeterValues share far fewer commits, each resolved with its rows', async () => {
  await withTable(async (table) => {
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
  });
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

test('a late reading (older timestamp, arriving after a newer one) is counted but is not the latest', async () => {
  await withTable(async (table) => {
    const at = Date.UTC(2026, 0, 1, 12);
    await table.record('CP-1', 1, 7, reading(at, 5000));
    await table.record('CP-1', 1, 7, reading(at - 3_600_000, 1000));
    const [summary] = await table.summaries([7]);
    expect(summary?.count).toBe(4);
    expect(summary?.readings.energyRegisterWh).toBe(5000);
  });
});

test('a summary that lagged behind the readings (a crash before it was written) is rebuilt at open', async () => {
  const file = fileInTemp();
  const first = await MeterValueTable.open(file, { summaryIntervalMs: 0 });
  const at = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 5; i += 1)
    await first.record('CP-1', 1, 7, reading(at + i * 60_000, i * 100));
  await first.record('CP-2', 1, 8, reading(at, 42));
  await first.close();
  // What a SIGKILL between two summary writes leaves: readings the summary does not cover.
  const db = new Database(file);
  // The stored summary as a crash can leave it: transaction 7 written up to its second reading
  // (ids up to covered_id), transaction 8 written in full after that (past covered_id).
  db.exec(`DELETE FROM transaction_latest;
    DELETE FROM transaction_readings;
    UPDATE summary_state SET covered_id = (SELECT MIN(id) + 3 FROM meter_values);
    INSERT INTO transaction_latest
      SELECT transaction_id, measurand, phase, unit, value, MAX(timestamp) FROM meter_values
      WHERE id <= (SELECT covered_id FROM summary_state) OR transaction_id = 8
      GROUP BY transaction_id, measurand, phase;
    INSERT INTO transaction_readings
      SELECT transaction_id, COUNT(*), MAX(id) FROM meter_values
      WHERE id <= (SELECT covered_id FROM summary_state) OR transaction_id = 8
      GROUP BY transaction_id`);
  db.close();
  const reopened = await MeterValueTable.open(file);
  try {
    const [seven, eight] = await reopened.summaries([7, 8]);
    expect(seven).toEqual({
      readings: {
        energyRegisterWh: 400,
        powerW: 7400,
        lastReadingAt: new Date(at + 4 * 60_000).toISOString(),
      },
      count: 10,
    });
    // Not counted twice: its stored count already went past covered_id.
    expect(eight?.count).toBe(2);
  } finally {
    await reopened.close();
  }
});
