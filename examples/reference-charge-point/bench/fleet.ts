// `npx tsx --conditions=@ocpp-kit/source examples/reference-charge-point/bench/fleet.ts [--quick]`
// 1000 charge points in one process, each sending MeterValues every 10 s to a local server (in
// its own process): the reference charge point on the kit, beside bare clients sending the same
// payload through rpc-core, ocpp-rpc (strict) and raw `ws`. Reports the load process's CPU and
// memory per charge point. Memory per charge point is the slope between a run of a tenth as many
// and the full run (RSS after a forced GC), so Node's own baseline and start-up garbage cancel
// out. Not a test; every wait is bounded.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CsmsReport, type FleetMode, fleetModes, type LoadReport } from './wire.js';

const quick = process.argv.includes('--quick');
const count = quick ? 200 : 1000;
const intervalMs = 10_000;
const windowMs = quick ? 10_000 : 30_000;
const stepTimeoutMs = 120_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (text: string) => process.stderr.write(`${text}\n`);

/** A child whose IPC messages are buffered, so none is lost between two waits. */
function child<M extends { type: string }>(
  script: string,
  args: string[],
  execArgv: string[] = [],
) {
  const proc: ChildProcess = fork(here(script), args, {
    execArgv: ['--import', 'tsx', '--conditions=@ocpp-kit/source', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: M[] = [];
  let wake: (() => void) | undefined;
  let exited = false;
  proc.on('message', (message: M) => {
    inbox.push(message);
    wake?.();
  });
  proc.on('exit', () => {
    exited = true;
    wake?.();
  });
  return {
    send: (command: object) => {
      if (!exited) proc.send(command);
    },
    async next<T extends M['type']>(type: T): Promise<Extract<M, { type: T }>> {
      const deadline = Date.now() + stepTimeoutMs;
      for (;;) {
        const failure = inbox.find((m) => m.type === 'failed') as { message?: string } | undefined;
        if (failure !== undefined) throw new Error(`${script}: ${failure.message}`);
        const index = inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(index, 1)[0] as Extract<M, { type: T }>;
        if (exited) throw new Error(`${script} exited before '${type}'`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${script}: no '${type}' within ${stepTimeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    kill: () => proc.kill('SIGKILL'),
  };
}

interface Run {
  readonly perSecond: number;
  readonly cpuMicros: number;
  readonly windowMs: number;
  readonly messages: number;
  readonly rss: number;
  readonly heapAndExternal: number;
}

async function run(mode: FleetMode, cps: number, window: number): Promise<Run> {
  const csms = child<CsmsReport>('./csms.ts', []);
  let load: ReturnType<typeof child<LoadReport>> | undefined;
  try {
    const { port } = await csms.next('listening');
    load = child<LoadReport>(
      './load.ts',
      [mode, `ws://127.0.0.1:${port}`, String(cps), String(intervalMs), String(window)],
      ['--expose-gc'],
    );
    await load.next('ready');
    log(
      `  ${mode}: ${cps} charge points sending; one interval of warm-up, then ${window / 1000} s measured`,
    );
    await load.next('measuring');
    csms.send({ op: 'count' });
    const first = await csms.next('count');
    const measured = await load.next('measured');
    csms.send({ op: 'count' });
    const last = await csms.next('count');
    const messages = last.meterValues - first.meterValues;
    return {
      perSecond: (messages * 1000) / measured.windowMs,
      cpuMicros: measured.cpuMicros,
      windowMs: measured.windowMs,
      messages,
      rss: measured.rss,
      heapAndExternal: measured.heapAndExternal,
    };
  } finally {
    load?.kill();
    csms.kill();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const small = count / 10;
const rows: string[][] = [];
for (const mode of fleetModes) {
  const few = await run(mode, small, 1_000);
  const full = await run(mode, count, windowMs);
  const perCp = (field: 'rss' | 'heapAndExternal') => (full[field] - few[field]) / (count - small);
  rows.push([
    String(count),
    mode === 'kit' ? 'kit (reference CP)' : mode,
    full.perSecond.toFixed(1),
    ((full.cpuMicros / (full.windowMs * 1000)) * 100).toFixed(1),
    (full.cpuMicros / Math.max(1, full.messages)).toFixed(0),
    kib(perCp('rss')),
    kib(perCp('heapAndExternal')),
    `${(full.rss / 2 ** 20).toFixed(0)} MiB`,
  ]);
}
const header = [
  'charge points',
  'client',
  'MeterValues/s',
  'CPU % of a core',
  'CPU µs/message',
  'RSS/CP',
  'heap+ext/CP',
  'process RSS',
];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]?.length ?? 0)));
const line = (cells: readonly string[]) =>
  `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
for (const row of rows) process.stdout.write(`${line(row)}\n`);
