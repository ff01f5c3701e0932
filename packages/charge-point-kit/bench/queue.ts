// `npx tsx --conditions=@ocpp-kit/source packages/charge-point-kit/bench/queue.ts [--quick]`
// The durable transaction queue (§3.7) with synchronous=FULL, beside the raw SQLite floor
// measured in the same run on the same disk: a bare INSERT of the same row, one commit (one
// fsync) each, and the same with many rows per commit (what group commit can reach). Not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeterValuesRequest } from '@ocpp-kit/messages';
import Database from 'better-sqlite3';
import { systemTimers } from '../src/core/timers.js';
import { type QueueSender, TransactionQueue } from '../src/queue/transaction-queue.js';
import { KitStore } from '../src/storage/kit-store.js';

const quick = process.argv.includes('--quick');
const durationMs = quick ? 1_000 : 3_000;
const fleetSize = 100;
const dir = mkdtempSync(join(tmpdir(), 'ocpp-kit-queue-bench-'));
let files = 0;
const nextFile = () => join(dir, `bench-${++files}.sqlite`);

/** A transaction's periodic MeterValues.req, as the kit queues it (transactionId filled on send). */
const meterValues: Omit<MeterValuesRequest, 'transactionId'> = {
  connectorId: 1,
  meterValue: [
    {
      timestamp: '2026-01-01T12:00:00Z',
      sampledValue: [
        { value: '12345.6', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: '7406', measurand: 'Power.Active.Import', unit: 'W' },
        { value: '32.1', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
        { value: '230.2', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
      ],
    },
  ],
};
const payloadText = JSON.stringify(meterValues);

/** Runs `round` (which persists `size` messages) for about `durationMs`; messages per second. */
async function rate(round: () => unknown, size: number): Promise<number> {
  for (let i = 0; i < 3; i++) await round();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    await round();
    count += size;
  }
  return (count * 1000) / (performance.now() - start);
}

/** The floor: better-sqlite3 alone, WAL + synchronous=FULL, `rows` INSERTs per commit. */
async function rawFloor(rows: number): Promise<number> {
  const db = new Database(nextFile());
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The kit's own queue table (migrations.ts), so the difference is the kit's code, not the schema.
  db.exec(`CREATE TABLE queue (
     station TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL,
     action TEXT NOT NULL, payload TEXT NOT NULL, local_tx INTEGER,
     attempts INTEGER NOT NULL,
     PRIMARY KEY (station, seq)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO queue VALUES (?, ?, ?, ?, ?, 1, 0)');
  const batch = db.transaction((from: number) => {
    for (let i = 0; i < rows; i++)
      insert.run(`CP${i}`, from, `m-${from}`, 'MeterValues', payloadText);
  });
  let seq = 0;
  const result = await rate(() => batch(++seq), rows);
  db.close();
  return result;
}

function queueOf(
  store: KitStore,
  station: string,
  send: QueueSender = neverSent,
): TransactionQueue {
  return new TransactionQueue({
    store,
    station,
    send,
    attempts: () => 3,
    retryIntervalSeconds: () => 60,
    timers: systemTimers,
    onError: (error) => {
      throw error;
    },
  });
}
const neverSent = () => new Promise<never>(() => {});

/** Ours: `stations` queues on one store, each storing one message at a time (offline). */
async function persisted(stations: number): Promise<{ perSecond: number; perCommit: number }> {
  const store = KitStore.open({ file: nextFile() });
  const queues = Array.from({ length: stations }, (_, i) => queueOf(store, `CP${i}`));
  const before = store.commits;
  let stored = 0;
  const perSecond = await rate(async () => {
    await Promise.all(queues.map((queue) => queue.enqueue('MeterValues', meterValues, 1)));
    stored += stations;
  }, stations);
  const perCommit = stored / (store.commits - before);
  store.close();
  return { perSecond, perCommit };
}

/** Ours, the whole life of a message: stored, sent, answered, removed (two writes each). */
async function delivered(stations: number): Promise<{ perSecond: number; perCommit: number }> {
  const store = KitStore.open({ file: nextFile() });
  let answered: (() => void) | undefined;
  let outstanding = 0;
  const send = async () => {
    if (--outstanding === 0) setImmediate(() => answered?.());
    return {};
  };
  const queues = Array.from({ length: stations }, (_, i) => {
    const queue = queueOf(store, `CP${i}`, send);
    queue.setHooks({
      delivered: () => {},
      discarded: () => {},
      settled: () => {},
      transactionIdOf: () => 4711,
    });
    queue.resume();
    return queue;
  });
  const before = store.commits;
  let cycled = 0;
  const perSecond = await rate(async () => {
    cycled += stations;
    outstanding = stations;
    const done = new Promise<void>((resolve) => {
      answered = resolve;
    });
    await Promise.all(queues.map((queue) => queue.enqueue('MeterValues', meterValues, 1)));
    await done;
    // The removals of this round commit in the next turn's group commit.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }, stations);
  const perCommit = cycled / (store.commits - before);
  for (const queue of queues) queue.stop();
  store.close();
  return { perSecond, perCommit };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  process.stderr.write('raw SQLite floor...\n');
  const floorOne = await rawFloor(1);
  const floorMany = await rawFloor(fleetSize);
  process.stderr.write('durable queue...\n');
  const one = await persisted(1);
  const many = await persisted(fleetSize);
  const cycleOne = await delivered(1);
  const cycleMany = await delivered(fleetSize);
  const rows: [string, string, string, string][] = [
    ['raw INSERT, 1 row per commit (fsync floor)', fmt(floorOne), '1', '1.00x'],
    [
      'queue, 1 charge point: stored',
      fmt(one.perSecond),
      one.perCommit.toFixed(1),
      `${(one.perSecond / floorOne).toFixed(2)}x`,
    ],
    [
      'queue, 1 charge point: stored, sent, removed',
      fmt(cycleOne.perSecond),
      cycleOne.perCommit.toFixed(1),
      `${(cycleOne.perSecond / floorOne).toFixed(2)}x`,
    ],
    [
      `raw INSERT, ${fleetSize} rows per commit`,
      fmt(floorMany),
      String(fleetSize),
      `${(floorMany / floorOne).toFixed(2)}x`,
    ],
    [
      `queue, ${fleetSize} charge points on one store: stored`,
      fmt(many.perSecond),
      many.perCommit.toFixed(1),
      `${(many.perSecond / floorOne).toFixed(2)}x`,
    ],
    [
      `queue, ${fleetSize} charge points: stored, sent, removed`,
      fmt(cycleMany.perSecond),
      cycleMany.perCommit.toFixed(1),
      `${(cycleMany.perSecond / floorOne).toFixed(2)}x`,
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) =>
    Math.max(
      ...rows.map((r) => r[c]?.length ?? 0),
      ['case', 'messages/s', 'per commit', 'vs fsync floor'][c]?.length ?? 0,
    ),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  process.stdout.write(`${line(['case', 'messages/s', 'per commit', 'vs fsync floor'])}\n`);
  process.stdout.write(`${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
