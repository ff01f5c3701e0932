import type { IdTagInfo } from '@ocpp-kit/messages';
import { ChargePointKitError } from '../errors.js';
import type { KitStore } from './kit-store.js';

/** A stored idTag with what the CSMS said of it. */
export interface IdTagRecord {
  readonly idTag: string;
  readonly info: IdTagInfo;
  /** Cache only: when the entry was last written (epoch ms), for evicting the oldest. */
  readonly updatedAt: number;
}

/** IdToken is case-insensitive (§7.28): one key per spelling. */
export function idTagKey(idTag: string): string {
  return idTag.toLowerCase();
}

type IdTagTable = 'auth_cache' | 'local_list';

/** Every row of the cache or the local list of a charge point. */
export function loadIdTags(store: KitStore, table: IdTagTable, station: string): IdTagRecord[] {
  const updated = table === 'auth_cache' ? 'updated_at' : '0 AS updated_at';
  return store
    .statement(`SELECT id_tag, info, ${updated} FROM ${table} WHERE station = ?`)
    .all(station)
    .map((row) => {
      try {
        const info = JSON.parse(String(row.info)) as IdTagInfo;
        if (typeof info?.status !== 'string') throw new Error('no status');
        return { idTag: String(row.id_tag), info, updatedAt: Number(row.updated_at) };
      } catch (cause) {
        throw new ChargePointKitError(
          'STORAGE_CORRUPT',
          `A stored ${table} entry of ${station} does not parse`,
          { cause },
        );
      }
    });
}

/** Inside a write: adds or replaces an entry. */
export function putIdTag(
  store: KitStore,
  table: IdTagTable,
  station: string,
  record: IdTagRecord,
): void {
  const sql =
    table === 'auth_cache'
      ? 'INSERT INTO auth_cache (station, id_key, id_tag, info, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (station, id_key) DO UPDATE SET id_tag = excluded.id_tag, info = excluded.info, updated_at = excluded.updated_at'
      : 'INSERT INTO local_list (station, id_key, id_tag, info) VALUES (?, ?, ?, ?) ON CONFLICT (station, id_key) DO UPDATE SET id_tag = excluded.id_tag, info = excluded.info';
  const params = [station, idTagKey(record.idTag), record.idTag, JSON.stringify(record.info)];
  if (table === 'auth_cache') store.statement(sql).run(...params, record.updatedAt);
  else store.statement(sql).run(...params);
}

/** Inside a write: removes one entry. */
export function deleteIdTag(
  store: KitStore,
  table: IdTagTable,
  station: string,
  idTag: string,
): void {
  store
    .statement(`DELETE FROM ${table} WHERE station = ? AND id_key = ?`)
    .run(station, idTagKey(idTag));
}

/** Inside a write: removes every entry. */
export function clearIdTags(store: KitStore, table: IdTagTable, station: string): void {
  store.statement(`DELETE FROM ${table} WHERE station = ?`).run(station);
}
