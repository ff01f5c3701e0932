import { ScheduleError } from './errors.js';

// OCPP 1.6 §3.15: ISO 8601 with fractional seconds and offsets allowed; a zone is required so an
// instant is unambiguous (the spec recommends UTC, §3.14).
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-](\d{2}):?(\d{2}))$/;

/** Parses an OCPP date-time into whole epoch seconds (floored, as composite schedules use whole seconds). */
export function parseDateTime(text: string, field: string): number {
  const m = typeof text === 'string' ? isoDateTime.exec(text) : null;
  if (m === null) {
    throw new ScheduleError(
      'INVALID_DATE_TIME',
      `${field}: expected an ISO 8601 date-time with a zone, e.g. 2024-01-01T12:00:00Z`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== month - 1
  ) {
    throw new ScheduleError('INVALID_DATE_TIME', `${field}: ${text} is not a calendar date-time`);
  }
  let offset = 0;
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) {
      throw new ScheduleError('INVALID_DATE_TIME', `${field}: ${text} has an invalid zone offset`);
    }
    offset = (oh * 3600 + om * 60) * (m[8]?.startsWith('-') ? -1 : 1);
  }
  return ms / 1000 - offset;
}

/** Formats whole epoch seconds as `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatDateTime(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/** Epoch milliseconds -> whole epoch seconds (floored); throws on NaN/Infinity. */
export function toSeconds(ms: number, field: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new ScheduleError('INVALID_INSTANT', `${field}: expected finite epoch milliseconds`);
  }
  return Math.floor(ms / 1000);
}
