import { ChargePointKitError } from '../errors.js';
import type { KitStore } from './kit-store.js';

/** The transaction-related actions (§3.7). */
export type TransactionAction = 'StartTransaction' | 'StopTransaction' | 'MeterValues';
const transactionActions = new Set<string>(['StartTransaction', 'StopTransaction', 'MeterValues']);

/** One stored transaction-related message. */
export interface QueuedMessage {
  /** Order of delivery (§3.7: chronological). */
  readonly seq: number;
  /** The OCPP-J message id of every (re)transmission of this message. */
  readonly messageId: string;
  readonly action: TransactionAction;
  /** The request as stored; `transactionId` is filled in at sending when `localTransaction` is set. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The kit's own id of the transaction the message belongs to, until the CSMS's id is known. */
  readonly localTransaction: number | undefined;
  /** Failures to process so far (§3.7.1). */
  readonly attempts: number;
}

/** The first message waiting, or undefined when the queue is empty. */
export function queueHead(store: KitStore, station: string): QueuedMessage | undefined {
  const row = store
    .statement(
      'SELECT seq, message_id, action, payload, local_tx, attempts FROM queue WHERE station = ? ORDER BY seq LIMIT 1',
    )
    .get(station);
  if (row === undefined) return undefined;
  const action = String(row.action);
  let payload: unknown;
  try {
    payload = JSON.parse(String(row.payload));
  } catch (cause) {
    throw corrupt(station, row.seq, cause);
  }
  if (!transactionActions.has(action) || typeof payload !== 'object' || payload === null) {
    throw corrupt(station, row.seq);
  }
  return {
    seq: Number(row.seq),
    messageId: String(row.message_id),
    action: action as TransactionAction,
    payload: payload as Record<string, unknown>,
    localTransaction: row.local_tx === null ? undefined : Number(row.local_tx),
    attempts: Number(row.attempts),
  };
}

export function queueLength(store: KitStore, station: string): number {
  return Number(
    store.statement('SELECT count(*) AS n FROM queue WHERE station = ?').get(station)?.n ?? 0,
  );
}

/** The next free sequence number (inside a write, so that it cannot race another enqueue). */
export function nextQueueSeq(store: KitStore, station: string): number {
  const row = store.statement('SELECT max(seq) AS seq FROM queue WHERE station = ?').get(station);
  return row?.seq === null || row?.seq === undefined ? 1 : Number(row.seq) + 1;
}

/** Inside a write: appends a message. */
export function insertQueued(store: KitStore, station: string, message: QueuedMessage): void {
  store
    .statement(
      'INSERT INTO queue (station, seq, message_id, action, payload, local_tx, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      station,
      message.seq,
      message.messageId,
      message.action,
      JSON.stringify(message.payload),
      message.localTransaction ?? null,
      message.attempts,
    );
}

/** Inside a write: removes a delivered or discarded message. */
export function deleteQueued(store: KitStore, station: string, seq: number): void {
  store.statement('DELETE FROM queue WHERE station = ? AND seq = ?').run(station, seq);
}

/** Inside a write: records one more failure to process. */
export function countQueuedAttempt(store: KitStore, station: string, seq: number): void {
  store
    .statement('UPDATE queue SET attempts = attempts + 1 WHERE station = ? AND seq = ?')
    .run(station, seq);
}

function corrupt(station: string, seq: unknown, cause?: unknown): ChargePointKitError {
  return new ChargePointKitError(
    'STORAGE_CORRUPT',
    `Queued message ${String(seq)} of ${station} does not parse; the queue stops rather than skip it`,
    { cause },
  );
}
