// CSMS load benchmark: the reference CSMS (every reading persisted before its answer) beside
// rpc-core's bare server, each in its own process, driven by one load-generator process of N
// charge points sending MeterValues every second. N grows until p99 passes 100 ms. Bounded.
//   pnpm bench reference-csms [--quick]
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadReport, ServerKind, ServerSample } from './wire.js';

const quick = process.argv.includes('--quick');
const sizes = quick
  ? [1_000, 3_000]
  : [1_000, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000, 16_000];
const warmupMs = quick ? 2_000 : 3_000;
const measureMs = quick ? 4_000 : 8_000;
const caseTimeoutMs = 180_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (text: string) => process.stderr.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const execArgv = ['--import', 'tsx', '--conditions=@ocpp-kit/source'];

interface Row {
  readonly kind: ServerKind;
  readonly chargePoints: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuPercent: number;
  readonly rssMiB: number;
  readonly rowsPerSecond: number;
  readonly commitsPerSecond: number;
  readonly failed: number;
  /** Every answered MeterValues has its two rows in the database (reference CSMS only). */
  readonly persisted: boolean | undefined;
}

async function next<T>(child: ChildProcess, type: string): Promise<T> {
  for (;;) {
    const [message] = (await once(child, 'message')) as [{ type: string; message?: string } & T];
    if (message.type === 'failed') throw new Error(message.message);
    if (message.type === type) return message;
  }
}

async function runCase(kind: ServerKind, chargePoints: number): Promise<Row> {
  const server = fork(here('./server.ts'), [kind, String(chargePoints)], {
    execArgv,
  });
  const { port } = await next<{ port: number }>(server, 'ready');
  const load = fork(here('./load.ts'), [`ws://127.0.0.1:${port}/ocpp`, String(chargePoints)], {
    execArgv,
  });
  const deadline = setTimeout(() => {
    server.kill('SIGKILL');
    load.kill('SIGKILL');
  }, caseTimeoutMs);
  try {
    await next(load, 'connected');
    await sleep(warmupMs);
    server.send({ op: 'sample' });
    const before = await next<ServerSample>(server, 'sample');
    load.send({ op: 'measure' });
    const started = Date.now();
    await sleep(measureMs);
    load.send({ op: 'report' });
    const report = await next<LoadReport>(load, 'report');
    server.send({ op: 'sample' });
    const after = await next<ServerSample>(server, 'sample');
    const seconds = (Date.now() - started) / 1000;
    load.send({ op: 'stop' });
    const { totalAnswered } = await next<{ totalAnswered: number }>(load, 'stopped');
    server.send({ op: 'count' });
    const final = await next<ServerSample>(server, 'sample');
    server.send({ op: 'stop' });
    await once(server, 'exit');
    return {
      kind,
      chargePoints,
      callsPerSecond: report.answered / seconds,
      p50Ms: report.p50Micros / 1000,
      p99Ms: report.p99Micros / 1000,
      cpuPercent: ((after.cpuMicros - before.cpuMicros) / 1e6 / seconds) * 100,
      rssMiB: after.rssBytes / 2 ** 20,
      rowsPerSecond: (after.meterRows - before.meterRows) / seconds,
      commitsPerSecond: (after.commits - before.commits) / seconds,
      failed: report.failed,
      persisted: kind === 'reference-csms' ? final.meterRows >= totalAnswered * 2 : undefined,
    };
  } finally {
    clearTimeout(deadline);
    if (load.exitCode === null) load.kill('SIGKILL');
    if (server.exitCode === null) server.kill('SIGKILL');
  }
}

const rows: Row[] = [];
for (const kind of ['rpc-core', 'reference-csms'] as const) {
  for (const size of sizes) {
    log(`${kind}: ${size} charge points ...`);
    const row = await runCase(kind, size);
    rows.push(row);
    log(
      `  ${row.callsPerSecond.toFixed(0)} calls/s, p99 ${row.p99Ms.toFixed(1)} ms, cpu ${row.cpuPercent.toFixed(0)} %`,
    );
    if (row.p99Ms > 100) break;
  }
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);
const header =
  '| server | charge points | MeterValues/s answered | p50 ms | p99 ms | server CPU % | server RSS MiB | rows/s written | commits/s | all persisted |';
process.stdout.write(
  `\nMeterValues every second per charge point (2 sampled values each), ${measureMs / 1000} s window; the load generator is its own process on the same 2 cores\n\n${header}\n|${'---|'.repeat(10)}\n`,
);
for (const row of rows) {
  process.stdout.write(
    `| ${row.kind} | ${row.chargePoints} | ${fixed(row.callsPerSecond)} | ${fixed(row.p50Ms, 1)} | ${fixed(row.p99Ms, 1)} | ${fixed(row.cpuPercent)} | ${fixed(row.rssMiB)} | ${row.kind === 'rpc-core' ? '-' : fixed(row.rowsPerSecond)} | ${row.kind === 'rpc-core' ? '-' : fixed(row.commitsPerSecond)} | ${row.persisted === undefined ? '-' : row.persisted ? 'yes' : 'NO'} |\n`,
  );
}
const best = rows
  .filter((row) => row.kind === 'reference-csms' && row.p99Ms < 100 && row.persisted === true)
  .reduce((top, row) => Math.max(top, row.callsPerSecond), 0);
process.stdout.write(
  `\nreference CSMS: ${fixed(best)} persisted MeterValues/s at p99 < 100 ms (goal >= 10000)\n`,
);
