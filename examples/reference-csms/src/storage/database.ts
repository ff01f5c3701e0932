// The reference CSMS's one SQLite file: WAL with synchronous=FULL (a committed row survives power
// loss) and group commit: every write queued in one turn of the event loop commits in one
// transaction, one fsync, and each caller's promise resolves only once its row is durable.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Record<string, unknown>;

interface PendingWrite {
  readonly apply: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** What a statement is typed as: its parameters and the row it reads. */
export interface Statement<P extends SqlValue[], R> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

export class CsmsDatabase {
  readonly file: string;
  readonly #db: Database.Database;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #closed = false;
  #commits = 0;
  #rowsWritten = 0;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
  }

  /** Opens (creating the directory and file) and migrates to the current schema. */
  static open(file: string): CsmsDatabase {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new CsmsDatabase(file, db);
  }

  /** Transactions committed by group commit (one fsync each) and statements they ran. */
  get stats(): { readonly commits: number; readonly writes: number } {
    return { commits: this.#commits, writes: this.#rowsWritten };
  }

  /** A prepared statement, typed by the caller. */
  prepare<P extends SqlValue[], R = Row>(sql: string): Statement<P, R> {
    return this.#db.prepare<P, R>(sql) as unknown as Statement<P, R>;
  }

  /**
   * Runs `apply` (synchronous SQL) in the next group commit and resolves with its result once
   * durable. A throwing `apply` is rolled back alone (a savepoint) and rejects its own promise.
   */
  write<T>(apply: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('The database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits the queued writes now. */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const results: { ok: boolean; value: unknown }[] = [];
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const write of batch) {
        db.exec('SAVEPOINT w');
        try {
          results.push({ ok: true, value: write.apply() });
          db.exec('RELEASE w');
        } catch (error) {
          db.exec('ROLLBACK TO w');
          db.exec('RELEASE w');
          results.push({ ok: false, value: error });
        }
      }
      db.exec('COMMIT');
      this.#commits += 1;
      this.#rowsWritten += batch.length;
    } catch (cause) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const write of batch)
        write.reject(new Error(`Commit failed: ${String(cause)}`, { cause }));
      return;
    }
    batch.forEach((write, i) => {
      const result = results[i];
      if (result?.ok) write.resolve(result.value);
      else write.reject(result?.value);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#db.close();
  }
}
