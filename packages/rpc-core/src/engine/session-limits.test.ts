// Per-connection bounds of the engine: what a slow or hostile peer can make one session hold.
import { ocpp16 } from '@ocpp-kit/messages';
import { describe, expect, test, vi } from 'vitest';
import type { RpcSessionEvents } from './events.js';
import type { RpcSessionOptions } from './options.js';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';

const now = '2026-01-01T00:00:00.000Z';

/** A central system session whose DataTransfer handler waits on `gate`; the test writes raw frames. */
function centralSystem(options: Partial<RpcSessionOptions<typeof ocpp16, 'CentralSystem'>>) {
  const sent: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const signals: AbortSignal[] = [];
  const router = createRouter(ocpp16, 'CentralSystem')
    .on('DataTransfer', async (_request, { signal }) => {
      signals.push(signal);
      await gate;
      return { status: 'Accepted' };
    })
    .on('Heartbeat', () => ({ currentTime: now }));
  const session = new RpcSession({
    protocol: ocpp16,
    side: 'CentralSystem',
    identity: 'CP1',
    router,
    ...options,
  });
  session.attach({ send: (text) => sent.push(text), close: () => {} });
  return { session, sent, release, signals };
}

const status = (id: string, data = '') =>
  `[2,"${id}","DataTransfer",${JSON.stringify({ vendorId: 'V', ...(data === '' ? {} : { data }) })}]`;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('regression: 1000 queued 1 MiB CALLs behind one slow handler held about 1 GiB (OCPP-J 4.1.1)', () => {
  test('maxIncomingQueueBytes bounds the bytes waiting for a handler; the overflow gets GenericError', async () => {
    const { session, sent, release } = centralSystem({ maxIncomingQueueBytes: 2_000 });
    const bad: RpcSessionEvents['badMessage'][] = [];
    session.on('badMessage', (event) => bad.push(event));
    session.receive(status('running'));
    // Each queued frame is 600 characters: three fit in 2000, the fourth does not.
    for (let i = 0; i < 5; i++) {
      const frame = status(`q${i}`, 'x'.repeat(550));
      expect(frame).toHaveLength(600);
      session.receive(frame);
    }
    expect(sent.map((frame) => JSON.parse(frame).slice(0, 3))).toEqual([
      [4, 'q3', 'GenericError'],
      [4, 'q4', 'GenericError'],
    ]);
    expect(bad.map((event) => event.reason)).toEqual(['incomingQueueFull', 'incomingQueueFull']);
    expect(JSON.parse(sent[0] as string)[3]).toMatch(/exceed 2000 bytes/);
    release();
    await settle();
    expect(sent.slice(2).map((frame) => JSON.parse(frame).slice(0, 2))).toEqual([
      [3, 'running'],
      [3, 'q0'],
      [3, 'q1'],
      [3, 'q2'],
    ]);
  });

  test('a single CALL larger than the byte bound may still wait (the bound never refuses every large frame)', async () => {
    const { session, sent, release } = centralSystem({ maxIncomingQueueBytes: 10 });
    session.receive(status('running'));
    session.receive(status('big', 'y'.repeat(400)));
    session.receive(status('second'));
    expect(sent.map((frame) => JSON.parse(frame).slice(0, 3))).toEqual([
      [4, 'second', 'GenericError'],
    ]);
    release();
    await settle();
    expect(sent.slice(1).map((frame) => JSON.parse(frame)[1])).toEqual(['running', 'big']);
  });

  test('the byte count is released as CALLs start, and reset by a new connection', async () => {
    const { session, sent, release } = centralSystem({ maxIncomingQueueBytes: 300 });
    session.receive(status('a'));
    session.receive(status('b'));
    session.detach();
    session.attach({ send: (text) => sent.push(text), close: () => {} });
    session.receive(status('c'));
    session.receive(status('d'));
    session.receive(status('e'));
    // 'c' runs, 'd' waits (49 bytes), 'e' fits in 300 too.
    expect(sent).toEqual([]);
    release();
    await settle();
    expect(sent.map((frame) => JSON.parse(frame)[1])).toEqual(['c', 'd', 'e']);
  });

  test('invalid byte bounds are refused with InvalidOptions', () => {
    expect(() => centralSystem({ maxIncomingQueueBytes: -1 })).toThrow(
      /maxIncomingQueueBytes must be an integer/,
    );
  });
});

describe('regression: a handler that never settled wedged the connection, Heartbeat included (OCPP-J 4.1.1)', () => {
  test('after handlerTimeoutMs the CALL gets InternalError, its signal aborts and the next CALL runs', async () => {
    vi.useFakeTimers();
    try {
      const { session, sent, release, signals } = centralSystem({ handlerTimeoutMs: 5_000 });
      const timeouts: RpcSessionEvents['handlerTimeout'][] = [];
      const dropped: RpcSessionEvents['responseDropped'][] = [];
      session.on('handlerTimeout', (event) => timeouts.push(event));
      session.on('responseDropped', (event) => dropped.push(event));
      session.receive(status('stuck'));
      session.receive('[2,"hb","Heartbeat",{}]');
      await vi.advanceTimersByTimeAsync(4_999);
      expect(sent).toEqual([]);
      expect(signals[0]?.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent.map((frame) => JSON.parse(frame).slice(0, 3))).toEqual([
        [4, 'stuck', 'InternalError'],
        [3, 'hb', { currentTime: now }],
      ]);
      expect(timeouts).toEqual([{ action: 'DataTransfer', messageId: 'stuck', timeoutMs: 5_000 }]);
      expect(signals[0]?.aborted).toBe(true);
      expect(String(signals[0]?.reason)).toMatch(/did not settle within 5000 ms/);
      // The late result is dropped, not sent as a second answer.
      release();
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toHaveLength(2);
      expect(dropped).toEqual([{ action: 'DataTransfer', messageId: 'stuck' }]);
      // The id is free again: a new CALL with it is handled, not refused as a duplicate.
      session.receive(status('stuck'));
      await vi.advanceTimersByTimeAsync(0);
      expect(JSON.parse(sent[2] as string).slice(0, 2)).toEqual([3, 'stuck']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a handler settling in time is answered normally; handlerTimeoutMs 0 sets no deadline', async () => {
    vi.useFakeTimers();
    try {
      const { session, sent, release } = centralSystem({ handlerTimeoutMs: 0 });
      session.receive(status('slow'));
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(sent).toEqual([]);
      release();
      await vi.advanceTimersByTimeAsync(0);
      expect(sent.map((frame) => JSON.parse(frame).slice(0, 2))).toEqual([[3, 'slow']]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('the connection signal still aborts a running handler when the transport detaches', async () => {
    const { session, signals } = centralSystem({});
    session.receive(status('a'));
    await settle();
    expect(signals[0]?.aborted).toBe(false);
    session.detach(new Error('gone'));
    expect(signals[0]?.aborted).toBe(true);
  });
});
