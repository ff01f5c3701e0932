// The charge point's security log (A04.FR.02-04, N01.FR.05): an append-only sequence of
// checksummed records, durable before `record()` resolves. It is bounded (oldest entries go first)
// except that a critical entry is never dropped before the central system confirmed it
// (A04.FR.02). A damaged record is reported and the storage's contents are preserved before they
// are rewritten, so no stored entry is ever lost silently.
import { createHash } from 'node:crypto';
import type { SecurityEventNotificationRequest } from '@ocpp-kit/messages';
import { SecurityError } from './errors.js';
import {
  isCriticalSecurityEvent,
  normalizeSecurityEvent,
  type SecurityEventType,
} from './security-events.js';
import { type SecurityLogStorage, securityLogFile } from './security-log-storage.js';

/** Where the log keeps its records: a file (the default storage) or your own storage. */
export type SecurityLogLocation =
  | {
      /** The log file (`securityLogFile`); created when missing. */
      readonly file: string;
      readonly storage?: never;
    }
  | { readonly storage: SecurityLogStorage; readonly file?: never };

export type SecurityLogOptions = SecurityLogLocation & {
  /** Entries kept; undelivered critical entries are kept beyond it. 1000 when omitted. */
  readonly maxEntries?: number;
  /** Current time in epoch milliseconds; `Date.now` when omitted. */
  readonly clock?: () => number;
};

export interface SecurityLogEntry {
  /** Monotonic sequence number within this log. */
  readonly seq: number;
  readonly type: string;
  /** ISO 8601 time the event occurred. */
  readonly timestamp: string;
  readonly techInfo?: string;
  readonly critical: boolean;
  /** True once SecurityEventNotification.conf was received for it (critical entries only). */
  readonly delivered: boolean;
}

/** Something found wrong in the storage when the log was opened. */
export interface SecurityLogProblem {
  /** 1-based position of the damaged record (its line in a `securityLogFile`). */
  readonly line: number;
  readonly message: string;
  /** Where the storage's contents as found were copied for inspection (`preserve()`). */
  readonly preservedAs: string;
}

interface StoredEvent {
  s: number;
  t: string;
  ts: string;
  i?: string;
  c: boolean;
  d?: true;
}
interface StoredAck {
  a: number;
}
/** First record of a compacted log: the next sequence number, so seqs never repeat after a restart. */
interface StoredMark {
  n: number;
}

const checksumLength = 16;

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, checksumLength);
}

function encode(record: StoredEvent | StoredAck | StoredMark): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}`;
}

export class SecurityLog {
  readonly problems: readonly SecurityLogProblem[];
  /** Names the storage in error messages: the file, or "the given storage". */
  readonly #where: string;
  readonly #storage: SecurityLogStorage;
  readonly #max: number;
  readonly #clock: () => number;
  readonly #entries = new Map<number, SecurityLogEntry>();
  #nextSeq = 1;
  /** Records in the storage, live or not; compaction starts beyond twice the bound. */
  #records = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    options: SecurityLogOptions,
    storage: SecurityLogStorage,
    problems: SecurityLogProblem[],
  ) {
    this.#where = options.file ?? 'the given storage';
    this.#storage = storage;
    this.#max = options.maxEntries ?? 1000;
    this.#clock = options.clock ?? Date.now;
    this.problems = problems;
  }

  /** Opens (or creates) the log from its storage, repairing damaged records. */
  static async open(options: SecurityLogOptions): Promise<SecurityLog> {
    const maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new SecurityError('LOG_IO', `maxEntries must be a positive integer; got ${maxEntries}`);
    }
    const storage =
      options.storage ??
      (typeof options.file === 'string' && options.file !== ''
        ? securityLogFile(options.file)
        : undefined);
    if (storage === undefined) {
      throw new SecurityError('LOG_IO', 'SecurityLog.open needs a `file` (string) or a `storage`');
    }
    const problems: SecurityLogProblem[] = [];
    const log = new SecurityLog(options, storage, problems);
    let records: string[];
    try {
      records = await storage.read();
    } catch (cause) {
      throw new SecurityError('LOG_IO', `Cannot read the security log in ${log.#where}`, { cause });
    }
    const bad: Array<{ line: number; message: string }> = [];
    for (const [index, raw] of records.entries()) {
      const problem = log.#apply(raw);
      if (problem !== undefined) bad.push({ line: index + 1, message: problem });
    }
    log.#records = records.length;
    if (bad.length > 0) {
      let preservedAs: string;
      try {
        preservedAs = await storage.preserve();
      } catch (cause) {
        await storage.close();
        throw new SecurityError(
          'LOG_IO',
          `The security log in ${log.#where} has damaged records and cannot be preserved; free space or fix permissions, then open it again`,
          { cause },
        );
      }
      for (const b of bad) problems.push({ ...b, preservedAs });
    }
    log.#trim();
    if (bad.length > 0 || log.#records > 2 * log.#max) {
      await log.#compact().catch(async (error: unknown) => {
        await storage.close();
        throw error;
      });
    }
    return log;
  }

  /**
   * Records an event; resolves once it is on disk (fsync). Critical-ness comes from section 8;
   * `critical: true` marks a vendor-specific (or non-critical) type as critical, but a section 8
   * critical event can never be downgraded, so it is always pushed and kept until delivered.
   */
  async record(
    type: SecurityEventType | (string & {}),
    details: {
      readonly techInfo?: string;
      /** When the event occurred, epoch milliseconds; now when omitted. */
      readonly timestamp?: number;
      readonly critical?: boolean;
    } = {},
  ): Promise<SecurityLogEntry> {
    const normalized = normalizeSecurityEvent(type, details.techInfo);
    if (details.timestamp !== undefined && !Number.isFinite(details.timestamp)) {
      throw new SecurityError(
        'INVALID_SECURITY_EVENT',
        `timestamp must be epoch milliseconds (a finite number); got ${String(details.timestamp)}`,
      );
    }
    return this.#serialize(async () => {
      const stored = this.#newEvent(
        normalized,
        details.timestamp ?? this.#clock(),
        isCriticalSecurityEvent(type) || details.critical === true,
      );
      await this.#append(encode(stored));
      this.#nextSeq++;
      const entry = toEntry(stored);
      this.#entries.set(entry.seq, entry);
      this.#trim();
      await this.#maybeCompact();
      return entry;
    });
  }

  /** Critical entries not yet confirmed, oldest first: the SecurityEventNotification queue. */
  undelivered(): SecurityLogEntry[] {
    return [...this.#entries.values()].filter((e) => e.critical && !e.delivered);
  }

  /** Marks an entry as confirmed by SecurityEventNotification.conf (A04.FR.03); durable. */
  markDelivered(seq: number): Promise<void> {
    return this.#serialize(async () => {
      const entry = this.#entries.get(seq);
      if (entry === undefined || entry.delivered) return;
      await this.#append(encode({ a: seq }));
      this.#entries.set(seq, { ...entry, delivered: true });
      this.#trim();
      await this.#maybeCompact();
    });
  }

  /**
   * Clears the log except undelivered critical entries (A04.FR.02) and records the critical
   * SecurityLogWasCleared event (section 8) in the same atomic replace of the storage: a crash
   * leaves either the old log or the cleared one with that event, never a silent clear. A failed
   * rewrite throws `LOG_IO`.
   */
  clear(techInfo?: string): Promise<SecurityLogEntry> {
    const normalized = normalizeSecurityEvent('SecurityLogWasCleared', techInfo);
    return this.#serialize(async () => {
      const entry = toEntry(this.#newEvent(normalized, this.#clock(), true));
      const kept = [...this.#entries.values()].filter((e) => e.critical && !e.delivered);
      await this.#compact([...kept, entry], entry.seq + 1);
      this.#entries.clear();
      for (const e of [...kept, entry]) this.#entries.set(e.seq, e);
      this.#nextSeq++;
      return entry;
    });
  }

  /** Entries in order, optionally within [oldest, latest] (GetLog.req LogParametersType). */
  entries(range: { readonly oldest?: number; readonly latest?: number } = {}): SecurityLogEntry[] {
    const from = range.oldest ?? Number.NEGATIVE_INFINITY;
    const to = range.latest ?? Number.POSITIVE_INFINITY;
    return [...this.#entries.values()].filter((e) => {
      const at = Date.parse(e.timestamp);
      return at >= from && at <= to;
    });
  }

  /** Flushes pending work and closes the storage. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#storage.close();
  }

  /** The record for the next event (sequence number `#nextSeq`, not yet advanced). */
  #newEvent(
    event: ReturnType<typeof normalizeSecurityEvent>,
    timestamp: number,
    critical: boolean,
  ): StoredEvent {
    const stored: StoredEvent = {
      s: this.#nextSeq,
      t: event.type,
      ts: new Date(timestamp).toISOString(),
      c: critical,
    };
    if (event.techInfo !== undefined) stored.i = event.techInfo;
    return stored;
  }

  #apply(raw: string): string | undefined {
    const space = raw.indexOf(' ');
    const json = raw.slice(space + 1);
    if (space !== checksumLength || checksum(json) !== raw.slice(0, space))
      return 'checksum mismatch';
    let record: unknown;
    try {
      record = JSON.parse(json);
    } catch {
      return 'not JSON';
    }
    if (isMark(record)) {
      this.#nextSeq = Math.max(this.#nextSeq, record.n);
      return undefined;
    }
    if (isAck(record)) {
      const entry = this.#entries.get(record.a);
      if (entry !== undefined) this.#entries.set(record.a, { ...entry, delivered: true });
      return undefined;
    }
    if (!isEvent(record)) return 'unknown record shape';
    this.#entries.set(record.s, toEntry(record));
    this.#nextSeq = Math.max(this.#nextSeq, record.s + 1);
    return undefined;
  }

  /** Drops the oldest entries beyond the bound, never an undelivered critical one. */
  #trim(): void {
    let excess = this.#entries.size - this.#max;
    if (excess <= 0) return;
    for (const [seq, entry] of this.#entries) {
      if (excess <= 0) break;
      if (entry.critical && !entry.delivered) continue;
      this.#entries.delete(seq);
      excess--;
    }
  }

  async #append(record: string): Promise<void> {
    try {
      await this.#storage.append(record);
    } catch (cause) {
      throw new SecurityError('LOG_IO', `Cannot append to the security log in ${this.#where}`, {
        cause,
      });
    }
    this.#records++;
  }

  async #maybeCompact(): Promise<void> {
    if (this.#records > 2 * this.#max) await this.#compact();
  }

  /** Replaces the stored records with `entries` (the live ones), atomically. */
  async #compact(
    entries: readonly SecurityLogEntry[] = [...this.#entries.values()],
    nextSeq = this.#nextSeq,
  ): Promise<void> {
    // The mark keeps the high-water sequence number: the bound may have dropped the newest entries.
    const records = [encode({ n: nextSeq })];
    for (const e of entries) {
      const stored: StoredEvent = { s: e.seq, t: e.type, ts: e.timestamp, c: e.critical };
      if (e.techInfo !== undefined) stored.i = e.techInfo;
      if (e.delivered) stored.d = true;
      records.push(encode(stored));
    }
    try {
      await this.#storage.replace(records);
    } catch (cause) {
      throw new SecurityError('LOG_IO', `Cannot compact the security log in ${this.#where}`, {
        cause,
      });
    }
    this.#records = records.length;
  }

  #serialize<T>(action: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(action, action);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

/** SecurityEventNotification.req for a log entry. */
export function toSecurityEventNotification(
  entry: SecurityLogEntry,
): SecurityEventNotificationRequest {
  const request: SecurityEventNotificationRequest = {
    type: entry.type,
    timestamp: entry.timestamp,
  };
  if (entry.techInfo !== undefined) request.techInfo = entry.techInfo;
  return request;
}

function toEntry(stored: StoredEvent): SecurityLogEntry {
  const entry = {
    seq: stored.s,
    type: stored.t,
    timestamp: stored.ts,
    critical: stored.c,
    delivered: stored.d === true,
  };
  return stored.i === undefined ? entry : { ...entry, techInfo: stored.i };
}

function isMark(value: unknown): value is StoredMark {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.hasOwn(value, 'n') &&
    Number.isSafeInteger((value as StoredMark).n)
  );
}

function isAck(value: unknown): value is StoredAck {
  return typeof value === 'object' && value !== null && Number.isInteger((value as StoredAck).a);
}

function isEvent(value: unknown): value is StoredEvent {
  const v = value as StoredEvent;
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isInteger(v.s) &&
    typeof v.t === 'string' &&
    typeof v.ts === 'string' &&
    typeof v.c === 'boolean' &&
    (v.i === undefined || typeof v.i === 'string')
  );
}
