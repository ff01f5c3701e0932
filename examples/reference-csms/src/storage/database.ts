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

export interface GroupCommitOptions {
  /** How long the first queued write waits for others to share its commit. Default 2 ms. */
  readonly commitWindowMs?: number;
  /** A batch this large commits at once. Default 1000. */
  readonly maxBatch?: number;
}

export class CsmsDatabase {
  readonly file: string;
  readonly #db: Database.Database;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #closed = false;
  #commits = 0;
  #rowsWritten = 0;

  readonly #commitWindowMs: number;
  readonly #maxBatch: number;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollbackTo: Database.Statement;
  #timer: NodeJS.Timeout | undefined;
  readonly #statements = new Map<string, Database.Statement>();

  private constructor(file: string, db: Database.Database, options: GroupCommitOptions) {
    this.file = file;
    this.#db = db;
    this.#commitWindowMs = options.commitWindowMs ?? 2;
    this.#maxBatch = options.maxBatch ?? 1_000;
    // Prepared once: parsing these per write cost more than the inserts they wrap.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#savepoint = db.prepare('SAVEPOINT w');
    this.#release = db.prepare('RELEASE w');
    this.#rollbackTo = db.prepare('ROLLBACK TO w');
  }

  /** Opens (creating the directory and file) and migrates to the current schema. */
  static open(file: string, options: GroupCommitOptions = {}): CsmsDatabase {
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
    return new CsmsDatabase(file, db, options);
  }

  /** Transactions committed by group commit (one fsync each) and statements they ran. */
  get stats(): { readonly commits: number; readonly writes: number } {
    return { commits: this.#commits, writes: this.#rowsWritten };
  }

  /** A prepared statement, typed by the caller; prepared once per SQL text, then reused. */
  prepare<P extends SqlValue[], R = Row>(sql: string): Statement<P, R> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  /**
   * Runs `apply` (synchronous SQL) in the next group commit and resolves with its result once
   * durable. A throwing `apply` is rolled back alone (a savepoint) and rejects its own promise.
   */
  write<T>(apply: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('The database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.length >= this.#maxBatch) this.flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // fsync blocks this thread, so writes only pile up while the loop runs: wait a moment.
        this.#timer = setTimeout(() => this.flush(), this.#commitWindowMs);
      }
    });
  }

  /** Commits the queued writes now. */
  flush(): void {
    this.#scheduled = false;
    clearTimeout(this.#timer);
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const results: { ok: boolean; value: unknown }[] = [];
    const db = this.#db;
    try {
      this.#begin.run();
      for (const write of batch) {
        this.#savepoint.run();
        try {
          results.push({ ok: true, value: write.apply() });
          this.#release.run();
        } catch (error) {
          this.#rollbackTo.run();
          this.#release.run();
          results.push({ ok: false, value: error });
        }
      }
      this.#commit.run();
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
