// Structured logs as JSON lines on stderr; quiet by default.
import type { CsmsLogger } from '@ocpp-kit/csms-kit';

const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;

export function jsonLogger(
  level: 'silent' | 'info' | 'debug',
  write = (line: string) => process.stderr.write(line),
): CsmsLogger {
  const min = level === 'silent' ? 4 : order[level];
  const at =
    (name: keyof typeof order) =>
    (event: string, fields: Readonly<Record<string, unknown>> = {}) => {
      if (order[name] < min) return;
      const record: Record<string, unknown> = {
        time: new Date().toISOString(),
        level: name,
        event,
      };
      for (const [key, value] of Object.entries(fields)) {
        record[key] = value instanceof Error ? value.message : value;
      }
      write(`${JSON.stringify(record)}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
