import { appendLog, type KitLogRecord, lastLogSeq, readLog } from '../storage/kit-log-table.js';
import type { KitStore } from '../storage/kit-store.js';
import type { KitLogger, LogFields } from './logger.js';

/** Records kept per charge point: the newest, the older ones pruned as new ones come. */
export const kitLogRecords = 5_000;

/**
 * The kit's own log, kept in its database for the diagnostics file (§5.9): every info, warn and
 * error event also goes to the application's logger; debug events only there. Writing a record
 * rides on the group commit; a record that cannot be stored is dropped, never retried or logged
 * (that would loop).
 */
export class KitLog {
  readonly #store: KitStore;
  readonly #station: string;
  readonly #clock: () => number;
  #seq: number;

  constructor(store: KitStore, station: string, clock: () => number) {
    this.#store = store;
    this.#station = station;
    this.#clock = clock;
    this.#seq = lastLogSeq(store, station);
  }

  /** A logger writing to `inner` and to this log. */
  tee(inner: KitLogger): KitLogger {
    const keep =
      (level: KitLogRecord['level']) =>
      (event: string, fields?: LogFields): void => {
        inner[level](event, fields);
        this.#record(level, event, fields);
      };
    return {
      debug: (event, fields) => inner.debug(event, fields),
      info: keep('info'),
      warn: keep('warn'),
      error: keep('error'),
    };
  }

  #record(level: KitLogRecord['level'], event: string, fields: LogFields | undefined): void {
    this.#seq += 1;
    const record: KitLogRecord = {
      seq: this.#seq,
      at: this.#clock(),
      level,
      event,
      fields: safeJson(fields ?? {}),
    };
    this.#store
      .write(() => appendLog(this.#store, this.#station, record, kitLogRecords))
      .catch(() => undefined);
  }

  /** The records between `from` and `to` (epoch ms), oldest first, as JSON lines. */
  lines(from: number | undefined, to: number | undefined): string {
    return readLog(this.#store, this.#station, from, to)
      .map(
        (r) =>
          `{"time":${JSON.stringify(new Date(r.at).toISOString())},"level":"${r.level}","event":${JSON.stringify(r.event)},"fields":${r.fields}}\n`,
      )
      .join('');
  }
}

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return '{"unserializable":true}';
  }
}
