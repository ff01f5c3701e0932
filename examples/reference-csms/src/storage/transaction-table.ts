// The csms-kit TransactionStore on SQLite: the start key is a UNIQUE constraint, the stop an
// UPDATE guarded by `stopped_at IS NULL`, an unknown stop a row in orphan_stops.
import {
  type BeginResult,
  idTagKey,
  type StoredTransaction,
  type TransactionEndResult,
  type TransactionStart,
  type TransactionStartKey,
  type TransactionStop,
  type TransactionStore,
} from '@ocpp-kit/csms-kit';
import type { IdTagInfo, Reason } from '@ocpp-kit/messages';
import type { CsmsDatabase } from './database.js';

interface TransactionRow {
  transaction_id: number;
  identity: string;
  connector_id: number;
  id_tag: string;
  meter_start: number;
  started_at: number;
  reservation_id: number | null;
  id_tag_info: string;
  meter_stop: number | null;
  stopped_at: number | null;
  stop_reason: Reason | null;
  stop_id_tag: string | null;
}

function transactionOf(row: TransactionRow): StoredTransaction {
  const start = {
    transactionId: row.transaction_id,
    identity: row.identity,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    meterStart: row.meter_start,
    startedAt: row.started_at,
    idTagInfo: JSON.parse(row.id_tag_info) as IdTagInfo,
    ...(row.reservation_id === null ? {} : { reservationId: row.reservation_id }),
  };
  if (row.stopped_at === null || row.meter_stop === null) return start;
  return {
    ...start,
    stop: {
      identity: row.identity,
      transactionId: row.transaction_id,
      meterStop: row.meter_stop,
      stoppedAt: row.stopped_at,
      ...(row.stop_reason === null ? {} : { reason: row.stop_reason }),
      ...(row.stop_id_tag === null ? {} : { idTag: row.stop_id_tag }),
    },
  };
}

export interface TransactionFilter {
  readonly identity?: string;
  readonly active?: boolean;
  readonly limit: number;
  /** Transactions with a smaller id (paging backwards from the newest). */
  readonly before?: number;
}

export class TransactionTable implements TransactionStore {
  readonly #db: CsmsDatabase;
  readonly #clock: () => number;
  readonly #byKey;
  readonly #byId;
  readonly #insert;
  readonly #stop;
  readonly #orphan;
  readonly #active;

  constructor(db: CsmsDatabase, clock: () => number) {
    this.#db = db;
    this.#clock = clock;
    this.#byKey = db.prepare<[string, number, number, number, string], TransactionRow>(
      `SELECT * FROM transactions
       WHERE identity = ? AND connector_id = ? AND started_at = ? AND meter_start = ? AND id_tag_key = ?`,
    );
    this.#byId = db.prepare<[number], TransactionRow>(
      'SELECT * FROM transactions WHERE transaction_id = ?',
    );
    this.#insert = db.prepare<
      [string, number, string, string, number, number, number | null, string],
      never
    >(
      `INSERT INTO transactions (identity, connector_id, id_tag, id_tag_key, meter_start, started_at, reservation_id, id_tag_info)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#stop = db.prepare<[number, number, string | null, string | null, number, string], never>(
      `UPDATE transactions SET meter_stop = ?, stopped_at = ?, stop_reason = ?, stop_id_tag = ?
       WHERE transaction_id = ? AND identity = ? AND stopped_at IS NULL`,
    );
    this.#orphan = db.prepare<
      [string, number, number, number, string | null, string | null, number],
      never
    >(
      `INSERT OR IGNORE INTO orphan_stops (identity, transaction_id, meter_stop, stopped_at, reason, id_tag, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#active = db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM transactions WHERE id_tag_key = ? AND stopped_at IS NULL',
    );
  }

  #findKey(key: TransactionStartKey): TransactionRow | undefined {
    return this.#byKey.get(
      key.identity,
      key.connectorId,
      key.startedAt,
      key.meterStart,
      idTagKey(key.idTag),
    );
  }

  findStart(key: TransactionStartKey): StoredTransaction | undefined {
    const row = this.#findKey(key);
    return row === undefined ? undefined : transactionOf(row);
  }

  begin(start: TransactionStart): Promise<BeginResult> {
    return this.#db.write(() => {
      const existing = this.#findKey(start);
      if (existing !== undefined) return { transaction: transactionOf(existing), created: false };
      const { lastInsertRowid } = this.#insert.run(
        start.identity,
        start.connectorId,
        start.idTag,
        idTagKey(start.idTag),
        start.meterStart,
        start.startedAt,
        start.reservationId ?? null,
        JSON.stringify(start.idTagInfo),
      );
      const row = this.#byId.get(Number(lastInsertRowid)) as TransactionRow;
      return { transaction: transactionOf(row), created: true };
    });
  }

  end(stop: TransactionStop): Promise<TransactionEndResult> {
    return this.#db.write((): TransactionEndResult => {
      const changed = this.#stop.run(
        stop.meterStop,
        stop.stoppedAt,
        stop.reason ?? null,
        stop.idTag ?? null,
        stop.transactionId,
        stop.identity,
      ).changes;
      const row = this.#byId.get(stop.transactionId);
      if (changed > 0)
        return { status: 'Stopped', transaction: transactionOf(row as TransactionRow) };
      if (row !== undefined && row.identity === stop.identity) {
        return { status: 'AlreadyStopped', transaction: transactionOf(row) };
      }
      this.#orphan.run(
        stop.identity,
        stop.transactionId,
        stop.meterStop,
        stop.stoppedAt,
        stop.reason ?? null,
        stop.idTag ?? null,
        this.#clock(),
      );
      return { status: 'UnknownTransaction' };
    });
  }

  activeCount(idTag: string): number {
    return this.#active.get(idTagKey(idTag))?.n ?? 0;
  }

  get(transactionId: number): StoredTransaction | undefined {
    const row = this.#byId.get(transactionId);
    return row === undefined ? undefined : transactionOf(row);
  }

  list(filter: TransactionFilter): StoredTransaction[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.identity !== undefined) {
      where.push('identity = ?');
      params.push(filter.identity);
    }
    if (filter.active !== undefined)
      where.push(filter.active ? 'stopped_at IS NULL' : 'stopped_at IS NOT NULL');
    if (filter.before !== undefined) {
      where.push('transaction_id < ?');
      params.push(filter.before);
    }
    const sql = `SELECT * FROM transactions ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
      ORDER BY transaction_id DESC LIMIT ?`;
    return this.#db
      .prepare<(string | number)[], TransactionRow>(sql)
      .all(...params, filter.limit)
      .map(transactionOf);
  }

  orphanStops(): {
    identity: string;
    transactionId: number;
    meterStop: number;
    stoppedAt: number;
  }[] {
    return this.#db
      .prepare<
        [],
        { identity: string; transaction_id: number; meter_stop: number; stopped_at: number }
      >(
        'SELECT identity, transaction_id, meter_stop, stopped_at FROM orphan_stops ORDER BY received_at',
      )
      .all()
      .map((r) => ({
        identity: r.identity,
        transactionId: r.transaction_id,
        meterStop: r.meter_stop,
        stoppedAt: r.stopped_at,
      }));
  }
}
