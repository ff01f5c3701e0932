/** Structured fields of one log record; never a secret (passwords and keys are never passed). */
export type CsmsLogFields = Readonly<Record<string, unknown>>;

/**
 * Where the kit logs: an event name (`boot.pending`, `handshake.rejected`, ...) and fields.
 * Quiet by default (`silentCsmsLogger`); pino, console or a test spy fit in a few lines.
 */
export interface CsmsLogger {
  debug(event: string, fields?: CsmsLogFields): void;
  info(event: string, fields?: CsmsLogFields): void;
  warn(event: string, fields?: CsmsLogFields): void;
  error(event: string, fields?: CsmsLogFields): void;
}

const ignore = (): void => {};
export const silentCsmsLogger: CsmsLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
