// Command-line options of the reference CSMS; `--help` prints `usage`.
import { parseArgs } from 'node:util';

export const usage = `Usage: reference-csms [options]

  --data-dir DIR     database, certificate authority and API key live here (default ./csms-data)
  --policy FILE      the CSMS policy (JSON; see policies/platform.json); default: profile 0 on 127.0.0.1:8180
  --database FILE    the SQLite file (default <data-dir>/csms.sqlite)
  --api-key KEY      the operator API key (default: $CSMS_API_KEY, else <data-dir>/api-key, made on first start)
  --log LEVEL        silent | info | debug (default silent): JSON lines on stderr
  --help             this text
`;

export interface CliOptions {
  readonly dataDir: string;
  readonly policyFile: string | undefined;
  readonly databaseFile: string | undefined;
  readonly apiKey: string | undefined;
  readonly log: 'silent' | 'info' | 'debug';
  readonly help: boolean;
}

export function parseCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      policy: { type: 'string' },
      database: { type: 'string' },
      'api-key': { type: 'string' },
      log: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const log = values.log ?? 'silent';
  if (log !== 'silent' && log !== 'info' && log !== 'debug') {
    throw new Error(`--log: expected silent, info or debug, got '${log}'`);
  }
  return {
    dataDir: values['data-dir'] ?? 'csms-data',
    policyFile: values.policy,
    databaseFile: values.database,
    apiKey: values['api-key'] ?? env.CSMS_API_KEY,
    log,
    help: values.help === true,
  };
}
