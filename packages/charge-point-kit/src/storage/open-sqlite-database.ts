import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlRow, SqlValue } from './sql-database.js';

/**
 * Opens (or creates) a SQLite file with better-sqlite3 as the kit's `SqlDatabase`. Durability
 * settings (WAL, `synchronous=FULL`) are applied by `KitStore`, whatever the driver.
 */
export function openSqliteDatabase(file: string): SqlDatabase {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  return {
    exec: (sql) => {
      db.exec(sql);
    },
    prepare: (sql) => {
      const statement = db.prepare<SqlValue[]>(sql);
      return {
        run: (...params) => statement.run(...params),
        get: (...params) => statement.get(...params) as SqlRow | undefined,
        all: (...params) => statement.all(...params) as SqlRow[],
      };
    },
    close: () => db.close(),
  };
}
