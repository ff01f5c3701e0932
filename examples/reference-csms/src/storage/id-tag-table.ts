// The csms-kit IdTagProvider on SQLite; tags are case-insensitive (§7.28 CiString).
import { type IdTagProvider, type IdTagRecord, idTagKey } from '@ocpp-kit/csms-kit';
import type { CsmsDatabase } from './database.js';

interface IdTagRow {
  id_tag: string;
  status: IdTagRecord['status'];
  expires_at: number | null;
  parent_id_tag: string | null;
  concurrent_transactions: number;
  in_local_list: number;
}

/** An idTag as the operator API shows and takes it. */
export interface IdTagEntry extends IdTagRecord {
  readonly idTag: string;
  /** Part of the Local Authorization List sent to charge points (§3.5.3). */
  readonly inLocalList: boolean;
}

function entryOf(row: IdTagRow): IdTagEntry {
  return {
    idTag: row.id_tag,
    status: row.status,
    inLocalList: row.in_local_list === 1,
    concurrentTransactions: row.concurrent_transactions === 1,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.parent_id_tag === null ? {} : { parentIdTag: row.parent_id_tag }),
  };
}

export class IdTagTable implements IdTagProvider {
  readonly #db: CsmsDatabase;
  readonly #get;
  readonly #list;
  readonly #upsert;
  readonly #delete;

  constructor(db: CsmsDatabase) {
    this.#db = db;
    this.#get = db.prepare<[string], IdTagRow>('SELECT * FROM id_tags WHERE id_tag_key = ?');
    this.#list = db.prepare<[], IdTagRow>('SELECT * FROM id_tags ORDER BY id_tag_key');
    this.#upsert = db.prepare<
      [string, string, string, number | null, string | null, number, number],
      never
    >(
      `INSERT INTO id_tags (id_tag_key, id_tag, status, expires_at, parent_id_tag, concurrent_transactions, in_local_list)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id_tag_key) DO UPDATE SET id_tag = excluded.id_tag, status = excluded.status,
         expires_at = excluded.expires_at, parent_id_tag = excluded.parent_id_tag,
         concurrent_transactions = excluded.concurrent_transactions, in_local_list = excluded.in_local_list`,
    );
    this.#delete = db.prepare<[string], never>('DELETE FROM id_tags WHERE id_tag_key = ?');
  }

  lookup(idTag: string): IdTagRecord | undefined {
    const row = this.#get.get(idTagKey(idTag));
    return row === undefined ? undefined : entryOf(row);
  }

  get(idTag: string): IdTagEntry | undefined {
    const row = this.#get.get(idTagKey(idTag));
    return row === undefined ? undefined : entryOf(row);
  }

  list(): IdTagEntry[] {
    return this.#list.all().map(entryOf);
  }

  put(entry: IdTagEntry): Promise<void> {
    return this.#db.write(() => {
      this.#upsert.run(
        idTagKey(entry.idTag),
        entry.idTag,
        entry.status,
        entry.expiresAt ?? null,
        entry.parentIdTag ?? null,
        entry.concurrentTransactions === true ? 1 : 0,
        entry.inLocalList ? 1 : 0,
      );
    });
  }

  remove(idTag: string): Promise<boolean> {
    return this.#db.write(() => this.#delete.run(idTagKey(idTag)).changes > 0);
  }
}
