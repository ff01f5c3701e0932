// The reference CSMS's one SQLite file, in WAL mode, with group commit: every write queued while
// the previous commit is being made durable commits in one transaction, and each caller's promise
// resolves only once its row is on disk. The fsync runs on libuv's thread pool (an fdatasync of
// the WAL file after the COMMIT), never on the event loop: SQLite itself runs synchronous=NORMAL,
// so a COMMIT only appends to the WAL, and our fdatasync is what synchronous=FULL would do at that
// point (https://sqlite.org/wal.html: a transaction is durable once its WAL frames are synced).
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { csmsSchema, migrate } from './migrations.js';

export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Record<string, unknown>;

interface PendingWrite {
  readonly apply: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** A write whose transaction committed, waiting for the fsync that makes it durable. */
interface CommittedWrite {
  readonly write: PendingWrite;
  readonly ok: boolean;
  readonly value: unknown;
}

/** What a statement is typed as: its parameters and the row it reads. */
export interface Statement<P extends SqlValue[], R> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** Flushes a file's data to disk, off the event loop (`fs.fdatasync`; a test may slow it). */
export type SyncFile = (fd: number, done: (error: Error | null) => void) => void;

export interface GroupCommitOptions {
  /** A batch this large commits at once, even while the previous fsync runs. Default 1000. */
  readonly maxBatch?: number;
  /** How the WAL file is synced. Default `fs.fdatasync` (libuv's thread pool). */
  readonly syncFile?: SyncFile;
}

export class CsmsDatabase {
  readonly file: string;
  readonly #db: Database.Database;
  /** The WAL file, opened to fsync it; undefined for ':memory:' (nothing to make durable). */
  readonly #wal: number | undefined;
  readonly #syncFile: SyncFile;
  readonly #maxBatch: number;
  #pending: PendingWrite[] = [];
  #committed: CommittedWrite[] = [];
  #scheduled = false;
  #syncing = false;
  #closed = false;
  #commits = 0;
  #syncs = 0;
  #rowsWritten = 0;

  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollbackTo: Database.Statement;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #flushNow = () => this.flush();

  private constructor(
    file: string,
    db: Database.Database,
    wal: number | undefined,
    options: GroupCommitOptions,
  ) {
    this.file = file;
    this.#db = db;
    this.#wal = wal;
    this.#syncFile = options.syncFile ?? fdatasync;
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
    let wal: number | undefined;
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL: COMMIT appends to the WAL without fsync; `flush` syncs the WAL itself, off-thread.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, csmsSchema);
      // The WAL exists while a connection is open (the migration wrote to it); fsync applies to
      // the file, so our own descriptor flushes what SQLite's wrote.
      if (file !== ':memory:') wal = openSync(`${file}-wal`, 'r');
    } catch (error) {
      db.close();
      throw error;
    }
    return new CsmsDatabase(file, db, wal, options);
  }

  /** Group commits (transactions), WAL fsyncs (each covering one or more commits), writes. */
  get stats(): { readonly commits: number; readonly syncs: number; readonly writes: number } {
    return { commits: this.#commits, syncs: this.#syncs, writes: this.#rowsWritten };
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
      else if (!this.#scheduled && !this.#syncing) {
        // While a sync runs, writes wait for it to end and then share one commit.
        this.#scheduled = true;
        setImmediate(this.#flushNow);
      }
    });
  }

  /** Commits the queued writes now; they resolve once the next WAL sync completes. */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const committed: CommittedWrite[] = [];
    const db = this.#db;
    try {
      this.#begin.run();
      for (const write of batch) {
        this.#savepoint.run();
        try {
          committed.push({ write, ok: true, value: write.apply() });
          this.#release.run();
        } catch (error) {
          this.#rollbackTo.run();
          this.#release.run();
          committed.push({ write, ok: false, value: error });
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
    if (this.#wal === undefined) {
      settle(committed);
      return;
    }
    for (const entry of committed) this.#committed.push(entry);
    if (!this.#syncing) this.#sync(this.#wal);
  }

  /** One fdatasync covers every commit made before it started; later ones wait for the next. */
  #sync(wal: number): void {
    const covered = this.#committed;
    this.#committed = [];
    this.#syncing = true;
    this.#syncFile(wal, (error) => {
      this.#syncing = false;
      this.#syncs += 1;
      if (error === null) settle(covered);
      else {
        for (const { write } of covered)
          write.reject(new Error(`WAL sync failed: ${error.message}`, { cause: error }));
      }
      if (this.#closed) closeSync(wal);
      else if (this.#pending.length > 0) this.flush();
      else if (this.#committed.length > 0) this.#sync(wal);
    });
  }

  /** Commits and syncs what is queued (blocking), then closes. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    const wal = this.#wal;
    if (wal !== undefined) {
      fdatasyncSync(wal);
      settle(this.#committed);
      this.#committed = [];
      // A sync still in flight closes the descriptor when it ends.
      if (!this.#syncing) closeSync(wal);
    }
    this.#db.close();
  }
}

function settle(committed: readonly CommittedWrite[]): void {
  for (const { write, ok, value } of committed) {
    if (ok) write.resolve(value);
    else write.reject(value);
  }
}
