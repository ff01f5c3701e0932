// The measured process of the fleet benchmark: `count` charge points in one process, each
// sending MeterValues every `intervalMs`, either as the kit's reference charge point (a real
// transaction, the durable queue, the shared SQLite store) or as a bare client of rpc-core,
// ocpp-rpc (strict) or raw `ws` sending the same payload. Run by fleet.ts only (--expose-gc).

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeterValuesRequest } from '@ocpp-kit/messages';
import { createClient, ocpp16 } from '@ocpp-kit/rpc-core';
import WebSocket from 'ws';
import { parseCli } from '../src/cli.js';
import { Fleet } from '../src/fleet.js';
import type { FleetMode, LoadReport } from './wire.js';

const [mode, url, countText, intervalText, windowText] = process.argv.slice(2) as [
  FleetMode,
  string,
  string,
  string,
  string,
];
const count = Number(countText);
const intervalMs = Number(intervalText);
const windowMs = Number(windowText);
const report = (message: LoadReport) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const identity = (i: number) => `BENCH-${i + 1}`;
const boot = { chargePointVendor: 'ocpp-kit', chargePointModel: 'Bench' };

/** What the kit sends with MeterValuesSampledData=Energy.Active.Import.Register,Power.Active.Import. */
const meterValues = (transactionId: number): MeterValuesRequest => ({
  connectorId: 1,
  transactionId,
  meterValue: [
    {
      timestamp: new Date().toISOString(),
      sampledValue: [
        {
          value: '12345',
          context: 'Sample.Periodic',
          measurand: 'Energy.Active.Import.Register',
          unit: 'Wh',
        },
        { value: '7360', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
      ],
    },
  ],
});

/** Starts every charge point; resolves when all send MeterValues; returns how to stop them. */
async function startKit(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-kit-fleet-bench-'));
  const cli = parseCli([
    '--csms',
    url,
    '--count',
    String(count),
    '--connectors',
    '1',
    '--identity',
    'BENCH-',
    '--data-dir',
    dataDir,
  ]);
  const fleet = new Fleet({
    ...cli.fleet,
    meterValueSampleInterval: intervalMs / 1000,
    // One long session each, starts spread over one interval as in a real car park.
    sessions: {
      sessions: 1,
      chargeMs: [3_600_000, 3_600_000],
      idleMs: [0, intervalMs],
      pauseChance: 0,
      faultChance: 0,
    },
  });
  for (const { chargePoint } of fleet.members) {
    await chargePoint.configuration.set('MeterValuesSampledData', [
      'Energy.Active.Import.Register',
      'Power.Active.Import',
    ]);
  }
  await fleet.start();
  void fleet.runSessions();
  const deadline = Date.now() + intervalMs + 60_000;
  while (fleet.members.some(({ chargePoint }) => chargePoint.status(1) !== 'Charging')) {
    if (Date.now() > deadline) throw new Error(`not all charging: ${fleet.progress()}`);
    await sleep(200);
  }
  return async () => {
    await fleet.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/** A bare client per charge point: boot, then MeterValues every interval from a random offset. */
async function startBare(connect: (i: number) => Promise<{ send: () => void; close: () => void }>) {
  const clients = await Promise.all(Array.from({ length: count }, (_, i) => connect(i)));
  const timers = clients.map(({ send }) => {
    const offset = setTimeout(() => {
      send();
      timers.push(setInterval(send, intervalMs));
    }, Math.random() * intervalMs);
    return offset;
  });
  await sleep(intervalMs);
  return async () => {
    for (const timer of timers) clearInterval(timer);
    for (const client of clients) client.close();
  };
}

const failed = (error: unknown) => report({ type: 'failed', message: String(error) });
const connectors: Record<
  Exclude<FleetMode, 'kit'>,
  (i: number) => Promise<{ send: () => void; close: () => void }>
> = {
  'rpc-core': async (i) => {
    const client = createClient({
      protocol: ocpp16,
      url,
      identity: identity(i),
      securityProfile: 0,
    });
    await client.connect();
    await client.call('BootNotification', boot);
    return {
      send: () => void client.call('MeterValues', meterValues(i + 1)).catch(failed),
      close: () => void client.close(),
    };
  },
  'ocpp-rpc': async (i) => {
    const { RPCClient } = createRequire(import.meta.url)('ocpp-rpc') as typeof import('ocpp-rpc');
    // ocpp-rpc's typings mark every option required; the omitted ones have documented defaults.
    const options = {
      endpoint: url,
      identity: identity(i),
      protocols: ['ocpp1.6'],
      strictMode: true,
    };
    const client = new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]);
    await client.connect();
    await client.call('BootNotification', boot);
    return {
      send: () => void client.call('MeterValues', meterValues(i + 1)).catch(failed),
      close: () => void client.close({ force: true }),
    };
  },
  'raw-ws': async (i) => {
    const ws = new WebSocket(`${url}/${identity(i)}`, ['ocpp1.6'], { perMessageDeflate: false });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let id = 0;
    const call = (action: string, payload: unknown) =>
      ws.send(JSON.stringify([2, String(++id), action, payload]));
    ws.on('message', () => {});
    call('BootNotification', boot);
    return { send: () => call('MeterValues', meterValues(i + 1)), close: () => ws.terminate() };
  },
};

try {
  const stop = mode === 'kit' ? await startKit() : await startBare(connectors[mode]);
  report({ type: 'ready', connected: count });
  // One interval of steady state before the window opens.
  await sleep(intervalMs);
  report({ type: 'measuring' });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - start;
  globalThis.gc?.();
  globalThis.gc?.();
  const memory = process.memoryUsage();
  report({
    type: 'measured',
    cpuMicros: used.user + used.system,
    windowMs: elapsed,
    rss: memory.rss,
    heapAndExternal: memory.heapUsed + memory.external,
  });
  await stop();
  process.exit(0);
} catch (error) {
  failed(error);
  process.exit(1);
}
