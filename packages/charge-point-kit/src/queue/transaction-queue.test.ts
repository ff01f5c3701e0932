import { join } from 'node:path';
import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import type { KitStore } from '../storage/kit-store.js';
import type { TransactionAction } from '../storage/queue-table.js';
import { ManualTimers } from '../test-helpers/manual-timers.js';
import { openTestStore, tempDirectory } from '../test-helpers/temp-store.js';
import { type QueueOutcome, TransactionQueue } from './transaction-queue.js';

interface Sent {
  action: TransactionAction;
  payload: Record<string, unknown>;
  messageId: string;
}

const start = {
  connectorId: 1,
  idTag: 'TAG',
  meterStart: 100,
  timestamp: '2026-01-01T00:00:00.000Z',
};
const meter = (connectorId: number, wh: number) => ({
  connectorId,
  meterValue: [{ timestamp: '2026-01-01T00:01:00.000Z', sampledValue: [{ value: String(wh) }] }],
});
const stop = { meterStop: 900, timestamp: '2026-01-01T00:10:00.000Z', reason: 'Local' };

/** A queue over `store` whose sender answers with `answer` (a value, or a thrown error). */
function queueOn(
  store: KitStore,
  answer: (sent: Sent) => unknown = (sent) =>
    sent.action === 'StartTransaction'
      ? { transactionId: 77, idTagInfo: { status: 'Accepted' } }
      : {},
) {
  const timers = new ManualTimers();
  const sent: Sent[] = [];
  const outcomes: QueueOutcome[] = [];
  const ids = new Map<number, number>();
  const errors: unknown[] = [];
  const queue = new TransactionQueue({
    store,
    station: 'CP1',
    timers,
    attempts: () => 3,
    retryIntervalSeconds: () => 60,
    send: async (action, payload, messageId) => {
      sent.push({ action, payload, messageId });
      const result = answer({ action, payload, messageId });
      if (result instanceof Error) throw result;
      return result;
    },
    hooks: {
      delivered: (message, response) => {
        if (message.action === 'StartTransaction' && message.localTransaction !== undefined) {
          const { transactionId } = response as { transactionId: number };
          store
            .statement('INSERT INTO state (station, name, value) VALUES (?, ?, ?)')
            .run('CP1', `tx.${message.localTransaction}`, String(transactionId));
        }
      },
      discarded: (message) => {
        if (message.action === 'StartTransaction' && message.localTransaction !== undefined) {
          store
            .statement('INSERT INTO state (station, name, value) VALUES (?, ?, ?)')
            .run('CP1', `tx.${message.localTransaction}`, '-1');
        }
      },
      settled: (outcome) => outcomes.push(outcome),
      transactionIdOf: (local) => {
        const row = store
          .statement('SELECT value FROM state WHERE station = ? AND name = ?')
          .get('CP1', `tx.${local}`);
        return row === undefined ? ids.get(local) : Number(row.value);
      },
    },
    onError: (error) => errors.push(error),
  });
  return { queue, sent, outcomes, timers, errors };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function fresh() {
  const file = join(tempDirectory(), 'kit.sqlite');
  return { file, store: openTestStore(file) };
}

describe('TransactionQueue (§3.7, §3.7.1)', () => {
  test('§3.7: messages queued offline are stored, then delivered in order after resume', async () => {
    const { store } = fresh();
    const { queue, sent, outcomes } = queueOn(store);
    await queue.enqueue('StartTransaction', start, 1);
    await queue.enqueue('MeterValues', meter(1, 500), 1);
    await queue.enqueue('StopTransaction', stop, 1);
    expect(sent).toEqual([]);
    expect(queue.length).toBe(3);
    queue.resume();
    await settle();
    expect(sent.map((s) => s.action)).toEqual([
      'StartTransaction',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(queue.length).toBe(0);
  });

  test('§3.7 regression libocpp #495: an offline transaction is sent with the CSMS transactionId, never -1 or a placeholder', async () => {
    const { store } = fresh();
    const { queue, sent } = queueOn(store);
    await queue.enqueue('StartTransaction', start, 4);
    await queue.enqueue('MeterValues', meter(1, 500), 4);
    await queue.enqueue('StopTransaction', stop, 4);
    queue.resume();
    await settle();
    expect(sent[0]?.payload).not.toHaveProperty('transactionId');
    expect(sent[1]?.payload.transactionId).toBe(77);
    expect(sent[2]?.payload.transactionId).toBe(77);
  });

  test('§3.7: a new message waits behind the one in flight; one CALL at a time', async () => {
    const { store } = fresh();
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = queueOn(store, () => gate.then(() => ({})));
    slow.queue.resume();
    await slow.queue.enqueue('MeterValues', meter(1, 1));
    await slow.queue.enqueue('MeterValues', meter(1, 2));
    await settle();
    expect(slow.sent).toHaveLength(1);
    release?.();
    await settle();
    expect(slow.sent.map((s) => s.payload.meterValue)).toEqual([
      meter(1, 1).meterValue,
      meter(1, 2).meterValue,
    ]);
  });

  test('a queue reopened after a restart resends the undelivered messages with their first message ids', async () => {
    const { file, store } = fresh();
    const first = queueOn(store, () => new RpcError('ConnectionLost', 'gone'));
    await first.queue.enqueue('StartTransaction', start, 1);
    await first.queue.enqueue('StopTransaction', stop, 1);
    first.queue.resume();
    await settle();
    const firstId = first.sent[0]?.messageId;
    first.queue.stop();
    store.close();
    const second = queueOn(openTestStore(file));
    second.queue.resume();
    await settle();
    expect(second.sent.map((s) => s.messageId)[0]).toBe(firstId);
    expect(second.sent.map((s) => s.action)).toEqual(['StartTransaction', 'StopTransaction']);
  });

  test('§3.7.1: a CALLERROR is retried after RetryInterval x transmissions, then discarded after TransactionMessageAttempts; the next goes on', async () => {
    const { store } = fresh();
    const { queue, sent, timers, outcomes } = queueOn(store, (s) =>
      s.action === 'MeterValues' ? new RpcError('InternalError', 'db down') : {},
    );
    await queue.enqueue('MeterValues', meter(1, 1));
    await queue.enqueue('StopTransaction', { ...stop, transactionId: 5 });
    queue.resume();
    await settle();
    expect(sent).toHaveLength(1);
    expect(timers.pending).toEqual([60_000]);
    timers.advance(60_000);
    await settle();
    expect(sent).toHaveLength(2);
    expect(timers.pending).toEqual([120_000]);
    timers.advance(120_000);
    await settle();
    expect(sent.map((s) => s.action)).toEqual([
      'MeterValues',
      'MeterValues',
      'MeterValues',
      'StopTransaction',
    ]);
    // Every transmission of one message carries its one id.
    expect(new Set(sent.slice(0, 3).map((s) => s.messageId)).size).toBe(1);
    expect(outcomes.map((o) => o.kind)).toEqual(['discarded', 'delivered']);
  });

  test("errata 3.18: after its StartTransaction is discarded, the transaction's later messages carry transactionId -1", async () => {
    const { store } = fresh();
    const { queue, sent, timers } = queueOn(store, (s) =>
      s.action === 'StartTransaction' ? new RpcError('InternalError', 'no') : {},
    );
    await queue.enqueue('StartTransaction', start, 9);
    await queue.enqueue('StopTransaction', stop, 9);
    queue.resume();
    await settle();
    timers.advance(60_000);
    await settle();
    timers.advance(120_000);
    await settle();
    expect(sent.at(-1)).toMatchObject({
      action: 'StopTransaction',
      payload: { transactionId: -1 },
    });
  });

  test('a lost connection is no failure to process: not counted, resent with the same id on resume', async () => {
    const { store } = fresh();
    let lose = true;
    const { queue, sent, timers } = queueOn(store, () =>
      lose ? new RpcError('ConnectionLost', 'gone') : {},
    );
    await queue.enqueue('MeterValues', meter(1, 1));
    queue.resume();
    await settle();
    queue.pause();
    lose = false;
    expect(timers.pending).toEqual([]);
    queue.resume();
    await settle();
    expect(sent).toHaveLength(2);
    expect(sent[0]?.messageId).toBe(sent[1]?.messageId);
    expect(queue.length).toBe(0);
  });

  test('a payload the schema refuses is rejected with INVALID_MESSAGE and never stored', async () => {
    const { store } = fresh();
    const { queue } = queueOn(store);
    await expect(
      queue.enqueue('StartTransaction', { ...start, idTag: 'x'.repeat(21) }, 1),
    ).rejects.toMatchObject({
      code: 'INVALID_MESSAGE',
    });
    expect(queue.length).toBe(0);
  });

  test('a corrupt stored message stops the queue with STORAGE_CORRUPT instead of skipping it', async () => {
    const { store } = fresh();
    const { queue, sent, errors } = queueOn(store);
    await queue.enqueue('MeterValues', meter(1, 1));
    store.statement("UPDATE queue SET payload = '{broken'").run();
    queue.resume();
    await settle();
    expect(sent).toEqual([]);
    expect(errors).toMatchObject([{ code: 'STORAGE_CORRUPT' }]);
    expect(queue.length).toBe(1);
  });
});

test('regression: message ids stay unique after the queue empties (seq restarts, ids must not)', async () => {
  const { store } = fresh();
  const { queue, sent } = queueOn(store);
  queue.resume();
  for (let i = 0; i < 3; i++) {
    await queue.enqueue('MeterValues', meter(1, i));
    await settle();
    expect(queue.length).toBe(0);
  }
  expect(new Set(sent.map((s) => s.messageId)).size).toBe(3);
});
