// `pnpm --filter @ocpp-kit/example-reference-csms start -- --policy policies/platform.json`
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCli, usage } from './cli.js';
import { startReferenceCsms } from './csms/reference-csms.js';
import { jsonLogger } from './json-logger.js';
import { defaultPolicy, readPolicyFile } from './policy/policy.js';

/** The API key: given, or the one in the data directory, made on first start (0600). */
function apiKeyOf(dataDir: string, given: string | undefined): { key: string; file?: string } {
  if (given !== undefined && given !== '') return { key: given };
  const file = join(dataDir, 'api-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { key: readFileSync(file, 'utf8').trim(), file };
}

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(usage);
    return;
  }
  const dataDir = resolve(cli.dataDir);
  const policy = cli.policyFile === undefined ? defaultPolicy : readPolicyFile(cli.policyFile);
  const apiKey = apiKeyOf(dataDir, cli.apiKey);
  const csms = await startReferenceCsms({
    dataDir,
    policy,
    apiKey: apiKey.key,
    logger: jsonLogger(cli.log),
    ...(cli.databaseFile === undefined ? {} : { databaseFile: resolve(cli.databaseFile) }),
  });
  const ocpp = csms.ocppAddresses
    .map(
      (a) =>
        `profile ${a.securityProfile} ${a.securityProfile >= 2 ? 'wss' : 'ws'}://${a.address}:${a.port}`,
    )
    .join(', ');
  process.stdout.write(
    `reference CSMS: OCPP on ${ocpp}; API on http://${policy.http.host}:${csms.httpPort} (key ${apiKey.file ?? 'as given'}); files on http://${policy.files.host}:${csms.filesPort}; data in ${dataDir}\n`,
  );
  const stop = () => {
    void csms.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`reference CSMS failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
