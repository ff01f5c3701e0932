import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ocpp16 } from '@ocpp-kit/messages';
import { createServer, type OcppServer } from '@ocpp-kit/rpc-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chargePointDatabaseFileName } from './charge-point.js';
import { KitStore } from './storage/kit-store.js';
import { queueLength } from './storage/queue-table.js';
import { loadTransactions } from './storage/transaction-tables.js';

// Bounded by count and time: 4 charge points x 50 kills, at most 150 s in all.
const workers = 4;
const killsPerWorker = 50;
const deadline = Date.now() + 150_000;

interface Received {
  readonly action: string;
  readonly messageId: string;
  readonly payload: Record<string, unknown>;
}

const child = fileURLToPath(new URL('./test-helpers/crash-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ocpp-kit-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The CSMS of the test: records every CALL per identity; a Start resent with its id gets its first answer. */
function crashCsms() {
  const log = new Map<string, Received[]>();
  const transactionIds = new Map<string, number>();
  let nextTransactionId = 1;
  let server: OcppServer<typeof ocpp16> | undefined;
  let port = 0;
  const record = (identity: string, action: string, messageId: string, payload: object) => {
    const list = log.get(identity) ?? [];
    list.push({ action, messageId, payload: payload as Record<string, unknown> });
    log.set(identity, list);
  };
  const up = async () => {
    const s = createServer({ protocol: ocpp16, securityProfile: 0 });
    const now = () => new Date().toISOString();
    s.router
      .on('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 3600 }))
      .on('Heartbeat', () => ({ currentTime: now() }))
      .on('StatusNotification', () => ({}))
      .on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }))
      .on('StartTransaction', (request, { identity, messageId }) => {
        record(identity, 'StartTransaction', messageId, request);
        const key = `${identity}/${messageId}`;
        let id = transactionIds.get(key);
        if (id === undefined) {
          id = nextTransactionId++;
          transactionIds.set(key, id);
        }
        return { transactionId: id, idTagInfo: { status: 'Accepted' } };
      })
      .on('MeterValues', (request, { identity, messageId }) => {
        record(identity, 'MeterValues', messageId, request);
        return {};
      })
      .on('StopTransaction', (request, { identity, messageId }) => {
        record(identity, 'StopTransaction', messageId, request);
        return {};
      });
    const address = await s.listen({ host: '127.0.0.1', port });
    port = address.port;
    server = s;
  };
  const down = async () => {
    const s = server;
    server = undefined;
    await s?.close();
  };
  return { log, up, down, url: () => `ws://127.0.0.1:${port}`, isUp: () => server !== undefined };
}

function run(identity: string, directory: string, url: string, drain: boolean) {
  const started: string[] = [];
  let ready = false;
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@ocpp-kit/source', '--import', 'tsx', child],
    {
      env: {
        ...process.env,
        CRASH_T0: String(t0),
        CRASH_IDENTITY: identity,
        CRASH_URL: url,
        CRASH_DIR: directory,
        ...(drain ? { CRASH_DRAIN: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const readyOrExit = new Promise<void>((resolve) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        lines.push(line);
        if (line === 'ready') {
          ready = true;
          resolve();
        }
        if (line.startsWith('started ')) started.push(line.slice(8));
      }
    });
    void exited.then(() => resolve());
  });
  return { proc, exited, readyOrExit, lines, started, isReady: () => ready };
}

const t0 = Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crash test (§3.7): SIGKILL at random moments, offline stretches included', () => {
  test(`${workers * killsPerWorker} kills: every transaction's Start, MeterValues and Stop arrive, in order, none lost, duplicates only as same-id resends`, async () => {
    const csms = crashCsms();
    await csms.up();
    const durable = new Map<string, string[]>();
    let kills = 0;
    // Offline stretches: the CSMS goes away for a while, now and then.
    let toggling = true;
    const toggler = (async () => {
      while (toggling) {
        await sleep(4_000 + Math.random() * 3_000);
        if (!toggling) break;
        await csms.down();
        await sleep(800 + Math.random() * 1_500);
        await csms.up();
      }
    })();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const identity = `CRASH-${w}`;
        const directory = join(root, identity);
        durable.set(identity, []);
        for (let round = 0; round < killsPerWorker; round++) {
          if (Date.now() > deadline) throw new Error(`Out of time after ${kills} kills`);
          const child = run(identity, directory, csms.url(), false);
          // A fifth of the kills land during startup and recovery, the rest while charging.
          if (round % 5 === 4) await Promise.race([sleep(Math.random() * 400), child.readyOrExit]);
          else {
            await child.readyOrExit;
            await sleep(30 + Math.random() * 900);
          }
          child.proc.kill('SIGKILL');
          await child.exited;
          kills += 1;
          if (kills % 50 === 0)
            console.info(`crash test: ${kills}/${workers * killsPerWorker} kills`);
          durable.get(identity)?.push(...child.started);
          expect(child.lines.filter((line) => line.startsWith('error'))).toEqual([]);
        }
      }),
    );
    toggling = false;
    await toggler;
    if (!csms.isUp()) await csms.up();

    // One last clean run per charge point delivers what is queued and stops what was running.
    for (let w = 0; w < workers; w++) {
      const identity = `CRASH-${w}`;
      const last = run(identity, join(root, identity), csms.url(), true);
      const timer = setTimeout(() => last.proc.kill('SIGKILL'), 30_000);
      expect(await last.exited).toBe(0);
      clearTimeout(timer);
      expect(last.lines).toContain('drained');
    }
    await csms.down();
    expect(kills).toBe(workers * killsPerWorker);

    for (let w = 0; w < workers; w++) {
      const identity = `CRASH-${w}`;
      const received = csms.log.get(identity) ?? [];
      const counts = verify(received, durable.get(identity) ?? []);
      console.info(`crash test ${identity}: ${JSON.stringify(counts)}`);
      // Nothing is left behind in the charge point's database.
      const store = KitStore.open({ file: join(root, identity, chargePointDatabaseFileName) });
      expect(queueLength(store, identity)).toBe(0);
      expect(loadTransactions(store, identity)).toEqual([]);
      store.close();
    }
  }, 200_000);
});

/** The invariants of §3.7 over what the CSMS received from one charge point. */
function verify(
  received: readonly Received[],
  startedIdTags: readonly string[],
): { transactions: number; meterValues: number; resends: number } {
  // Duplicates only as resends: one message id, one payload; and no message under two ids.
  const byId = new Map<string, Received>();
  for (const message of received) {
    const first = byId.get(message.messageId);
    if (first === undefined) byId.set(message.messageId, message);
    else expect(message.payload).toEqual(first.payload);
  }
  const unique = [...byId.values()];
  const starts = unique.filter((m) => m.action === 'StartTransaction');
  const stops = unique.filter((m) => m.action === 'StopTransaction');
  const startIdTags = starts.map((m) => String(m.payload.idTag));
  expect(new Set(startIdTags).size).toBe(starts.length);
  // Every transaction that became durable reached the CSMS.
  for (const idTag of startedIdTags) expect(startIdTags).toContain(idTag);
  // Every Start has exactly one Stop, and every Stop a Start: ids come from this CSMS's answers.
  const stopIds = stops.map((m) => Number(m.payload.transactionId));
  expect(new Set(stopIds).size).toBe(stops.length);
  expect(stops.length).toBe(starts.length);
  expect(stopIds.every((id) => id > 0)).toBe(true);
  // Order and monotonic meter: in first-arrival order the register never goes back.
  let previous = -1;
  for (const message of unique) {
    const value =
      message.action === 'StartTransaction'
        ? Number(message.payload.meterStart)
        : message.action === 'StopTransaction'
          ? Number(message.payload.meterStop)
          : Number(
              (message.payload.meterValue as { sampledValue: { value: string }[] }[])[0]
                ?.sampledValue[0]?.value,
            );
    expect(value).toBeGreaterThanOrEqual(previous);
    previous = value;
  }
  const meterValues = unique.filter((m) => m.action === 'MeterValues').length;
  expect(meterValues).toBeGreaterThan(0);
  return { transactions: starts.length, meterValues, resends: received.length - unique.length };
}
