import type { MeterValue } from '@ocpp-kit/messages';
import { ChargePointKitError } from '../errors.js';
import type { KitStore } from './kit-store.js';
import { loadState, putState } from './state-table.js';

/** A transaction as stored from its start until its StopTransaction left the queue. */
export interface TransactionRecord {
  /** The kit's own id, known before the CSMS answers (§3.7: a start may happen offline). */
  readonly localId: number;
  readonly connectorId: number;
  readonly idTag: string;
  readonly parentIdTag: string | undefined;
  readonly meterStart: number;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly reservationId: number | undefined;
  /** The CSMS's id once StartTransaction.conf arrived; -1 when the start was discarded (errata 3.18). */
  readonly transactionId: number | undefined;
  /** Epoch ms once stopped (its StopTransaction is then queued). */
  readonly stoppedAt: number | undefined;
}

const optional = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

export function loadTransactions(store: KitStore, station: string): TransactionRecord[] {
  return store
    .statement(
      'SELECT local_id, connector_id, id_tag, parent_id_tag, meter_start, started_at, reservation_id, transaction_id, stopped_at FROM transactions WHERE station = ? ORDER BY local_id',
    )
    .all(station)
    .map((row) => {
      const record: TransactionRecord = {
        localId: Number(row.local_id),
        connectorId: Number(row.connector_id),
        idTag: String(row.id_tag),
        parentIdTag: row.parent_id_tag === null ? undefined : String(row.parent_id_tag),
        meterStart: Number(row.meter_start),
        startedAt: Number(row.started_at),
        reservationId: optional(row.reservation_id),
        transactionId: optional(row.transaction_id),
        stoppedAt: optional(row.stopped_at),
      };
      if (!Number.isInteger(record.localId) || !Number.isInteger(record.connectorId)) {
        throw new ChargePointKitError(
          'STORAGE_CORRUPT',
          `A stored transaction of ${station} is malformed`,
        );
      }
      return record;
    });
}

/** Inside a write: the next local id, never reused (a counter, not max + 1). */
export function allocateLocalId(store: KitStore, station: string): number {
  const last = loadState(store, station, 'transactions.lastLocalId');
  const next = (typeof last === 'number' ? last : 0) + 1;
  putState(store, station, 'transactions.lastLocalId', next);
  return next;
}

export function insertTransaction(store: KitStore, station: string, t: TransactionRecord): void {
  store
    .statement(
      'INSERT INTO transactions (station, local_id, connector_id, id_tag, parent_id_tag, meter_start, started_at, reservation_id, transaction_id, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      station,
      t.localId,
      t.connectorId,
      t.idTag,
      t.parentIdTag ?? null,
      t.meterStart,
      t.startedAt,
      t.reservationId ?? null,
      t.transactionId ?? null,
      t.stoppedAt ?? null,
    );
}

export function setTransactionId(
  store: KitStore,
  station: string,
  localId: number,
  transactionId: number,
): void {
  store
    .statement('UPDATE transactions SET transaction_id = ? WHERE station = ? AND local_id = ?')
    .run(transactionId, station, localId);
}

export function markStopped(
  store: KitStore,
  station: string,
  localId: number,
  stoppedAt: number,
): void {
  store
    .statement('UPDATE transactions SET stopped_at = ? WHERE station = ? AND local_id = ?')
    .run(stoppedAt, station, localId);
}

/** Inside a write: the transaction and its collected meter values are gone for good. */
export function deleteTransaction(store: KitStore, station: string, localId: number): void {
  store
    .statement('DELETE FROM transactions WHERE station = ? AND local_id = ?')
    .run(station, localId);
  store
    .statement('DELETE FROM transaction_data WHERE station = ? AND local_id = ?')
    .run(station, localId);
}

/** Inside a write: one more meter value for the StopTransaction's transactionData. */
export function appendTransactionData(
  store: KitStore,
  station: string,
  localId: number,
  value: MeterValue,
): void {
  const row = store
    .statement('SELECT max(seq) AS seq FROM transaction_data WHERE station = ? AND local_id = ?')
    .get(station, localId);
  const seq = row?.seq === null || row?.seq === undefined ? 1 : Number(row.seq) + 1;
  store
    .statement(
      'INSERT INTO transaction_data (station, local_id, seq, meter_value) VALUES (?, ?, ?, ?)',
    )
    .run(station, localId, seq, JSON.stringify(value));
}

export function loadTransactionData(
  store: KitStore,
  station: string,
  localId: number,
): MeterValue[] {
  return store
    .statement(
      'SELECT meter_value FROM transaction_data WHERE station = ? AND local_id = ? ORDER BY seq',
    )
    .all(station, localId)
    .map((row) => {
      try {
        return JSON.parse(String(row.meter_value)) as MeterValue;
      } catch (cause) {
        throw new ChargePointKitError(
          'STORAGE_CORRUPT',
          `Stored transaction data of ${station} does not parse`,
          { cause },
        );
      }
    });
}
