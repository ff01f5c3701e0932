/** A value SQLite stores: what both better-sqlite3 and `node:sqlite` bind and return. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A row as the driver returns it: column name to value. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/** A prepared statement; the kit prepares each once and reuses it. */
export interface SqlStatement {
  run(...params: SqlValue[]): { readonly changes: number | bigint };
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
}

/**
 * The storage port: the few synchronous calls the kit makes on an embedded SQL database. It is
 * the shape better-sqlite3's `Database` and `node:sqlite`'s `DatabaseSync` share, so either
 * plugs in without an adapter of substance (`openSqliteDatabase` is the default).
 */
export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}
