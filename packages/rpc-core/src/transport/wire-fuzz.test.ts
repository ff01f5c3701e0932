// Random peer bytes over real sockets on 127.0.0.1: neither side may crash, leak an unhandled
// rejection, or answer with anything but well-formed OCPP-J frames (OCPP-J 1.6 §4.1-4.2.3).
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { ocpp16 } from '@ocpp-kit/messages';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { callErrorCodes } from '../errors.js';
import { createClient } from './client.js';
import { createServer } from './server.js';

const now = '2026-01-01T00:00:00.000Z';
const cleanup: (() => unknown)[] = [];
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);
beforeEach(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  expect(escaped.splice(0)).toEqual([]);
});

const actions = [...ocpp16.actions.keys()];

/** Frames a hostile or broken peer might send: text, JSON, and frame-shaped arrays of any type. */
function frames(ids: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const payload = fc.oneof(
    fc.jsonValue(),
    fc.constant({}),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  );
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    fc.constantFrom(
      '',
      '[',
      '[2]',
      '[]',
      'null',
      `[2,"deep","Heartbeat",${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]`,
      `[2,"${'x'.repeat(10_000)}","Heartbeat",{}]`,
      `[2,"big","DataTransfer",{"vendorId":"v","data":"${'d'.repeat(100_000)}"}]`,
    ),
    fc
      .tuple(
        fc.constantFrom(2, 3, 4, 5, 0, -1, 2.5, '2', null),
        ids,
        fc.oneof(fc.constantFrom(...actions, 'Nope', '__proto__', ''), fc.jsonValue()),
        payload,
        payload,
        fc.jsonValue(),
      )
      .chain((t) => fc.integer({ min: 0, max: 6 }).map((n) => JSON.stringify(t.slice(0, n)))),
  );
}

const anyId = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.constant(null),
  fc.constant('__proto__'),
);

/** Every frame we send back must be a CALLRESULT or a Table 7 CALLERROR (OCPP-J 4.2.2/4.2.3). */
function expectWellFormed(text: string): void {
  const frame = JSON.parse(text) as unknown[];
  expect(Array.isArray(frame)).toBe(true);
  expect(typeof frame[1]).toBe('string');
  if (frame[0] === 3) {
    expect(frame).toHaveLength(3);
    expect(frame[2]).toBeTypeOf('object');
  } else {
    expect(frame[0] === 4 || frame[0] === 2).toBe(true);
    if (frame[0] === 4) {
      expect(frame).toHaveLength(5);
      expect(callErrorCodes).toContain(frame[2]);
      expect(typeof frame[3]).toBe('string');
      expect(frame[4]).toBeTypeOf('object');
    }
  }
}

/** A masked WebSocket frame (RFC 6455 §5.2) with an all-zero mask, so `payload` goes out as is. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('short frames only');
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

function rawSocketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

async function startServer() {
  const server = createServer({
    protocol: ocpp16,
    securityProfile: 0,
    // Keep the fuzzing connection open: this test is about surviving, not the bad-message limit.
    maxBadMessages: Number.MAX_SAFE_INTEGER,
  });
  server.router
    .on('Heartbeat', () => ({ currentTime: now }))
    .on('BootNotification', () => ({ status: 'Accepted', currentTime: now, interval: 300 }))
    .on('StatusNotification', () => ({}))
    .on('MeterValues', async () => ({}))
    .on('Authorize', () => {
      throw new Error('handler bug');
    })
    .on('DataTransfer', () => ({ status: 'Accepted', data: undefined as unknown as string }));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => server.close());
  return { server, port, url: `ws://127.0.0.1:${port}` };
}

/** After the abuse a new, well-behaved charge point still connects and is answered. */
async function expectStillServing(url: string): Promise<void> {
  const client = createClient({
    protocol: ocpp16,
    url,
    identity: 'CP-after',
    securityProfile: 0,
    reconnect: false,
  });
  cleanup.push(() => client.close());
  await client.connect();
  expect(await client.call('Heartbeat', {})).toEqual({ currentTime: now });
}

describe('random peer frames over a real WebSocket (OCPP-J 4.1.2, 4.1.3, 4.2.3)', () => {
  test('OCPP-J 4.2.3: a charge point sending 1500 random frames gets only well-formed answers; the server keeps serving', async () => {
    const { server, url } = await startServer();
    const ws = new WebSocket(`${url}/FUZZ1`, ['ocpp1.6'], { perMessageDeflate: false });
    await once(ws, 'open');
    const replies: string[] = [];
    const finished = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const text = data.toString();
        replies.push(text);
        if (text.startsWith('[3,"fuzz-final"')) resolve();
      }),
    );
    const sample = fc.sample(frames(anyId), { numRuns: 1500, seed: 16 });
    for (const text of sample) ws.send(text);
    ws.send('[2,"fuzz-final","Heartbeat",{}]');
    await finished;
    for (const reply of replies) expectWellFormed(reply);
    expect(replies.length).toBeGreaterThan(100);
    expect(server.connections.has('FUZZ1')).toBe(true);

    await expectStillServing(url);
  });

  test('RFC 6455 §5/§8.1: random bytes, bad opcodes and invalid UTF-8 after the upgrade only close that connection', async () => {
    const { server, url } = await startServer();
    // The fixed cases and the close code ws answers each with (RFC 6455 §7.4.1).
    const fixed = new Map<string, number>([
      [maskedFrame(0x1, Buffer.from([0xc3, 0x28, 0xff])).toString('hex'), 1007], // invalid UTF-8 text
      [maskedFrame(0x3, Buffer.from('reserved opcode')).toString('hex'), 1002],
      [Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]).toString('hex'), 1002], // unmasked
      [
        Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).toString('hex'),
        1009,
      ], // 2^64-1 bytes
    ]);
    const garbage = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        ...[...fixed.keys()].map((hex) => fc.constant(Uint8Array.from(Buffer.from(hex, 'hex')))),
      ),
      { numRuns: 40, seed: 3 },
    );
    let fixedSeen = 0;
    for (const [i, bytes] of garbage.entries()) {
      const hex = Buffer.from(bytes).toString('hex');
      const ws = new WebSocket(`${url}/RAW${i}`, ['ocpp1.6'], { perMessageDeflate: false });
      ws.on('error', () => {});
      await once(ws, 'open');
      const closed = once(ws, 'close');
      // Whatever the bytes did, the server either closes this connection itself or it is still
      // usable: a Heartbeat CALL sent right behind them on the same socket is answered. Only
      // then does the test end the connection.
      const outcome = await new Promise<{ closeCode: number } | 'answered' | 'neither'>(
        (resolve) => {
          const timer = setTimeout(() => resolve('neither'), 2_000);
          ws.once('close', (closeCode: number) => {
            clearTimeout(timer);
            resolve({ closeCode });
          });
          ws.on('message', (data) => {
            const frame = JSON.parse(String(data)) as unknown[];
            if (frame[0] === 3 && frame[1] === `hb-${i}`) {
              clearTimeout(timer);
              resolve('answered');
            }
          });
          rawSocketOf(ws).write(bytes);
          ws.send(`[2,"hb-${i}","Heartbeat",{}]`);
        },
      );
      expect(outcome, `case ${i}: ${hex}`).not.toBe('neither');
      if (typeof outcome === 'object') {
        // ws closes a protocol violation (reserved opcode, unmasked client frame, RSV bits, ...)
        // with 1002, invalid UTF-8 with 1007 and a length beyond 2^53-1 or maxPayload with 1009;
        // 1006 would mean the socket ended before its close frame arrived.
        expect([1002, 1006, 1007, 1008, 1009], `case ${i}: ${hex}`).toContain(outcome.closeCode);
      }
      const expected = fixed.get(hex);
      if (expected !== undefined) {
        fixedSeen += 1;
        expect(outcome, `case ${i}: ${hex}`).toEqual({ closeCode: expected });
      }
      ws.terminate();
      await closed;
    }
    expect(fixedSeen).toBeGreaterThan(0);
    await expectStillServing(url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([...server.connections.keys()]).toEqual(['CP-after']);
  });

  test("OCPP-J 4.2.2/4.2.3: a central system answering our CALLs with random frames fails those calls, never the client's process", async () => {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: false,
      handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
    });
    await once(wss, 'listening');
    cleanup.push(() => new Promise((resolve) => wss.close(resolve)));
    const replies: string[] = [];
    const fuzz = fc.sample(frames(fc.constant('$id')), { numRuns: 600, seed: 7 });
    let next = 0;
    wss.on('connection', (peer) => {
      peer.on('message', (data) => {
        const text = data.toString();
        const frame = JSON.parse(text) as unknown[];
        if (frame[0] !== 2) {
          replies.push(text);
          return;
        }
        // Answer each of the client's CALLs with a few random frames aimed at its id, then
        // a proper CALLRESULT (a late result when a random frame already settled the call).
        const id = JSON.stringify(frame[1]);
        for (let i = 0; i < 3 && next < fuzz.length; i++) {
          peer.send((fuzz[next++] as string).replaceAll('"$id"', id));
        }
        peer.send(`[3,${id},{"currentTime":"${now}"}]`);
      });
    });
    const client = createClient({
      protocol: ocpp16,
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      identity: 'CP-fuzz',
      securityProfile: 0,
      reconnect: false,
      session: { callTimeoutMs: 200 },
    });
    client.router
      .on('Reset', () => ({ status: 'Accepted' }))
      .on('GetConfiguration', async () => ({ configurationKey: [] }))
      .on('ClearCache', () => {
        throw new Error('handler bug');
      });
    cleanup.push(() => client.close());
    await client.connect();
    const outcomes = new Set<string>();
    while (next < fuzz.length) {
      const outcome = await client.call('Heartbeat', {}).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
      outcomes.add(outcome);
    }
    for (const reply of replies) expectWellFormed(reply);
    expect(client.status).toBe('open');
    expect(outcomes.has('ok')).toBe(true);
    for (const outcome of outcomes) {
      expect([
        'ok',
        'Timeout',
        'MalformedFrame',
        'InvalidIncomingPayload',
        ...callErrorCodes,
      ]).toContain(outcome);
    }
  });
});
