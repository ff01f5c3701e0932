// The reference charge point: `pnpm --filter @ocpp-kit/example-reference-charge-point start -- --csms ws://127.0.0.1:9220/ocpp`.
import { jsonLogger, parseCli, UsageError, usage } from './cli.js';
import { Fleet } from './fleet.js';
import { TemplateError } from './station-template.js';

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2).filter((arg) => arg !== '--'));
} catch (error) {
  if (error instanceof UsageError || error instanceof TemplateError) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  throw error;
}
const fleet = new Fleet({
  ...cli.fleet,
  ...(cli.verbose
    ? { logger: jsonLogger(cli.fleet.identityPrefix, (line) => process.stderr.write(`${line}\n`)) }
    : {}),
});
for (const { chargePoint } of fleet.members) {
  chargePoint.on('error', ({ error }) =>
    process.stderr.write(`${chargePoint.identity}: ${error.message}\n`),
  );
}
await fleet.start();
const progress = setInterval(() => process.stdout.write(`${fleet.progress()}\n`), 10_000);
const stop = async () => {
  clearInterval(progress);
  await fleet.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
process.stdout.write(`${fleet.progress()}\n`);
if (cli.fleet.sessions !== undefined) {
  await fleet.runSessions();
  process.stdout.write(`sessions done: ${fleet.progress()}\n`);
  if (!cli.keepRunning) await stop();
}
