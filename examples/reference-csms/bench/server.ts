// The measured process: the reference CSMS (SQLite, every reading persisted before the answer) or
// rpc-core's bare server answering the same CALLs, for `count` registered charge points.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, ocpp16 } from '@ocpp-kit/rpc-core';
import { startReferenceCsms } from '../src/csms/reference-csms.js';
import { defaultPolicy } from '../src/policy/policy.js';
import type { ServerKind, ServerSample } from './wire.js';

const [kind, countText] = process.argv.slice(2) as [ServerKind, string];
const count = Number(countText);
const send = (message: unknown) => process.send?.(message);
const transport = { maxPendingHandshakes: 5_000, pingIntervalMs: 0 };

async function start(): Promise<{
  port: number;
  /** `inDatabase`: count the rows with SQL (a full scan: only once the load has stopped). */
  sample: (inDatabase: boolean) => ServerSample;
  stop: () => Promise<void>;
}> {
  if (kind === 'rpc-core') {
    const server = createServer({
      protocol: ocpp16,
      securityProfile: 0,
      path: '/ocpp',
      ...transport,
    });
    let transactionId = 0;
    server.router
      .on('BootNotification', () => ({
        status: 'Accepted',
        currentTime: new Date().toISOString(),
        interval: 300,
      }))
      .on('StartTransaction', () => ({
        transactionId: ++transactionId,
        idTagInfo: { status: 'Accepted' },
      }))
      .on('MeterValues', () => ({}));
    const { port } = await server.listen();
    return {
      port,
      sample: () => sampleOf(0, 0),
      stop: () => server.close(),
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'csms-bench-'));
  const csms = await startReferenceCsms({
    dataDir,
    apiKey: 'bench',
    policy: {
      ...defaultPolicy,
      listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      http: { host: '127.0.0.1', port: 0 },
      files: { host: '127.0.0.1', port: 0 },
      readConfiguration: false,
      triggersOnAccept: [],
    },
  });
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      csms.storage.chargePoints.register({
        identity: `BENCH-${i + 1}`,
        securityProfile: 0,
        registration: 'Registered',
      }),
    ),
  );
  await csms.storage.idTags.put({
    idTag: 'BENCH',
    status: 'Accepted',
    inLocalList: false,
    concurrentTransactions: true,
  });
  return {
    port: csms.ocppAddresses[0]?.port ?? 0,
    sample: (inDatabase) => {
      const { rows, commits } = csms.storage.meterValues.stats;
      return sampleOf(inDatabase ? csms.storage.meterValues.count() : rows, commits);
    },
    stop: async () => {
      await csms.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function sampleOf(meterRows: number, commits: number): ServerSample {
  const cpu = process.cpuUsage();
  return {
    type: 'sample',
    cpuMicros: cpu.user + cpu.system,
    rssBytes: process.memoryUsage().rss,
    meterRows,
    commits,
  };
}

const server = await start();
process.on('message', (message: { op: string }) => {
  if (message.op === 'sample') send(server.sample(false));
  if (message.op === 'count') send(server.sample(true));
  if (message.op === 'stop') void server.stop().then(() => process.exit(0));
});
send({ type: 'ready', port: server.port });
