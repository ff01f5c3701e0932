// The load generator: `count` charge points, each booted with a transaction, sending MeterValues
// every second (phases spread over the second); reports latency over a window. Each charge point
// is a bare OCPP-J speaker over `ws` (frames built from the generated request types) rather than
// an rpc-core client: on a 2-core box the load generator's CPU is taken from the server, so it
// spends as little per CALL as it can (rpc-core's client costs are in rpc-core's own bench).
import type { RequestOf, ResponseOf } from '@ocpp-kit/messages';
import WebSocket from 'ws';
import type { LoadReport } from './wire.js';

const [url, countText] = process.argv.slice(2) as [string, string];
const count = Number(countText);
const intervalMs = 1_000;
let measuring = false;
let latencies: number[] = [];
let failed = 0;
let total = 0;
const sockets: WebSocket[] = [];
const timers: NodeJS.Timeout[] = [];

type Answer = (frame: unknown[]) => void;

/** One charge point: CALLs out with their own ids, CALLRESULT/CALLERROR matched back. */
function connect(identity: string): Promise<{
  call<A extends 'BootNotification' | 'StartTransaction' | 'MeterValues'>(
    action: A,
    payload: RequestOf<A>,
  ): Promise<ResponseOf<A>>;
}> {
  const socket = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], {
    perMessageDeflate: false,
    handshakeTimeout: 60_000,
  });
  sockets.push(socket);
  const waiting = new Map<string, Answer>();
  let nextId = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as unknown[];
    const [type, id] = frame as [number, string];
    if (type === 2) {
      // The bench policy sends nothing; answer anything else as OCPP-J §4.2.3 allows.
      socket.send(JSON.stringify([4, id, 'NotImplemented', 'load generator', {}]));
      return;
    }
    const answer = waiting.get(id);
    waiting.delete(id);
    answer?.(frame);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        call: (action, payload) =>
          new Promise((done, fail) => {
            const id = String(++nextId);
            waiting.set(id, (frame) => {
              if (frame[0] === 3) done(frame[2] as never);
              else fail(new Error(`${action}: ${String(frame[2])} ${String(frame[3])}`));
            });
            socket.send(JSON.stringify([2, id, action, payload]));
          }),
      }),
    );
  });
}

async function startOne(i: number): Promise<void> {
  const client = await connect(`BENCH-${i + 1}`);
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
      for (const socket of sockets) socket.close();
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
