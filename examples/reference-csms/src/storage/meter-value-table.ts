// Meter readings, one row per sampled value, in their own SQLite file with its own writer thread
// (meter-writer.js): they are most of what a CSMS writes, and their inserts and fsyncs would
// otherwise hold the event loop and the other tables' write lock. A resent MeterValues (same
// readings) changes nothing: the key is the reading itself (INSERT OR IGNORE). The writer also
// answers what the API asks per transaction (`summaries`): it holds the summary's newest part.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MeterValue } from '@ocpp-kit/messages';
import Database from 'better-sqlite3';
import { migrate, readingsSchema } from './migrations.js';
import {
  type LatestReading,
  type TransactionReadings,
  transactionReadings,
} from './transaction-readings.js';

/** A transaction's readings as the API shows them. */
export interface TransactionSummary {
  readonly readings: TransactionReadings;
  /** Readings stored for the transaction. */
  readonly count: number;
}

/** One reply per commit: the batches it made durable (or failed), by id. */
interface WriterReply {
  readonly type: 'ready' | 'done' | 'failed' | 'summary';
  /** The question a 'summary' reply answers. */
  readonly id?: number;
  readonly summaries?: { latest: LatestReading[]; readings: number }[];
  readonly ids?: number[];
  /** Per batch, per write: the rows added. */
  readonly changes?: number[][];
  readonly message?: string;
}

interface QueuedWrite {
  readonly rows: number;
  readonly resolve: (changed: number) => void;
  readonly reject: (error: Error) => void;
}

export interface ReadingsOptions {
  /** The writer commits at most this often, so that readings under load share an fsync. Default 5 ms. */
  readonly commitIntervalMs?: number;
  /** How long a transaction's summary may lag its readings before it is written (a crash replays the lag). Default 5 s. */
  readonly summaryIntervalMs?: number;
}

/** Where the readings of `file` (the CSMS's database) live: beside it, `-readings` added. */
export function readingsFileOf(file: string): string {
  return file.replace(/(\.[^./\\]+)?$/, '-readings$1');
}

export class MeterValueTable {
  readonly file: string;
  readonly #reader: Database.Database;
  readonly #writer: Worker;
  readonly #total: Database.Statement<[], { n: number }>;
  /** Rows of the writes queued this turn, 10 values each, sent to the writer as one message. */
  #values: (string | number | null)[] = [];
  #queued: QueuedWrite[] = [];
  #scheduled = false;
  #nextId = 1;
  readonly #inFlight = new Map<number, QueuedWrite[]>();
  readonly #questions = new Map<
    number,
    { resolve: (summaries: TransactionSummary[]) => void; reject: (error: Error) => void }
  >();
  #failure: Error | undefined;
  #commits = 0;
  #rows = 0;
  #closing: Promise<void> | undefined;
  readonly #send = () => this.#post();

  private constructor(file: string, reader: Database.Database, writer: Worker) {
    this.file = file;
    this.#reader = reader;
    this.#writer = writer;
    this.#total = reader.prepare('SELECT COUNT(*) AS n FROM meter_values');
    writer.on('message', (reply: WriterReply) => this.#answered(reply));
    writer.on('error', (error) =>
      this.#fail(new Error(`The readings writer failed: ${error.message}`, { cause: error })),
    );
    writer.on('exit', (code) => {
      if (this.#closing === undefined)
        this.#fail(new Error(`The readings writer exited (code ${code})`));
    });
  }

  /** Opens (creating and migrating) the readings file and starts its writer thread. */
  static async open(file: string, options: ReadingsOptions = {}): Promise<MeterValueTable> {
    mkdirSync(dirname(file), { recursive: true });
    const reader = new Database(file);
    try {
      reader.pragma('journal_mode = WAL');
      migrate(reader, readingsSchema);
    } catch (error) {
      reader.close();
      throw error;
    }
    const writer = new Worker(new URL('./meter-writer.js', import.meta.url), {
      workerData: {
        file,
        commitIntervalMs: options.commitIntervalMs ?? 5,
        summaryIntervalMs: options.summaryIntervalMs ?? 5_000,
      },
    });
    const table = new MeterValueTable(file, reader, writer);
    try {
      await new Promise<void>((resolve, reject) => {
        const ready = (reply: WriterReply) => {
          if (reply.type === 'ready') {
            writer.off('message', ready);
            resolve();
          }
        };
        writer.on('message', ready);
        writer.once('error', reject);
      });
    } catch (error) {
      reader.close();
      await writer.terminate();
      throw error;
    }
    return table;
  }

  /** Stores the readings; resolves with the rows added once they are durable. */
  record(
    identity: string,
    connectorId: number,
    transactionId: number | undefined,
    meterValues: readonly MeterValue[],
  ): Promise<number> {
    if (this.#closing !== undefined)
      return Promise.reject(new Error('The readings file is closed'));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const values = this.#values;
    let rows = 0;
    for (const { timestamp, sampledValue } of meterValues) {
      const at = Date.parse(timestamp);
      for (const sample of sampledValue) {
        values.push(
          identity,
          connectorId,
          transactionId ?? null,
          at,
          sample.measurand ?? 'Energy.Active.Import.Register',
          sample.phase ?? '',
          sample.location ?? '',
          sample.context ?? '',
          sample.unit ?? null,
          sample.value,
        );
        rows += 1;
      }
    }
    return new Promise<number>((resolve, reject) => {
      this.#queued.push({ rows, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#send);
      }
    });
  }

  /** One message per turn of the event loop: the writer commits what piled up meanwhile. */
  #post(): void {
    this.#scheduled = false;
    if (this.#queued.length === 0) return;
    const id = this.#nextId++;
    const writes = this.#queued;
    this.#inFlight.set(id, writes);
    this.#writer.postMessage({
      type: 'rows',
      id,
      values: this.#values,
      counts: writes.map((write) => write.rows),
    });
    this.#values = [];
    this.#queued = [];
  }

  /** Commits the writer made (one fsync each) and the rows they added. */
  get stats(): { readonly commits: number; readonly rows: number } {
    return { commits: this.#commits, rows: this.#rows };
  }

  #answered(reply: WriterReply): void {
    if (reply.type === 'summary') {
      const question = this.#questions.get(reply.id ?? 0);
      this.#questions.delete(reply.id ?? 0);
      question?.resolve(
        (reply.summaries ?? []).map(({ latest, readings }) => ({
          readings: transactionReadings(latest),
          count: readings,
        })),
      );
      return;
    }
    if (reply.type === 'done') this.#commits += 1;
    const error =
      reply.type === 'failed'
        ? new Error(`Storing meter values failed: ${reply.message}`)
        : undefined;
    reply.ids?.forEach((id, batch) => {
      const writes = this.#inFlight.get(id);
      if (writes === undefined) return;
      this.#inFlight.delete(id);
      const changes = reply.changes?.[batch];
      writes.forEach((write, i) => {
        if (error !== undefined) write.reject(error);
        else {
          const rows = changes?.[i] ?? 0;
          this.#rows += rows;
          write.resolve(rows);
        }
      });
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const writes of this.#inFlight.values()) for (const write of writes) write.reject(error);
    this.#inFlight.clear();
    for (const question of this.#questions.values()) question.reject(error);
    this.#questions.clear();
    for (const write of this.#queued) write.reject(error);
    this.#queued = [];
    this.#values = [];
  }

  /** Energy, power and the number of readings of each transaction, up to the last commit. */
  summaries(transactionIds: readonly number[]): Promise<TransactionSummary[]> {
    if (this.#closing !== undefined)
      return Promise.reject(new Error('The readings file is closed'));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (transactionIds.length === 0) return Promise.resolve([]);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#questions.set(id, { resolve, reject });
      this.#writer.postMessage({ type: 'summary', id, transactionIds });
    });
  }

  /** Every reading stored. */
  count(): number {
    return this.#total.get()?.n ?? 0;
  }

  /** Sends what is queued, waits until the writer has made it durable, then stops the writer. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#post();
      const exited = new Promise<void>((resolve) => this.#writer.once('exit', () => resolve()));
      this.#writer.postMessage({ type: 'close' });
      await exited;
      this.#fail(new Error('The readings writer stopped before answering'));
      this.#reader.close();
    })();
    return this.#closing;
  }
}
