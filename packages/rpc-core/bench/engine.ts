// Engine-only throughput: a MeterValues CALL round trip between two in-memory RpcSessions
// (serialise + parse + validate + dispatch + serialise the CALLRESULT + parse + validate).
// No sockets: this is the per-call cost rpc-core adds on top of a transport.
// Run: npx tsx --conditions=@ocpp-kit/source packages/rpc-core/bench/engine.ts
import { ocpp16 } from '@ocpp-kit/messages';
import { createRouter, linkInMemory, RpcSession, type ValidationSwitches } from '../src/index.js';
import { meterValuesRequest } from './meter-values.js';

// The load benchmark's MeterValues.req (1 meterValue, 3 samples); until it was shared this bench
// used its own 4-sample copy, so absolute ns/call are a little lower than with that one.
const payload = meterValuesRequest;

interface Result {
  readonly name: string;
  readonly calls: number;
  readonly wallNs: number;
  readonly cpuNs: number;
}

/** `pairs` connections, each one call in flight at a time (OCPP-J 4.1.1), `perPair` calls each. */
async function engine(
  name: string,
  pairs: number,
  perPair: number,
  checks: boolean,
): Promise<Result> {
  const validation: ValidationSwitches = {
    incomingRequest: checks,
    incomingResponse: checks,
    outgoingRequest: checks,
    outgoingResponse: checks,
  };
  const router = createRouter(ocpp16, 'CentralSystem').on('MeterValues', () => ({}));
  const sessions = Array.from({ length: pairs }, (_, i) => {
    const identity = `CP-${i}`;
    const cs = new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity,
      router,
      validation,
    });
    const cp = new RpcSession({ protocol: ocpp16, side: 'ChargePoint', identity, validation });
    linkInMemory(cp, cs);
    return cp;
  });
  const loop = async (cp: RpcSession<typeof ocpp16, 'ChargePoint'>, n: number) => {
    for (let i = 0; i < n; i++) await cp.call('MeterValues', payload);
  };
  await Promise.all(sessions.map((cp) => loop(cp, Math.min(2000, perPair)))); // warm-up
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(sessions.map((cp) => loop(cp, perPair)));
  const wallNs = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  return { name, calls: pairs * perPair, wallNs, cpuNs: (used.user + used.system) * 1000 };
}

/** The floor: the same four JSON.parse/JSON.stringify steps of a round trip, no engine at all. */
async function jsonFloor(calls: number): Promise<Result> {
  const result = '{}';
  let sink = 0;
  const step = (i: number) => {
    const call = JSON.stringify([2, `id${i}`, 'MeterValues', payload]);
    const parsed = JSON.parse(call) as [number, string, string, unknown];
    const reply = `[3,${JSON.stringify(parsed[1])},${result}]`;
    sink += (JSON.parse(reply) as unknown[]).length;
  };
  for (let i = 0; i < 20_000; i++) step(i);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    step(i);
    // One microtask hop per frame, as the in-memory link does.
    await null;
    await null;
  }
  const wallNs = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  if (sink === 0) throw new Error('unreachable');
  return {
    name: 'floor: JSON codec + 2 microtask hops',
    calls,
    wallNs,
    cpuNs: (used.user + used.system) * 1000,
  };
}

// The machine is shared: run every configuration several times, interleaved, and keep the
// fastest run of each (the one least disturbed by other processes) plus the median.
const configs: Array<() => Promise<Result>> = [
  () => jsonFloor(50_000),
  () => engine('engine, validation off, 1 connection', 1, 50_000, false),
  () => engine('engine, validation on, 1 connection', 1, 50_000, true),
  () => engine('engine, validation on, 100 connections', 100, 500, true),
];
const rounds = 5;
const runs: Result[][] = configs.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [i, run] of configs.entries()) runs[i]?.push(await run());
}
const perCall = (r: Result) => r.cpuNs / r.calls;
const summary = runs.map((list) => {
  const sorted = [...list].sort((x, y) => perCall(x) - perCall(y));
  return { best: sorted[0] as Result, median: sorted[Math.floor(sorted.length / 2)] as Result };
});
const floor = (summary[0] as (typeof summary)[number]).best;
const rows = summary.map(({ best, median }) => [
  best.name,
  Math.round((best.calls / best.wallNs) * 1e9).toLocaleString('en-US'),
  (best.wallNs / best.calls).toFixed(0),
  perCall(best).toFixed(0),
  perCall(median).toFixed(0),
  `${(perCall(best) / perCall(floor)).toFixed(2)}x`,
]);
const header = [
  'MeterValues round trip (both ends in-process)',
  'calls/s',
  'ns/call',
  'CPU ns/call',
  'median CPU',
  'CPU vs floor',
];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((row) => String(row[i]).length)),
);
const line = (cells: readonly string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
for (const row of rows) process.stdout.write(`${line(row)}\n`);
process.stdout.write(
  `\nbest of ${rounds} interleaved runs; node ${process.version}; one round trip = both engines' work (CP serialise/validate, CS parse/validate/dispatch/validate/serialise, CP parse/validate).\n`,
);
