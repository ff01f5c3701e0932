import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientTlsOptions, KitLogger } from '@ocpp-kit/charge-point-kit';
import type { FleetOptions } from './fleet.js';
import { parseStationTemplate } from './station-template.js';

export const usage = `Usage: reference-charge-point --csms <ws(s)://host/path> [options]

  --identity <prefix>        identities are <prefix>1..<prefix>N (default SIM-)
  --count <n>                charge points in this process, 1-10000 (default 1)
  --connectors <n>           connectors per charge point (default: the template's)
  --template <file.json>     a station template (default: the 22 kW wallbox)
  --security-profile <0-3>   whitepaper security profile (default 0)
  --password <hex>           AuthorizationKey, 32-40 hex digits (profiles 1 and 2)
  --ca <pem> --cert <pem> --key <pem>   TLS files (profiles 2 and 3)
  --data-dir <dir>           where the SQLite database lives (default .reference-charge-point)
  --sessions <n>             automatic sessions per connector, then stop (default 0: none)
  --session-seconds <a-b>    how long each automatic session charges (default 20-120)
  --idle-seconds <a-b>       how long a connector stays idle before each session (default 2-10)
  --keep-running             after the sessions, keep running until SIGINT or SIGTERM
  --verbose                  log every event as a JSON line on stderr`;

/** A bad command line; the message says which option and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Cli {
  readonly fleet: FleetOptions;
  readonly verbose: boolean;
  /** Stay up after the automatic sessions (the CSMS may still send work). */
  readonly keepRunning: boolean;
}

const defaultTemplate = new URL('./templates/wallbox-22kw.json', import.meta.url);

export function parseCli(argv: readonly string[]): Cli {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        csms: { type: 'string' },
        identity: { type: 'string', default: 'SIM-' },
        count: { type: 'string', default: '1' },
        connectors: { type: 'string' },
        template: { type: 'string' },
        'security-profile': { type: 'string', default: '0' },
        password: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'data-dir': { type: 'string', default: '.reference-charge-point' },
        sessions: { type: 'string', default: '0' },
        'session-seconds': { type: 'string', default: '20-120' },
        'idle-seconds': { type: 'string', default: '2-10' },
        verbose: { type: 'boolean', default: false },
        'keep-running': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: string) => values[name] as string | undefined;
  const csms = text('csms');
  if (csms === undefined || !/^wss?:\/\//.test(csms))
    throw new UsageError('--csms must be a ws:// or wss:// URL');
  const integer = (name: string, min: number, max: number): number => {
    const raw = text(name) ?? '';
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max)
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const templatePath = text('template');
  let template = parseStationTemplate(
    JSON.parse(readFileSync(templatePath ?? defaultTemplate, 'utf8')),
    templatePath ?? 'the default template',
  );
  if (text('connectors') !== undefined)
    template = { ...template, connectors: integer('connectors', 1, 32) };
  const securityProfile = integer('security-profile', 0, 3) as 0 | 1 | 2 | 3;
  const password = text('password');
  if (password !== undefined && !/^(?:[0-9a-fA-F]{2}){16,20}$/.test(password)) {
    throw new UsageError('--password must be 32-40 hexadecimal digits (16-20 bytes)');
  }
  if ((securityProfile === 1 || securityProfile === 2) && password === undefined) {
    throw new UsageError(`--security-profile ${securityProfile} needs --password`);
  }
  const file = (name: string) => {
    const path = text(name);
    return path === undefined ? undefined : readFileSync(path, 'utf8');
  };
  const tls: ClientTlsOptions = Object.fromEntries(
    (['ca', 'cert', 'key'] as const).flatMap((name) => {
      const content = file(name);
      return content === undefined ? [] : [[name, content]];
    }),
  );
  const range = (name: string): readonly [number, number] => {
    const match = /^(\d+)-(\d+)$/.exec(text(name) ?? '');
    if (match === null || Number(match[1]) > Number(match[2])) {
      throw new UsageError(`--${name} must be <min>-<max> seconds, min <= max`);
    }
    return [Number(match[1]) * 1000, Number(match[2]) * 1000];
  };
  const chargeMs = range('session-seconds');
  const idleMs = range('idle-seconds');
  const sessions = integer('sessions', 0, 1_000_000);
  return {
    verbose: values.verbose === true,
    keepRunning: values['keep-running'] === true,
    fleet: {
      csms,
      identityPrefix: text('identity') ?? 'SIM-',
      count: integer('count', 1, 10_000),
      template,
      dataDir: text('data-dir') ?? '.reference-charge-point',
      securityProfile,
      ...(password === undefined ? {} : { authorizationKey: Buffer.from(password, 'hex') }),
      ...(Object.keys(tls).length === 0 ? {} : { tls }),
      ...(sessions === 0
        ? {}
        : {
            sessions: {
              sessions,
              chargeMs,
              idleMs,
            },
          }),
    },
  };
}

/** JSON lines on stderr: quiet unless asked (`--verbose`). */
export function jsonLogger(identity: string, write: (line: string) => void): KitLogger {
  const log = (level: string) => (event: string, fields?: object) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, identity, event, ...fields }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
