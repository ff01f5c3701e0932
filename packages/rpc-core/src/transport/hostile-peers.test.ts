// Peers that do not play along, over real sockets on 127.0.0.1: what they can make us hold, and
// how long. Each loop is bounded in count; each wait ends by itself.
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { ocpp16 } from '@ocpp-kit/messages';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createClient } from './client.js';
import { createServer, type HandshakeRejectedEvent, type ServerOptions } from './server.js';

const now = '2026-01-01T00:00:00.000Z';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A 100 KB DataTransfer answer: replies that fill socket buffers quickly. */
const bigData = 'd'.repeat(100_000);
const dataTransferCall = (i: number) =>
  JSON.stringify([2, `c${i}`, 'DataTransfer', { vendorId: 'V' }]);

async function startServer(options: Partial<ServerOptions<typeof ocpp16>> = {}) {
  const server = createServer({
    protocol: ocpp16,
    securityProfile: 0,
    pingIntervalMs: 0,
    ...options,
  });
  let handled = 0;
  server.router
    .on('DataTransfer', () => {
      handled += 1;
      return { status: 'Accepted', data: bigData };
    })
    .on('Heartbeat', () => ({ currentTime: now }));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => server.close());
  return { server, port, url: `ws://127.0.0.1:${port}`, handled: () => handled };
}

/** A raw TCP socket to the server; destroyed after the test. */
async function tcp(port: number): Promise<Socket> {
  const socket = connectTcp(port, '127.0.0.1');
  socket.on('error', () => {});
  cleanup.push(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

describe('regression: a peer that sent CALLs but never read grew the server to 1.4 GB (output backpressure)', () => {
  test('the server stops reading a charge point whose unread output passes maxBufferedBytes, then closes it with 1008', async () => {
    const { server, url, handled } = await startServer({
      maxBufferedBytes: 256 * 1024,
      drainTimeoutMs: 500,
    });
    const stalled: number[] = [];
    server.on('stalled', ({ connection, bufferedBytes }) => {
      expect(connection.stalled).toBe(true);
      stalled.push(bufferedBytes);
    });
    const disconnected = once(server, 'disconnect');
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    peer.on('error', () => {});
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    peer.pause(); // never read again
    // 400 replies of 100 KB would be 40 MB held for this one peer.
    for (let i = 0; i < 400; i++) peer.send(dataTransferCall(i));
    const [{ connection, ...event }] = await disconnected;
    expect(connection.identity).toBe('CP1');
    expect(event).toEqual({
      code: 1008,
      reason: 'Peer did not read its messages within 500 ms',
      closedBy: 'local',
    });
    expect(stalled).toHaveLength(1);
    expect(stalled[0]).toBeGreaterThan(256 * 1024);
    // Reading stopped: most CALLs were never even handled (the kernel buffers hold a few MB).
    expect(handled()).toBeLessThan(200);
  });

  test('a charge point that reads again is resumed: every CALL is answered, nothing is dropped', async () => {
    const { server, url } = await startServer({ maxBufferedBytes: 64 * 1024, drainTimeoutMs: 0 });
    let stalls = 0;
    server.on('stalled', () => stalls++);
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    const answers = new Set<string>();
    peer.on('message', (data) => answers.add(JSON.parse(String(data))[1]));
    peer.pause();
    for (let i = 0; i < 100; i++) peer.send(dataTransferCall(i));
    await new Promise((resolve) => setTimeout(resolve, 200));
    peer.resume();
    while (answers.size < 100) await once(peer, 'message');
    expect(stalls).toBeGreaterThanOrEqual(1);
    expect(server.connections.get('CP1')?.stalled).toBe(false);
  });

  test('the client stops reading a Central System that does not read its answers, then closes with 1008', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => {
      for (const socket of wss.clients) socket.terminate();
      return new Promise((resolve) => wss.close(resolve));
    });
    await once(wss, 'listening');
    const { port } = wss.address() as { port: number };
    wss.on('connection', (socket) => {
      socket.on('error', () => {});
      socket.pause();
      for (let i = 0; i < 400; i++) socket.send(dataTransferCall(i));
    });
    const client = createClient({
      protocol: ocpp16,
      url: `ws://127.0.0.1:${port}`,
      identity: 'CP1',
      securityProfile: 0,
      reconnect: false,
      pingIntervalMs: 0,
      maxBufferedBytes: 256 * 1024,
      drainTimeoutMs: 500,
    });
    cleanup.push(() => client.close());
    let handled = 0;
    client.router.on('DataTransfer', () => {
      handled += 1;
      return { status: 'Accepted', data: bigData };
    });
    const stalled = once(client, 'stalled');
    const closed = once(client, 'close');
    await client.connect();
    expect((await stalled)[0].bufferedBytes).toBeGreaterThan(256 * 1024);
    expect((await closed)[0]).toEqual({
      code: 1008,
      reason: 'Peer did not read its messages within 500 ms',
      closedBy: 'local',
      reconnecting: false,
    });
    expect(handled).toBeLessThan(200);
  });
});

describe('regression: ping detection counted the peer’s own frames as proof that it reads (errata 3.11)', () => {
  test('a charge point that keeps sending but never answers pings is dropped', async () => {
    const { server, url } = await startServer({ pingIntervalMs: 200 });
    const disconnected = once(server, 'disconnect');
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6'], { autoPong: false });
    peer.on('error', () => {});
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    let sent = 0;
    const chatter = setInterval(() => {
      if (sent++ < 40 && peer.readyState === WebSocket.OPEN) {
        peer.send(`[2,"h${sent}","Heartbeat",{}]`);
      }
    }, 25);
    cleanup.push(() => clearInterval(chatter));
    const [{ connection, ...event }] = await disconnected;
    expect(connection.identity).toBe('CP1');
    expect(event).toEqual({
      code: 1006,
      reason: 'No pong within the ping interval',
      closedBy: 'local',
    });
    expect(sent).toBeLessThan(40);
  });
});

describe('regression: a slowloris peer held its socket ~30 s with a 3 s handshake timeout', () => {
  test('handshakeTimeoutMs counts from TCP accept: a request trickling its headers is dropped', async () => {
    const { server, port } = await startServer({ handshakeTimeoutMs: 300 });
    const rejected: HandshakeRejectedEvent[] = [];
    server.on('handshakeRejected', (event) => rejected.push(event));
    const socket = await tcp(port);
    socket.write('GET /CP1 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed && n < 100) socket.write(`X-${n++}: y\r\n`);
    }, 50);
    cleanup.push(() => clearInterval(trickle));
    await once(socket, 'close');
    expect(n).toBeLessThan(100);
    expect(rejected).toEqual([
      {
        stage: 'connection',
        reason: 'No completed upgrade within 300 ms (handshakeTimeoutMs)',
        remoteAddress: '127.0.0.1',
      },
    ]);
  });

  test('a socket that sends nothing at all is dropped at the deadline too', async () => {
    const { port } = await startServer({ handshakeTimeoutMs: 200 });
    const socket = await tcp(port);
    await once(socket, 'close');
  });

  test('maxPendingHandshakes caps sockets without a completed upgrade; upgraded connections do not count', async () => {
    const { server, port, url } = await startServer({ maxPendingHandshakes: 2 });
    const rejected: HandshakeRejectedEvent[] = [];
    server.on('handshakeRejected', (event) => rejected.push(event));
    const connected = new WebSocket(`${url}/CP0`, ['ocpp1.6']);
    cleanup.push(() => connected.terminate());
    await once(connected, 'open');
    const idle = [await tcp(port), await tcp(port)];
    const third = await tcp(port);
    await once(third, 'close');
    expect(rejected).toEqual([
      {
        stage: 'connection',
        reason: 'Too many connections still in their handshake (maxPendingHandshakes)',
        remoteAddress: '127.0.0.1',
      },
    ]);
    for (const socket of idle) socket.destroy();
    // Their slots are free again once they are gone.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const later = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    cleanup.push(() => later.terminate());
    await once(later, 'open');
    expect([...server.connections.keys()].sort()).toEqual(['CP0', 'CP1']);
  });

  test('an upgraded connection outlives handshakeTimeoutMs', async () => {
    const { server, url } = await startServer({ handshakeTimeoutMs: 100 });
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peer.readyState).toBe(WebSocket.OPEN);
    expect(server.connections.has('CP1')).toBe(true);
  });
});

describe('regression: close events reported 1006 where our side had closed with 1009 (RFC 6455 §7.4.1)', () => {
  test('an oversize message: disconnect reports the 1009 we sent', async () => {
    const { server, url } = await startServer({ maxPayloadBytes: 1024 });
    const disconnected = once(server, 'disconnect');
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    peer.on('error', () => {});
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    // ws stops reading after a bad frame, so the peer's close reply is never seen: ws alone
    // reports 1006 for the 1009 we sent.
    peer.send('x'.repeat(2048));
    const [{ connection, ...event }] = await disconnected;
    expect(connection.identity).toBe('CP1');
    expect(event).toMatchObject({ code: 1009, closedBy: 'local' });
  });

  test('invalid UTF-8 in a text frame: disconnect reports 1007', async () => {
    const { server, url } = await startServer();
    const disconnected = once(server, 'disconnect');
    const peer = new WebSocket(`${url}/CP1`, ['ocpp1.6'], { skipUTF8Validation: true });
    peer.on('error', () => {});
    cleanup.push(() => peer.terminate());
    await once(peer, 'open');
    peer.send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), { binary: false });
    const [{ connection, ...event }] = await disconnected;
    expect(connection.identity).toBe('CP1');
    expect(event).toMatchObject({ code: 1007, closedBy: 'local' });
  });
});
