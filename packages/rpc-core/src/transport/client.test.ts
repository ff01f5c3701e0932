import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createRouter } from '../engine/router.js';
import { testProtocol } from '../testing/test-protocol.js';
import type { AcceptedConnection } from './accepted-connection.js';
import { createClient, type OcppClient } from './client.js';
import { createServer, type DisconnectEvent, type ServerOptions } from './server.js';

type P = typeof testProtocol;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer(options: Partial<ServerOptions<P>> = {}, port = 0) {
  const server = createServer<P>({ protocol: testProtocol, securityProfile: 0, ...options });
  server.router.on('Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00Z' }));
  const address = await server.listen({ port });
  cleanup.push(() => server.close());
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}` };
}

function makeClient(url: string, extra: object = {}): OcppClient<P> {
  const client = createClient<P>({
    protocol: testProtocol,
    url,
    identity: 'CP1',
    securityProfile: 0,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100, jitter: 0 },
    ...extra,
  });
  cleanup.push(() => client.close());
  return client;
}

/** A bare ws server that speaks ocpp1.6 but never answers pings. */
async function silentServer(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
  await once(wss, 'listening');
  cleanup.push(() => {
    for (const c of wss.clients) c.terminate();
    return new Promise((r) => wss.close(r));
  });
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

describe('reconnect (OCPP-J §5.4, errata §3.4)', () => {
  test('after a drop the client reconnects with backoff and sends calls queued meanwhile', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url);
    await client.connect();
    const delays: number[] = [];
    client.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    const closed = once(client, 'close');
    server.connections.get('CP1')?.terminate();
    expect((await closed)[0]).toMatchObject({ code: 1006, reconnecting: true });
    // Queued while detached; OCPP-J §4.1.1 order is kept and it goes out after reconnecting.
    const heartbeat = client.call('Heartbeat', {});
    await once(client, 'open');
    await expect(heartbeat).resolves.toEqual({ currentTime: '2026-01-01T00:00:00Z' });
    expect(delays).toEqual([20]);
    expect(client.status).toBe('open');
  });

  test('failed attempts back off exponentially up to the cap, then connect when the server returns', async () => {
    const first = await startServer();
    const client = makeClient(first.url);
    await client.connect();
    const delays: number[] = [];
    client.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    await first.server.close();
    while (delays.length < 4) await once(client, 'reconnecting');
    expect(delays.slice(0, 4)).toEqual([20, 40, 80, 100]);
    const opened = once(client, 'open');
    await startServer({}, first.port);
    await opened;
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
  });

  test('maxAttempts bounds the retries; the in-flight call rejects with ConnectionLost', async () => {
    const { server, url } = await startServer();
    server.router.off('Heartbeat');
    server.router.on('Heartbeat', () => new Promise(() => {}));
    const client = makeClient(url, {
      reconnect: { initialDelayMs: 10, maxAttempts: 2, jitter: 0 },
    });
    await client.connect();
    const failed: unknown[] = [];
    client.on('connectFailed', (e) => failed.push(e));
    const inFlight = client.call('Heartbeat', {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await server.close();
    expect(await inFlight).toMatchObject({ code: 'ConnectionLost' });
    while (failed.length < 2) await once(client, 'connectFailed');
    await new Promise((r) => setTimeout(r, 60));
    expect(failed).toHaveLength(2);
    expect(client.status).toBe('idle');
  });

  test('regression: close() docs said Closed while the outstanding call got ConnectionLost: every pending call rejects with Closed', async () => {
    const { server, url } = await startServer();
    server.router.off('Heartbeat');
    server.router.on('Heartbeat', () => new Promise(() => {}));
    const client = makeClient(url);
    await client.connect();
    const outstanding = client.call('Heartbeat', {}).catch((error: unknown) => error);
    const queued = client.call('Heartbeat', {}).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.close();
    expect(await outstanding).toMatchObject({ code: 'Closed' });
    expect(await queued).toMatchObject({ code: 'Closed' });
  });

  test('close() stops reconnecting and rejects queued calls with Closed', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url, { reconnect: { initialDelayMs: 5_000 } });
    await client.connect();
    const closed = once(client, 'close');
    server.connections.get('CP1')?.terminate();
    await closed;
    const queued = client.call('Heartbeat', {});
    await client.close();
    await expect(queued).rejects.toMatchObject({ code: 'Closed' });
    expect(client.status).toBe('closed');
  });

  test('a server going away (1001) with reconnect disabled leaves the client idle', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url, { reconnect: false });
    await client.connect();
    const closed = once(client, 'close');
    await server.close();
    expect((await closed)[0]).toEqual({
      code: 1001,
      reason: 'Server shutting down',
      closedBy: 'peer',
      reconnecting: false,
    });
    expect(client.status).toBe('idle');
  });
});

describe('regression: a server that accepted then closed made clients reconnect every second forever (errata 3.4)', () => {
  test('the attempt count grows across connections that do not stay up for resetAfterMs', async () => {
    const { server, url } = await startServer();
    server.on('client', ({ connection }) => connection.close(1000, 'go away'));
    const client = makeClient(url, {
      reconnect: { initialDelayMs: 20, maxDelayMs: 10_000, jitter: 0, resetAfterMs: 5_000 },
    });
    const delays: number[] = [];
    client.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    await client.connect();
    while (delays.length < 4) await once(client, 'reconnecting');
    await client.close();
    expect(delays).toEqual([20, 40, 80, 160]);
  });

  test('a connection that stays up for resetAfterMs starts the backoff again from the first delay', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url, {
      reconnect: { initialDelayMs: 20, maxDelayMs: 10_000, jitter: 0, resetAfterMs: 100 },
    });
    const delays: number[] = [];
    client.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    await client.connect();
    let drops = 0;
    server.on('client', ({ connection }) => {
      // The first two reconnects are dropped at once, the third stays up past resetAfterMs.
      if (++drops <= 2) connection.close(1000, 'again');
    });
    server.connections.get('CP1')?.close(1000, 'first');
    while (delays.length < 3) await once(client, 'reconnecting');
    await once(client, 'open');
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.connections.get('CP1')?.close(1000, 'after a stable period');
    await once(client, 'reconnecting');
    await client.close();
    expect(delays).toEqual([20, 40, 80, 20]);
  });

  test('two charge points sharing one identity back off harder on every 4001 instead of taking turns', async () => {
    const { url } = await startServer();
    const reconnect = { initialDelayMs: 10, maxDelayMs: 40, jitter: 0, maxReplacedDelayMs: 320 };
    const a = makeClient(url, { reconnect });
    const b = makeClient(url, { reconnect });
    const replaced = new Map<OcppClient<P>, number[]>([
      [a, []],
      [b, []],
    ]);
    for (const client of [a, b]) {
      client.on('reconnecting', ({ delayMs, replaced: byOther }) => {
        if (byOther) replaced.get(client)?.push(delayMs);
      });
    }
    await a.connect();
    await b.connect(); // replaces a; from here on they replace each other
    while ((replaced.get(a)?.length ?? 0) < 4 || (replaced.get(b)?.length ?? 0) < 3) {
      await Promise.race([once(a, 'reconnecting'), once(b, 'reconnecting')]);
    }
    await Promise.all([a.close(), b.close()]);
    expect(replaced.get(a)?.slice(0, 4)).toEqual([40, 80, 160, 320]);
    expect(replaced.get(b)?.slice(0, 3)).toEqual([40, 80, 160]);
  });
});

describe('regression: after maxAttempts the client went idle silently and calls stayed pending forever', () => {
  test('gaveUp fires once; queued calls and new calls reject with GaveUp; connect() starts again', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url, {
      reconnect: { initialDelayMs: 10, maxAttempts: 2, jitter: 0 },
    });
    await client.connect();
    const gaveUp: unknown[] = [];
    client.on('gaveUp', (event) => gaveUp.push(event));
    await server.close();
    const queued = client.call('Heartbeat', {}); // made while reconnecting
    await expect(queued).rejects.toMatchObject({ code: 'GaveUp', action: 'Heartbeat' });
    expect(gaveUp).toEqual([
      { attempts: 2, error: expect.objectContaining({ code: 'HandshakeFailed' }) },
    ]);
    expect(client.status).toBe('idle');
    await expect(client.call('Heartbeat', {})).rejects.toMatchObject({
      code: 'GaveUp',
      message: expect.stringMatching(
        /gave up after 2 reconnect attempts.*call connect\(\) to try again/,
      ),
    });
    // connect() is the way out: here the server is still gone, so it fails like a first connect.
    await expect(client.connect()).rejects.toMatchObject({ code: 'HandshakeFailed' });
    expect(gaveUp).toHaveLength(1);
  });
});

describe('WebSocket ping and dead-peer detection (OCPP-J §5.3, errata §3.11)', () => {
  test('client: a server that stops answering pings is dropped within two intervals', async () => {
    const { wss, url } = await silentServer();
    wss.on('connection', () => {});
    const client = makeClient(url, { pingIntervalMs: 50, reconnect: false });
    const started = Date.now();
    await client.connect();
    const [event] = await once(client, 'close');
    expect(event.code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('client: pongs keep the connection up; setPingInterval(0) turns pings off', async () => {
    const { server, url } = await startServer();
    const client = makeClient(url, { pingIntervalMs: 20 });
    await client.connect();
    const connection = server.connections.get('CP1') as AcceptedConnection<P, undefined>;
    let pings = 0;
    connection.link.socket.on('ping', () => pings++);
    await new Promise((r) => setTimeout(r, 150));
    expect(client.status).toBe('open');
    expect(pings).toBeGreaterThanOrEqual(3);
    client.setPingInterval(0);
    const before = pings;
    await new Promise((r) => setTimeout(r, 100));
    expect(pings).toBe(before);
    expect(() => client.setPingInterval(-1)).toThrow(
      expect.objectContaining({ code: 'InvalidOptions' }),
    );
  });

  test('server: a charge point that stops answering pings is terminated', async () => {
    const { server, url } = await startServer({ pingIntervalMs: 50 });
    const ws = new WebSocket(`${url}/CP9`, ['ocpp1.6'], { autoPong: false });
    await once(ws, 'open');
    const [{ connection, code }] = (await once(server, 'disconnect')) as [
      DisconnectEvent<P, undefined>,
    ];
    expect(connection.identity).toBe('CP9');
    expect(code).toBe(1006);
    ws.terminate();
  });

  test('server: a charge point answering pings stays connected', async () => {
    const { server, url } = await startServer({ pingIntervalMs: 30 });
    const ws = new WebSocket(`${url}/CP8`, ['ocpp1.6']);
    cleanup.push(() => ws.terminate());
    let pings = 0;
    ws.on('ping', () => pings++);
    await once(ws, 'open');
    await new Promise((r) => setTimeout(r, 200));
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(server.connections.has('CP8')).toBe(true);
  });
});

describe('client options (OCPP-J §3.1, §5.4)', () => {
  test('connect() twice while connecting is refused; connect() when open resolves', async () => {
    const { url } = await startServer();
    const client = makeClient(url);
    const first = client.connect();
    await expect(client.connect()).rejects.toMatchObject({ code: 'ConnectInProgress' });
    await first;
    await expect(client.connect()).resolves.toBeUndefined();
  });

  test('a refused first connect is not retried', async () => {
    const { server, url } = await startServer({ authenticate: () => false });
    let attempts = 0;
    server.on('handshakeRejected', () => attempts++);
    const client = makeClient(url);
    await expect(client.connect()).rejects.toMatchObject({ code: 'AuthenticationFailed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).toBe(1);
    expect(client.status).toBe('idle');
  });
});

describe('router option', () => {
  test('a router passed in answers the Central System on every client it is given to', async () => {
    const { server, url } = await startServer();
    const router = createRouter(testProtocol, 'ChargePoint').on('Reset', () => ({
      status: 'Accepted',
    }));
    for (const _round of [1, 2]) {
      const client = makeClient(url, { router });
      expect(client.router).toBe(router);
      await client.connect();
      const connection = server.connections.get('CP1');
      await expect(connection?.call('Reset', { type: 'Soft' })).resolves.toEqual({
        status: 'Accepted',
      });
      const gone = once(server, 'disconnect');
      await client.close();
      await gone;
    }
  });
});
