// @ts-check
// The meter readings' writer thread: it owns the only writing connection to the readings file,
// so its inserts, commits and fsyncs (synchronous=FULL) never run on the CSMS's event loop.
// Every batch queued while it was committing shares the next commit; each batch is answered
// only after that commit is durable. Plain JavaScript: a worker loads it with no TS loader.
//
// Readings only append (arrival order, time-first key). What the API asks per transaction (the
// latest value per measurand and phase, the count) is a summary kept here in memory and written
// per transaction a few seconds after its first unwritten reading, a few hundred transactions per
// commit at most: a per-transaction index would dirty one page per reading all over the file (it
// was most of what each fsync wrote), and one big summary write would stall the readings behind it.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {{ type: 'rows', id: number, values: (string | number | null)[], counts: number[] }} RowsMessage */
/** @typedef {{ type: 'summary', id: number, transactionIds: number[] }} SummaryMessage */
/** @typedef {{ type: 'close' }} CloseMessage */
/** @typedef {RowsMessage | SummaryMessage | CloseMessage} WriterMessage */
/** @typedef {{ measurand: string, phase: string, unit: string | null, value: string, timestamp: number }} Latest */
/** @typedef {{ firstId: number, dueAt: number, throughId: number, latest: Map<string, Latest>, readings: number }} Pending */

const port = parentPort;
if (port === null) throw new Error('meter-writer.js runs as a worker thread');
const { file, commitIntervalMs, summaryIntervalMs } =
  /** @type {{ file: string, commitIntervalMs: number, summaryIntervalMs: number }} */ (workerData);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const columns = 10;
const insert = db.prepare(
  `INSERT OR IGNORE INTO meter_values (identity, connector_id, transaction_id, timestamp, measurand, phase, location, context, unit, value)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const upsertLatest = db.prepare(
  `INSERT INTO transaction_latest (transaction_id, measurand, phase, unit, value, timestamp)
   VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT (transaction_id, measurand, phase) DO UPDATE
     SET unit = excluded.unit, value = excluded.value, timestamp = excluded.timestamp
     WHERE excluded.timestamp >= transaction_latest.timestamp`,
);
const addCount = db.prepare(
  `INSERT INTO transaction_readings (transaction_id, readings, through_id) VALUES (?, ?, ?)
   ON CONFLICT (transaction_id) DO UPDATE
     SET readings = readings + excluded.readings, through_id = excluded.through_id`,
);
const setCovered = db.prepare('UPDATE summary_state SET covered_id = ?');
const latestOf = db.prepare(
  'SELECT measurand, phase, unit, value, timestamp FROM transaction_latest WHERE transaction_id = ?',
);
const countOf = db.prepare(
  'SELECT readings, through_id AS throughId FROM transaction_readings WHERE transaction_id = ?',
);
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');

/** Transactions with readings the stored summary lacks, oldest first (Map order). */
/** @type {Map<number, Pending>} */
let pending = new Map();
let lastId = 0;
const summariesPerCommit = 256;

/**
 * @param {number} id the reading's arrival id
 * @param {number} transactionId
 * @param {Latest} reading
 */
function fold(id, transactionId, reading) {
  let entry = pending.get(transactionId);
  if (entry === undefined) {
    entry = {
      firstId: id,
      dueAt: performance.now() + summaryIntervalMs,
      throughId: id,
      latest: new Map(),
      readings: 0,
    };
    pending.set(transactionId, entry);
  }
  entry.readings += 1;
  entry.throughId = id;
  keepNewest(entry.latest, reading);
}

/**
 * Keeps `reading` as its measurand and phase's latest unless a newer one is there.
 * @param {Map<string, Latest>} latest
 * @param {Latest} reading
 */
function keepNewest(latest, reading) {
  const key = `${reading.measurand}\u0000${reading.phase}`;
  const known = latest.get(key);
  if (known === undefined || reading.timestamp >= known.timestamp) latest.set(key, reading);
}

/**
 * Writes the summaries that are due (all when closing), oldest first, in the open transaction,
 * and the arrival id below which every reading is in the stored summary.
 * @param {boolean} all
 */
function writeSummaries(all) {
  const now = performance.now();
  let written = 0;
  for (const [transactionId, entry] of pending) {
    if (!all && (entry.dueAt > now || written === summariesPerCommit)) break;
    for (const r of entry.latest.values()) {
      upsertLatest.run(transactionId, r.measurand, r.phase, r.unit, r.value, r.timestamp);
    }
    addCount.run(transactionId, entry.readings, entry.throughId);
    pending.delete(transactionId);
    written += 1;
  }
  if (written === 0) return;
  const oldest = pending.values().next().value;
  setCovered.run(oldest === undefined ? lastId : oldest.firstId - 1);
}

const coveredId = db.prepare('SELECT covered_id AS covered FROM summary_state');
const arrivedSince = db.prepare(
  `SELECT id, transaction_id AS transactionId, measurand, phase, unit, value, timestamp
   FROM meter_values WHERE id > ? ORDER BY id`,
);

/**
 * The pending summaries rebuilt from the file: readings after covered_id, except those a
 * transaction's stored count already includes (its through_id).
 */
function recover() {
  const { covered } = /** @type {{ covered: number }} */ (coveredId.get());
  pending = new Map();
  lastId = covered;
  /** @type {Map<number, number>} */
  const through = new Map();
  for (const row of /** @type {Iterable<Latest & { id: number, transactionId: number | null }>} */ (
    arrivedSince.iterate(covered)
  )) {
    lastId = row.id;
    const { transactionId } = row;
    if (transactionId === null) continue;
    let stored = through.get(transactionId);
    if (stored === undefined) {
      const count = /** @type {{ throughId: number } | undefined} */ (countOf.get(transactionId));
      stored = count?.throughId ?? 0;
      through.set(transactionId, stored);
    }
    if (row.id > stored) fold(row.id, transactionId, row);
  }
}

// After a crash the stored summary lags by what arrived after its last write.
recover();

/** @param {RowsMessage} batch */
function insertBatch(batch) {
  const { values, counts } = batch;
  /** @type {number[]} */
  const changes = [];
  let at = 0;
  for (const rows of counts) {
    let changed = 0;
    for (let row = 0; row < rows; row += 1, at += columns) {
      const result = insert.run(values.slice(at, at + columns));
      if (result.changes === 0) continue;
      changed += 1;
      lastId = Number(result.lastInsertRowid);
      const transactionId = values[at + 2];
      if (typeof transactionId === 'number') {
        fold(lastId, transactionId, {
          measurand: /** @type {string} */ (values[at + 4]),
          phase: /** @type {string} */ (values[at + 5]),
          unit: /** @type {string | null} */ (values[at + 8]),
          value: /** @type {string} */ (values[at + 9]),
          timestamp: /** @type {number} */ (values[at + 3]),
        });
      }
    }
    changes.push(changed);
  }
  return changes;
}

/** The stored summary of a transaction with what is pending merged over it. */
/** @param {number} transactionId */
function summaryOf(transactionId) {
  /** @type {Map<string, Latest>} */
  const latest = new Map();
  for (const r of /** @type {Latest[]} */ (latestOf.all(transactionId))) keepNewest(latest, r);
  const entry = pending.get(transactionId);
  for (const r of entry?.latest.values() ?? []) keepNewest(latest, r);
  const stored = /** @type {{ readings: number } | undefined} */ (countOf.get(transactionId));
  return {
    latest: [...latest.values()],
    readings: (stored?.readings ?? 0) + (entry?.readings ?? 0),
  };
}

/** @type {RowsMessage[]} */
let batches = [];
/** @type {SummaryMessage[]} */
let questions = [];
let closing = false;
let lastCommit = 0;
// Commits at most this often, so that under load readings share an fsync. The wait blocks this
// thread (Atomics.wait) instead of arming a timer: messages then queue without waking it.
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @param {WriterMessage} message */
function take(message) {
  if (message.type === 'close') closing = true;
  else if (message.type === 'summary') questions.push(message);
  else batches.push(message);
}

/** @param {WriterMessage} first */
function received(first) {
  take(first);
  const wait = lastCommit + commitIntervalMs - performance.now();
  if (wait > 0 && !closing && batches.length > 0) Atomics.wait(sleeper, 0, 0, wait);
  for (let queued = receiveMessageOnPort(port); queued; queued = receiveMessageOnPort(port)) {
    take(queued.message);
  }
  const taken = batches;
  batches = [];
  if (taken.length > 0 || (closing && pending.size > 0)) {
    lastCommit = performance.now();
    const ids = taken.map((batch) => batch.id);
    try {
      begin.run();
      const changes = taken.map(insertBatch);
      writeSummaries(closing);
      commit.run();
      if (ids.length > 0) port.postMessage({ type: 'done', ids, changes });
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // What this commit folded in was rolled back with it.
      recover();
      port.postMessage({
        type: 'failed',
        ids,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  for (const { id, transactionIds } of questions) {
    port.postMessage({ type: 'summary', id, summaries: transactionIds.map(summaryOf) });
  }
  questions = [];
  if (closing) {
    db.close();
    port.close();
  }
}

port.on('message', received);
port.postMessage({ type: 'ready' });
