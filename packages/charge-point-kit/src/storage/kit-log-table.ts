import type { KitStore } from './kit-store.js';

/** One record of the kit's own log. */
export interface KitLogRecord {
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly event: string;
  readonly fields: string;
}

export function lastLogSeq(store: KitStore, station: string): number {
  const row = store.statement('SELECT MAX(seq) AS seq FROM kit_log WHERE station = ?').get(station);
  return Number(row?.seq ?? 0);
}

/** Inside a write: appends a record; drops those `keep` records older. */
export function appendLog(
  store: KitStore,
  station: string,
  record: KitLogRecord,
  keep: number,
): void {
  store
    .statement(
      'INSERT INTO kit_log (station, seq, at, level, event, fields) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(station, record.seq, record.at, record.level, record.event, record.fields);
  if (record.seq % 64 === 0) {
    store
      .statement('DELETE FROM kit_log WHERE station = ? AND seq <= ?')
      .run(station, record.seq - keep);
  }
}

/** The records from `from` to `to` (epoch ms, either open), oldest first. */
export function readLog(
  store: KitStore,
  station: string,
  from: number | undefined,
  to: number | undefined,
): KitLogRecord[] {
  return store
    .statement(
      'SELECT seq, at, level, event, fields FROM kit_log WHERE station = ? AND at >= ? AND at <= ? ORDER BY seq',
    )
    .all(station, from ?? 0, to ?? Number.MAX_SAFE_INTEGER)
    .map((row) => ({
      seq: Number(row.seq),
      at: Number(row.at),
      level: String(row.level) as KitLogRecord['level'],
      event: String(row.event),
      fields: String(row.fields),
    }));
}
