// SIGKILL of the reference CSMS under load: after each restart, everything the CSMS acknowledged
// to a charge point (starts, stops, meter values) is in the database. Bounded: 4 kills.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ocpp16 } from '@ocpp-kit/messages';
import { createClient, type OcppClient } from '@ocpp-kit/rpc-core';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { readingsFileOf } from './storage/meter-value-table.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'reference-csms-crash-'));
const apiKey = 'crash-key';
const chargePoints = 20;
const rounds = 4;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startCsms(): Promise<{ child: ChildProcess; ocpp: number; http: number }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@ocpp-kit/source',
      '--import',
      'tsx',
      main,
      '--data-dir',
      dataDir,
      '--api-key',
      apiKey,
      '--policy',
      join(dataDir, 'policy.json'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );

  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text);
    });
    child.once('exit', (code) =>
      reject(new Error(`the CSMS exited with ${code} before listening`)),
    );
  });
  const ocpp = Number(/ws:\/\/[^:]+:(\d+)/.exec(line)?.[1]);
  const http = Number(/http:\/\/[^:]+:(\d+)/.exec(line)?.[1]);
  return { child, ocpp, http };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Acked {
  starts: { identity: string; transactionId: number }[];
  stops: number[];
  readings: { identity: string; timestamp: number }[];
}

test('SIGKILL under load: nothing acknowledged to a charge point is missing after the restart', async () => {
  writeFileSync(
    join(dataDir, 'policy.json'),
    JSON.stringify({
      listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 0 }],
      http: { host: '127.0.0.1', port: 0 },
      files: { host: '127.0.0.1', port: 0 },
      readConfiguration: false,
      triggersOnAccept: [],
    }),
  );
  const acked: Acked = { starts: [], stops: [], readings: [] };
  const identities = Array.from({ length: chargePoints }, (_, i) => `CRASH-${i}`);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  /** Each message a distinct second, so every reading is its own row. */
  const tick = () => {
    clock += 1000;
    return clock;
  };
  for (let round = 0; round < rounds; round += 1) {
    const csms = await startCsms();
    if (round === 0) {
      for (const identity of identities) {
        const response = await fetch(`http://127.0.0.1:${csms.http}/api/charge-points`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ identity, securityProfile: 0 }),
        });
        expect(response.status).toBe(201);
      }
    }
    const clients: OcppClient<typeof ocpp16>[] = [];
    let running = true;
    const loops = identities.map(async (identity) => {
      const client = createClient({
        protocol: ocpp16,
        url: `ws://127.0.0.1:${csms.ocpp}/ocpp`,
        identity,
        securityProfile: 0,
        reconnect: false,
      });
      clients.push(client);
      try {
        await client.connect();
        await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
        let transactionId: number | undefined;
        while (running) {
          if (transactionId === undefined) {
            const started = await client.call('StartTransaction', {
              connectorId: 1,
              idTag: 'T',
              meterStart: 0,
              timestamp: new Date(tick()).toISOString(),
            });
            transactionId = started.transactionId;
            acked.starts.push({ identity, transactionId });
            continue;
          }
          const timestamp = tick();
          await client.call('MeterValues', {
            connectorId: 1,
            transactionId,
            meterValue: [
              { timestamp: new Date(timestamp).toISOString(), sampledValue: [{ value: '1' }] },
            ],
          });
          acked.readings.push({ identity, timestamp });
          if (timestamp % 7000 === 0) {
            await client.call('StopTransaction', {
              transactionId,
              meterStop: 5,
              timestamp: new Date(tick()).toISOString(),
            });
            acked.stops.push(transactionId);
            transactionId = undefined;
          }
        }
      } catch {
        // The kill: calls in flight fail; only acknowledged ones count.
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 400 + round * 150));
    csms.child.kill('SIGKILL');
    running = false;
    // An idle client keeps calls queued for its next connect(): closing it rejects them.
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await Promise.all(loops);
    await exited(csms.child);
  }
  // A last start proves the crashed database opens and migrates; then read it directly.
  const last = await startCsms();
  last.child.kill('SIGTERM');
  await exited(last.child);
  const db = new Database(join(dataDir, 'csms.sqlite'), { readonly: true });
  const startRows = new Set(
    (
      db.prepare('SELECT identity, transaction_id FROM transactions').all() as {
        identity: string;
        transaction_id: number;
      }[]
    ).map((r) => `${r.identity}/${r.transaction_id}`),
  );
  const stopped = new Set(
    (
      db.prepare('SELECT transaction_id FROM transactions WHERE stopped_at IS NOT NULL').all() as {
        transaction_id: number;
      }[]
    ).map((r) => r.transaction_id),
  );
  db.close();
  const readingsDb = new Database(readingsFileOf(join(dataDir, 'csms.sqlite')), { readonly: true });
  const readings = new Set(
    (
      readingsDb.prepare('SELECT identity, timestamp FROM meter_values').all() as {
        identity: string;
        timestamp: number;
      }[]
    ).map((r) => `${r.identity}/${r.timestamp}`),
  );
  readingsDb.close();
  expect(acked.readings.length).toBeGreaterThan(100);
  expect(acked.starts.filter((s) => !startRows.has(`${s.identity}/${s.transactionId}`))).toEqual(
    [],
  );
  expect(acked.stops.filter((id) => !stopped.has(id))).toEqual([]);
  expect(acked.readings.filter((r) => !readings.has(`${r.identity}/${r.timestamp}`))).toEqual([]);
}, 120_000);
