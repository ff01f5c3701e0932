import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlRow, SqlValue } from './sql-database.js';

/**
 * Opens (or creates) a SQLite file with better-sqlite3 as the kit's `SqlDatabase`, readable by
 * its owner only. Durability settings (WAL, `synchronous=FULL`) are applied by `KitStore`,
 * whatever the driver.
 */
export function openSqliteDatabase(file: string): SqlDatabase {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  // It holds private keys and the AuthorizationKey (A02.FR.05): owner only. SQLite gives the
  // -wal and -shm files the database's permissions.
  chmodSync(file, 0o600);
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
