// Load benchmark: our server (validation on) vs ocpp-rpc (strictMode) vs a raw `ws` bound, each in
// its own process, driven by one identical load generator process. Not a test; bounded in time.
//   npx tsx --conditions=@ocpp-kit/source packages/rpc-core/bench/load/run.ts [--quick] [--rounds=N]
// Each load case runs `rounds` times, the servers in rotating order, and reports the median: on a
// small machine the load generator and the server share cores, so one run alone is noisy.
import { type ChildProcess, execSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  type LoadReport,
  type ServerCommand,
  type ServerKind,
  type ServerReport,
  serverKinds,
} from './wire.js';

const quick = process.argv.includes('--quick');
const loadSizes = [1, 100, 1000];
const idleSizes = quick ? [1000] : [1000, 10000];
const warmupMs = quick ? 500 : 1_000;
const measureMs = quick ? 2_000 : 3_000;
const roundsArg = process.argv.find((arg) => arg.startsWith('--rounds='));
const rounds = roundsArg === undefined ? (quick ? 1 : 3) : Number(roundsArg.slice(9));
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 9) {
  throw new Error('--rounds takes a whole number from 1 to 9');
}
/** Hard bound per case: connect + warm-up + measure + slack. */
const caseTimeoutMs = 60_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (text: string) => process.stderr.write(`${text}\n`);

interface LoadRow {
  kind: ServerKind;
  cps: number;
  callsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  cpuMicrosPerCall: number;
}
interface IdleRow {
  kind: ServerKind;
  connections: number;
  connectMillis: number;
  rssPerConnection: number;
  heapPerConnection: number;
}

/**
 * A benchmark child process. Every IPC message is buffered from the start, so none is lost
 * between two waits, and every wait is bounded: by `caseTimeoutMs`, and by the child's exit.
 */
class Child {
  readonly #proc: ChildProcess;
  readonly #name: string;
  readonly #inbox: { readonly type: string }[] = [];
  #exited = false;
  #wake: (() => void) | undefined;

  constructor(script: string, args: string[], execArgv: string[] = []) {
    this.#name = `${script} ${args.join(' ')}`;
    this.#proc = fork(here(script), args, {
      execArgv: ['--import', 'tsx', '--conditions=@ocpp-kit/source', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#proc.on('message', (message: { readonly type: string }) => {
      this.#inbox.push(message);
      this.#wake?.();
    });
    this.#proc.on('exit', () => {
      this.#exited = true;
      this.#wake?.();
    });
  }

  send(command: ServerCommand): void {
    if (!this.#exited) this.#proc.send(command);
  }

  async next<T extends { type: string }>(type: T['type']): Promise<T> {
    const deadline = Date.now() + caseTimeoutMs;
    for (;;) {
      const at = this.#inbox.findIndex((m) => m.type === type || m.type === 'failed');
      if (at !== -1) {
        const [message] = this.#inbox.splice(at, 1) as [T];
        if (message.type === 'failed') {
          throw new Error(`${this.#name}: ${JSON.stringify(message)}`);
        }
        return message;
      }
      if (this.#exited) throw new Error(`${this.#name} exited while waiting for '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#proc.kill('SIGKILL');
        throw new Error(`${this.#name}: no '${type}' within ${caseTimeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Ends the child and waits (bounded) until it is gone, so cases never overlap. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const gone = once(this.#proc, 'exit');
    this.#proc.kill();
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}

async function withServer<R>(
  kind: ServerKind,
  body: (server: Child, port: number) => Promise<R>,
): Promise<R> {
  const server = new Child('./server.ts', [kind], ['--expose-gc']);
  try {
    const { port } = await server.next<Extract<ServerReport, { type: 'listening' }>>('listening');
    return await body(server, port);
  } finally {
    await server.stop();
  }
}

async function loadCase(kind: ServerKind, cps: number): Promise<LoadRow> {
  return withServer(kind, async (server, port) => {
    const load = new Child('./load.ts', [
      String(port),
      String(cps),
      String(warmupMs),
      String(measureMs),
      'load',
    ]);
    try {
      await load.next<Extract<LoadReport, { type: 'connected' }>>('connected');
      // The server's CPU is measured over the load generator's recording window: from its
      // 'recording' report until every call sent in the window is answered ('measured').
      await load.next<Extract<LoadReport, { type: 'recording' }>>('recording');
      server.send({ op: 'cpuStart' });
      const measured = await load.next<Extract<LoadReport, { type: 'measured' }>>('measured');
      server.send({ op: 'cpuStop' });
      const cpu = await server.next<Extract<ServerReport, { type: 'cpu' }>>('cpu');
      return {
        kind,
        cps,
        callsPerSecond: measured.calls / measured.seconds,
        p50Micros: measured.p50Micros,
        p99Micros: measured.p99Micros,
        cpuMicrosPerCall: (cpu.userMicros + cpu.systemMicros) / measured.calls,
      };
    } finally {
      await load.stop();
    }
  });
}

async function idleCase(kind: ServerKind, connections: number): Promise<IdleRow> {
  return withServer(kind, async (server, port) => {
    server.send({ op: 'memory' });
    const before = await server.next<Extract<ServerReport, { type: 'memory' }>>('memory');
    const load = new Child('./load.ts', [String(port), String(connections), '0', '0', 'idle']);
    try {
      const connected = await load.next<Extract<LoadReport, { type: 'connected' }>>('connected');
      await new Promise((r) => setTimeout(r, 1_000));
      server.send({ op: 'memory' });
      const after = await server.next<Extract<ServerReport, { type: 'memory' }>>('memory');
      if (after.connections !== connections) {
        throw new Error(`${kind}: ${after.connections}/${connections} connections open`);
      }
      return {
        kind,
        connections,
        connectMillis: connected.millis,
        rssPerConnection: (after.rss - before.rss) / connections,
        heapPerConnection:
          (after.heapUsed + after.external - before.heapUsed - before.external) / connections,
      };
    } finally {
      await load.stop();
    }
  });
}

function checkFileLimit(): void {
  const needed = Math.max(...idleSizes) + 1_000;
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim());
  if (Number.isFinite(limit) && limit < needed) {
    throw new Error(
      `ulimit -n is ${limit}; the idle-connection cases need ${needed} descriptors per process. Run \`ulimit -n ${needed}\` first.`,
    );
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Each metric's median over the rounds (not one round's row: the metrics vary independently). */
function medianRow(runs: LoadRow[]): LoadRow {
  const first = runs[0] as LoadRow;
  return {
    kind: first.kind,
    cps: first.cps,
    callsPerSecond: median(runs.map((r) => r.callsPerSecond)),
    p50Micros: median(runs.map((r) => r.p50Micros)),
    p99Micros: median(runs.map((r) => r.p99Micros)),
    cpuMicrosPerCall: median(runs.map((r) => r.cpuMicrosPerCall)),
  };
}

const f = (n: number, digits = 1) => n.toFixed(digits);
const kib = (bytes: number) => `${f(bytes / 1024, 2)} KiB`;
const ratio = (a: number, b: number) => (b === 0 ? '-' : `${f(a / b, 2)}x`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  checkFileLimit();
  const loads: LoadRow[] = [];
  for (const cps of loadSizes) {
    const runs = new Map<ServerKind, LoadRow[]>(serverKinds.map((kind) => [kind, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < serverKinds.length; k++) {
        const kind = serverKinds[(k + round) % serverKinds.length] as ServerKind;
        log(`load ${round + 1}/${rounds}: ${kind}, ${cps} charge points, ${measureMs / 1000}s ...`);
        runs.get(kind)?.push(await loadCase(kind, cps));
      }
    }
    for (const kind of serverKinds) loads.push(medianRow(runs.get(kind) ?? []));
  }
  const idle: IdleRow[] = [];
  for (const connections of idleSizes) {
    for (const kind of serverKinds) {
      log(`idle: ${kind}, ${connections} connections ...`);
      idle.push(await idleCase(kind, connections));
    }
  }
  const find = <R extends { kind: ServerKind }>(
    rows: R[],
    kind: ServerKind,
    pick: (r: R) => boolean,
  ) => rows.find((r) => r.kind === kind && pick(r)) as R;

  const loadRows = loads.map((r) => {
    const raw = find(loads, 'raw-ws', (x) => x.cps === r.cps);
    const rpc = find(loads, 'ocpp-rpc', (x) => x.cps === r.cps);
    return [
      String(r.cps),
      r.kind,
      f(r.callsPerSecond, 0),
      f(r.p50Micros / 1000, 2),
      f(r.p99Micros / 1000, 2),
      f(r.cpuMicrosPerCall, 2),
      ratio(r.cpuMicrosPerCall, raw.cpuMicrosPerCall),
      ratio(r.callsPerSecond, rpc.callsPerSecond),
    ];
  });
  const idleRows = idle.map((r) => {
    const raw = find(idle, 'raw-ws', (x) => x.connections === r.connections);
    return [
      String(r.connections),
      r.kind,
      f(r.connectMillis, 0),
      kib(r.rssPerConnection),
      kib(r.heapPerConnection),
      ratio(r.rssPerConnection, raw.rssPerConnection),
    ];
  });
  process.stdout.write(
    `\nMeterValues closed loop, one CALL in flight per charge point; median of ${rounds} round(s) of ${measureMs / 1000}s after ${warmupMs / 1000}s warm-up (node ${process.version})\n\n${table(
      [
        'CPs',
        'server',
        'calls/s',
        'p50 ms',
        'p99 ms',
        'server CPU µs/call',
        'CPU vs raw ws',
        'calls/s vs ocpp-rpc',
      ],
      loadRows,
    )}\n\nIdle connections (memory after GC, minus before)\n\n${table(
      [
        'connections',
        'server',
        'connect all (ms)',
        'RSS/conn',
        'heap+external/conn',
        'RSS vs raw ws',
      ],
      idleRows,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `load benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
