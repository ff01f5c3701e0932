/** Structured fields of one log record; never a secret (the AuthorizationKey is never passed). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where the kit logs: an event name (`boot.accepted`, `queue.discarded`, ...) and fields.
 * Quiet by default (`silentLogger`); pino, console or a test spy fit in a few lines.
 */
export interface KitLogger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const ignore = (): void => {};
export const silentLogger: KitLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
