// @ts-check
// The meter readings' writer thread: it owns the only writing connection to the readings file,
// so its inserts, commits and fsyncs (synchronous=FULL) never run on the CSMS's event loop.
// Every batch queued while it was committing shares the next commit; each batch is answered
// only after that commit is durable. Plain JavaScript: a worker loads it with no TS loader.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {{ type: 'rows', id: number, values: (string | number | null)[], counts: number[] }} RowsMessage */
/** @typedef {{ type: 'close' }} CloseMessage */

const port = parentPort;
if (port === null) throw new Error('meter-writer.js runs as a worker thread');
const db = new Database(/** @type {{ file: string }} */ (workerData).file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const columns = 10;
const insert = db.prepare(
  `INSERT OR IGNORE INTO meter_values (identity, connector_id, transaction_id, timestamp, measurand, phase, location, context, unit, value)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');

/** @param {RowsMessage} batch */
function insertBatch(batch) {
  const { values, counts } = batch;
  /** @type {number[]} */
  const changes = [];
  let at = 0;
  for (const rows of counts) {
    let changed = 0;
    for (let row = 0; row < rows; row += 1, at += columns) {
      changed += insert.run(values.slice(at, at + columns)).changes;
    }
    changes.push(changed);
  }
  return changes;
}

/** @type {RowsMessage[]} */
let batches = [];
let closing = false;
let lastCommit = 0;
// Commits at most this often: each fsync costs hundreds of µs of CPU here, so under load a
// commit waits for company (at 10 000 readings/s, 50 per fsync instead of 10), while a lone
// write after a quiet spell commits at once. The wait blocks this thread (Atomics.wait) instead
// of arming a timer: messages then queue without waking it, and are drained in one go.
const { commitIntervalMs } = /** @type {{ commitIntervalMs: number }} */ (workerData);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @param {RowsMessage | CloseMessage} message */
function take(message) {
  if (message.type === 'close') closing = true;
  else batches.push(message);
}

/** @param {RowsMessage | CloseMessage} first */
function received(first) {
  take(first);
  const wait = lastCommit + commitIntervalMs - performance.now();
  if (wait > 0 && !closing) Atomics.wait(sleeper, 0, 0, wait);
  for (let queued = receiveMessageOnPort(port); queued; queued = receiveMessageOnPort(port)) {
    take(queued.message);
  }
  const taken = batches;
  batches = [];
  lastCommit = performance.now();
  if (taken.length > 0) {
    const ids = taken.map((batch) => batch.id);
    try {
      begin.run();
      const changes = taken.map(insertBatch);
      commit.run();
      port.postMessage({ type: 'done', ids, changes });
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      port.postMessage({
        type: 'failed',
        ids,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (closing) {
    db.close();
    port.close();
  }
}

port.on('message', received);
port.postMessage({ type: 'ready' });
