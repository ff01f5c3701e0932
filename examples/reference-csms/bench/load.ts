// The load generator: `count` rpc-core charge points, each booted with a transaction, sending
// MeterValues every second (phases spread over the second); reports latency over a window.
import { createClient, type OcppClient, ocpp16 } from '@ocpp-kit/rpc-core';
import type { LoadReport } from './wire.js';

const [url, countText] = process.argv.slice(2) as [string, string];
const count = Number(countText);
const intervalMs = 1_000;
let measuring = false;
let latencies: number[] = [];
let failed = 0;
let total = 0;
const clients: OcppClient<typeof ocpp16>[] = [];
const timers: NodeJS.Timeout[] = [];

async function startOne(i: number): Promise<void> {
  const client = createClient({
    protocol: ocpp16,
    url,
    identity: `BENCH-${i + 1}`,
    securityProfile: 0,
    reconnect: false,
    pingIntervalMs: 0,
    // Connecting thousands while the first ones already send readings: give each handshake time.
    handshakeTimeoutMs: 60_000,
  });
  clients.push(client);
  await client.connect();
  await client.call('BootNotification', {
    chargePointVendor: 'ocpp-kit',
    chargePointModel: 'Bench',
  });
  const { transactionId } = await client.call('StartTransaction', {
    connectorId: 1,
    idTag: 'BENCH',
    meterStart: 0,
    timestamp: new Date().toISOString(),
  });
  let energy = 0;
  const tick = () => {
    energy += 2;
    const sentAt = process.hrtime.bigint();
    client
      .call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: new Date().toISOString(),
            sampledValue: [
              {
                value: String(energy),
                context: 'Sample.Periodic',
                measurand: 'Energy.Active.Import.Register',
                unit: 'Wh',
              },
              {
                value: '7360',
                context: 'Sample.Periodic',
                measurand: 'Power.Active.Import',
                unit: 'W',
              },
            ],
          },
        ],
      })
      .then(
        () => {
          total += 1;
          if (measuring) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
        },
        () => {
          if (measuring) failed += 1;
        },
      );
  };
  // The first reading at a random phase, so the load is spread over the second.
  const first = setTimeout(() => {
    tick();
    timers.push(setInterval(tick, intervalMs));
  }, Math.random() * intervalMs);
  timers.push(first);
}

async function connectAll(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await startOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(100, count) }, worker));
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number);

process.on('message', (message: { op: string }) => {
  if (message.op === 'measure') {
    latencies = [];
    failed = 0;
    measuring = true;
  } else if (message.op === 'report') {
    measuring = false;
    const sorted = latencies.sort((a, b) => a - b);
    const report: LoadReport = {
      type: 'report',
      answered: sorted.length,
      failed,
      p50Micros: percentile(sorted, 50),
      p99Micros: percentile(sorted, 99),
      totalAnswered: total,
    };
    process.send?.(report);
  } else if (message.op === 'stop') {
    for (const timer of timers) clearTimeout(timer);
    // Let the readings in flight land before counting them.
    setTimeout(() => {
      process.send?.({ type: 'stopped', totalAnswered: total });
      for (const client of clients) void client.close();
      setTimeout(() => process.exit(0), 500).unref();
    }, 1_000);
  }
});
connectAll().then(
  () => process.send?.({ type: 'connected' }),
  (error: unknown) => {
    process.send?.({ type: 'failed', message: (error as Error).message });
    process.exit(1);
  },
);
