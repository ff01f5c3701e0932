import { ChargePointKitError } from '../errors.js';
import { migrations } from './migrations.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import type { SqlDatabase, SqlStatement } from './sql-database.js';

/** Where a `KitStore` keeps its data: a SQLite file (better-sqlite3), or a database you opened. */
export type KitStoreLocation = { readonly file: string } | { readonly database: SqlDatabase };

interface PendingWrite {
  readonly apply: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The kit's single source of truth on disk: one SQLite database in WAL mode with
 * `synchronous=FULL`, so a committed write survives power loss, not only a process crash
 * (better-sqlite3's default NORMAL may lose the last commits). Writes are grouped: every
 * `write()` queued in one turn of the event loop commits in one transaction with one fsync,
 * however many charge points share the store, and each promise resolves only once its write is
 * durable. The kit sends nothing that depends on a write before that promise resolves.
 */
export class KitStore {
  readonly #db: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement>();
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #closed = false;
  #commits = 0;

  private constructor(db: SqlDatabase) {
    this.#db = db;
  }

  /** Opens the store, applies the durability settings and migrates the schema. */
  static open(location: KitStoreLocation): KitStore {
    let db: SqlDatabase;
    try {
      db = 'file' in location ? openSqliteDatabase(location.file) : location.database;
    } catch (cause) {
      throw new ChargePointKitError(
        'STORAGE_FAILED',
        `Cannot open the kit database: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    const store = new KitStore(db);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      store.#migrate();
    } catch (cause) {
      db.close();
      if (cause instanceof ChargePointKitError) throw cause;
      throw new ChargePointKitError(
        'STORAGE_FAILED',
        `Cannot prepare the kit database: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    return store;
  }

  /** Transactions committed so far (each one fsync); for benchmarks and tests. */
  get commits(): number {
    return this.#commits;
  }

  /** A prepared statement, prepared once per store. */
  statement(sql: string): SqlStatement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      this.#check();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Queues `apply` (synchronous SQL through `statement`) for the next group commit; resolves
   * once it is durable. A throwing `apply` is rolled back alone (a savepoint) and rejects its
   * own promise; a failed commit rejects every write of the batch with `STORAGE_FAILED`.
   */
  write(apply: () => void): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new ChargePointKitError('CLOSED', 'The kit store is closed'));
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ apply, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits the queued writes now (also run by the scheduled group commit). */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const failed = new Map<PendingWrite, unknown>();
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      for (const write of batch) {
        this.#db.exec('SAVEPOINT kit_write');
        try {
          write.apply();
          this.#db.exec('RELEASE kit_write');
        } catch (error) {
          this.#db.exec('ROLLBACK TO kit_write');
          this.#db.exec('RELEASE kit_write');
          failed.set(write, error);
        }
      }
      this.#db.exec('COMMIT');
      this.#commits += 1;
    } catch (cause) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // No transaction left to roll back: the failure was BEGIN itself.
      }
      const error = new ChargePointKitError('STORAGE_FAILED', `Commit failed: ${String(cause)}`, {
        cause,
      });
      for (const write of batch) write.reject(error);
      return;
    }
    for (const write of batch) {
      if (failed.has(write)) write.reject(failed.get(write));
      else write.resolve();
    }
  }

  /** Commits what is queued, then closes the database; later writes reject with `CLOSED`. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  #check(): void {
    if (this.#closed) throw new ChargePointKitError('CLOSED', 'The kit store is closed');
  }

  #migrate(): void {
    const row = this.#db.prepare('PRAGMA user_version').get();
    const version = Number(row?.user_version ?? 0);
    if (version > migrations.length) {
      throw new ChargePointKitError(
        'STORAGE_TOO_NEW',
        `The kit database is at schema version ${version}, this kit knows ${migrations.length}: upgrade @ocpp-kit/charge-point-kit`,
      );
    }
    for (let next = version; next < migrations.length; next++) {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        this.#db.exec(migrations[next] as string);
        this.#db.exec(`PRAGMA user_version = ${next + 1}`);
        this.#db.exec('COMMIT');
      } catch (cause) {
        this.#db.exec('ROLLBACK');
        throw new ChargePointKitError(
          'STORAGE_FAILED',
          `Migration to schema version ${next + 1} failed: ${String(cause)}`,
          { cause },
        );
      }
    }
  }
}
