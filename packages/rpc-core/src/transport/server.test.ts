import { once } from 'node:events';
import { request } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { RpcError } from '../errors.js';
import { testProtocol } from '../testing/test-protocol.js';
import { createClient, type OcppClient } from './client.js';
import {
  type ConnectionEvent,
  createServer,
  type DisconnectEvent,
  type OcppServer,
  type ServerOptions,
} from './server.js';
import type { ServerConnection } from './server-connection.js';

type P = typeof testProtocol;
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer(
  options: Partial<ServerOptions<P>> = {},
): Promise<{ server: OcppServer<P>; url: string; port: number }> {
  const server = createServer({ protocol: testProtocol, securityProfile: 0, ...options });
  server.router.on('Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00Z' }));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => server.close());
  return { server, url: `ws://127.0.0.1:${port}${options.path ?? ''}`, port };
}

function startClient(url: string, identity = 'CP001', extra: object = {}): OcppClient<P> {
  const client = createClient({
    protocol: testProtocol,
    url,
    identity,
    securityProfile: 0,
    reconnect: false,
    ...extra,
  });
  client.router.on('Reset', (req) => ({ status: req.type === 'Soft' ? 'Accepted' : 'Rejected' }));
  cleanup.push(() => client.close());
  return client;
}

/** A raw WebSocket handshake: resolves with the HTTP status and headers (and socket on 101). */
function rawHandshake(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; socket?: Socket; head?: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket, head) =>
      resolve({ status: 101, headers: res.headers, socket, head }),
    );
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads the close code of the first frame on a raw upgraded socket (expects a close frame). */
async function closeCodeOf(socket: Socket, head: Buffer | undefined): Promise<number> {
  const chunk =
    head !== undefined && head.length > 0 ? head : ((await once(socket, 'data')) as [Buffer])[0];
  expect(chunk[0]).toBe(0x88); // FIN + opcode 8 (close), RFC 6455 §5.5.1
  socket.destroy();
  return chunk.readUInt16BE(2);
}

describe('typed calls both ways over WebSocket', () => {
  test('OCPP-J §3: a charge point connects, calls the server, and answers a server CALL', async () => {
    const { server, url } = await startServer({ path: '/ocpp' });
    const connected = once(server, 'client') as Promise<[ConnectionEvent<P, undefined>]>;
    const client = startClient(url, 'RDAM 123');
    await client.connect();
    const [{ connection }] = await connected;
    expect(connection.identity).toBe('RDAM 123');
    expect(server.connections.get('RDAM 123')).toBe(connection);
    const heartbeat = await client.call('Heartbeat', {});
    expectTypeOf(heartbeat).toEqualTypeOf<{ currentTime: string }>();
    expect(heartbeat).toEqual({ currentTime: '2026-01-01T00:00:00Z' });
    expect(await connection.call('Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    expect(client.url).toBe(`${url}/RDAM%20123`);
  });

  test('RFC 6455 §7.4.1: a clean close reaches the server as 1000 and clears the connection', async () => {
    const { server, url } = await startServer();
    const client = startClient(url);
    await client.connect();
    const gone = once(server, 'disconnect');
    await client.close();
    const [{ connection, code }] = (await gone) as [DisconnectEvent<P, undefined>];
    expect(code).toBe(1000);
    expect(server.connections.has(connection.identity)).toBe(false);
    expect(client.status).toBe('closed');
  });
});

describe('subprotocol negotiation (OCPP-J §3.1.2, §3.2)', () => {
  test('§3.2: no agreed subprotocol -> handshake completes without the header, then close', async () => {
    const { port, server } = await startServer();
    const rejected = once(server, 'handshakeRejected');
    const result = await rawHandshake(port, '/CP1', {
      'Sec-WebSocket-Protocol': 'ocpp1.5, ocpp2.0',
    });
    expect(result.status).toBe(101);
    expect(result.headers['sec-websocket-protocol']).toBeUndefined();
    expect(await closeCodeOf(result.socket as Socket, result.head)).toBe(1002);
    await rejected;
    expect(server.connections.size).toBe(0);
  });

  test('§3.2: a handshake offering no subprotocol at all is closed too', async () => {
    const { port } = await startServer();
    const result = await rawHandshake(port, '/CP1');
    expect(result.status).toBe(101);
    expect(await closeCodeOf(result.socket as Socket, result.head)).toBe(1002);
  });

  test('§3.1.2: the server picks ocpp1.6 among several offers', async () => {
    const { port } = await startServer();
    const result = await rawHandshake(port, '/CP1', {
      'Sec-WebSocket-Protocol': 'ocpp1.5, ocpp1.6',
    });
    expect(result.headers['sec-websocket-protocol']).toBe('ocpp1.6');
    result.socket?.destroy();
  });

  test('§3.1.2: the client fails when the server does not select ocpp1.6', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
    cleanup.push(() => new Promise((r) => wss.close(r)));
    await once(wss, 'listening');
    const { port } = wss.address() as { port: number };
    const client = startClient(`ws://127.0.0.1:${port}`);
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'HandshakeFailed' });
    expect((error as RpcError).message).toContain('ocpp1.6');
  });
});

describe('identity in the URL (OCPP-J §3.1.1, §3.2)', () => {
  test.each([
    ['/elsewhere/CP1', 404],
    ['/ocpp/a%ZZ', 400],
    ['/ocpp/', 400],
    ['/ocpp/a%3Ab', 400],
  ])('%s is refused with HTTP %i before the upgrade', async (path, status) => {
    const { port } = await startServer({ path: '/ocpp' });
    const result = await rawHandshake(port, path, { 'Sec-WebSocket-Protocol': 'ocpp1.6' });
    expect(result.status).toBe(status);
  });
});

describe('duplicate identity policy (OCPP-J §3.1.1: one connection per connection URL)', () => {
  test('library contract: default: the newer connection replaces the old one (old closed with 4001)', async () => {
    const { server, url } = await startServer();
    const first = startClient(url);
    await first.connect();
    const firstClosed = once(first, 'close');
    const second = startClient(url);
    await second.connect();
    const [event] = await firstClosed;
    expect(event).toMatchObject({ code: 4001, reconnecting: false });
    expect(server.connections.size).toBe(1);
    expect(await second.call('Heartbeat', {})).toHaveProperty('currentTime');
  });

  test("library contract: 'reject': a second connection for a connected identity gets HTTP 409", async () => {
    const { server, url } = await startServer({ duplicateIdentity: 'reject' });
    await startClient(url).connect();
    const error = await startClient(url)
      .connect()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HandshakeFailed', details: { status: 409 } });
    expect(server.connections.size).toBe(1);
  });

  test("library contract: 'reject': a charge point whose socket died while authenticate was deciding can connect again", async () => {
    let first = true;
    const { url } = await startServer({
      duplicateIdentity: 'reject',
      authenticate: async ({ request }) => {
        if (!first) return true;
        first = false;
        request.socket.destroy(); // the peer is gone before the verdict
        await new Promise((r) => setTimeout(r, 20));
        return true;
      },
    });
    const gone = new WebSocket(`${url}/CP001`, ['ocpp1.6']);
    gone.on('error', () => {});
    await new Promise((resolve) => gone.on('close', resolve));
    await new Promise((r) => setTimeout(r, 100)); // the first verdict lands
    await startClient(url).connect();
  });
});

describe('limits and robustness (OCPP-J §3.2, §4.1.2; RFC 6455 §7.4.1)', () => {
  test('library contract: handshake timeout: a hanging authenticate hook ends in HTTP 503', async () => {
    const { port, server } = await startServer({
      handshakeTimeoutMs: 150,
      authenticate: () => new Promise(() => {}),
    });
    const rejected = once(server, 'handshakeRejected');
    const result = await rawHandshake(port, '/CP1', { 'Sec-WebSocket-Protocol': 'ocpp1.6' });
    expect(result.status).toBe(503);
    expect((await rejected)[0]).toMatchObject({ status: 503, reason: 'Handshake timed out' });
  });

  test('library contract: a throwing authenticate hook answers 503 and the server keeps serving', async () => {
    const { port, url } = await startServer({
      authenticate: ({ identity }) => {
        if (identity === 'boom') throw new Error('db down');
        return true;
      },
    });
    expect(
      (await rawHandshake(port, '/boom', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })).status,
    ).toBe(503);
    await startClient(url).connect();
  });

  test('RFC 6455 §7.4.1: a throwing state factory: the peer gets 101 then close 1011, connectionFailed fires, the server keeps serving', async () => {
    const failure = new Error('tenant lookup failed');
    const { url, server } = await startServer({
      state: ({ identity }) => {
        if (identity === 'boom') throw failure;
        return undefined;
      },
    });
    const rejected: unknown[] = [];
    server.on('handshakeRejected', (event) => rejected.push(event));
    const failed = once(server, 'connectionFailed');
    const ws = new WebSocket(`${url}/boom`, ['ocpp1.6']);
    let opened = false;
    ws.on('open', () => {
      opened = true;
    });
    const [code] = (await once(ws, 'close')) as [number];
    expect(opened).toBe(true); // the upgrade (101) completed before the close
    expect(code).toBe(1011);
    const [event] = await failed;
    expect(event).toEqual({
      identity: 'boom',
      remoteAddress: '127.0.0.1',
      error: failure,
      closeCode: 1011,
    });
    expect(rejected).toEqual([]); // not a handshake refusal: the peer got its 101
    expect(server.connections.size).toBe(0);
    await startClient(url).connect();
    expect(server.connections.size).toBe(1);
  });

  test('library contract: a peer that leaves while the handshake is decided is refused with 400 through handshakeRejected', async () => {
    const { server, port } = await startServer({
      authenticate: async ({ request }) => {
        request.socket.destroy(); // the peer is gone before the verdict
        await new Promise((r) => setTimeout(r, 20));
        return true;
      },
    });
    const rejected = once(server, 'handshakeRejected');
    const handshake = rawHandshake(port, '/CP1', { 'Sec-WebSocket-Protocol': 'ocpp1.6' });
    handshake.catch(() => {}); // the socket is destroyed: no response arrives
    const [event] = await rejected;
    expect(event).toEqual({
      stage: 'http',
      status: 400,
      reason: 'The peer left during the handshake',
      url: '/CP1',
      remoteAddress: '127.0.0.1',
    });
    expect(server.connections.size).toBe(0);
  });

  test('library contract: invalid engine options are refused when the server is created, not per connection', () => {
    for (const session of [
      { callTimeoutMs: -1 },
      { maxQueuedCalls: 1.5 },
      { incomingConcurrency: 0 },
      { maxIncomingQueue: -1 },
      { messageIdPrefix: 'has space' },
      { validation: { actions: { NoSuchAction: { incomingRequest: false } } } },
    ]) {
      expect(
        () =>
          createServer({
            protocol: testProtocol,
            securityProfile: 0,
            session: session as NonNullable<ServerOptions<P>['session']>,
          }),
        JSON.stringify(session),
      ).toThrow(expect.objectContaining({ code: 'InvalidOptions' }));
    }
  });

  test('RFC 7235 §3.1: authenticate refusing on profile 0 answers 401 with a WWW-Authenticate challenge, before the upgrade', async () => {
    let upgraded = false;
    const { port, server } = await startServer({ authenticate: () => false });
    server.on('client', () => {
      upgraded = true;
    });
    const result = await rawHandshake(port, '/CP1', { 'Sec-WebSocket-Protocol': 'ocpp1.6' });
    expect(result.status).toBe(401);
    expect(result.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(upgraded).toBe(false);
  });

  test('authenticate can refuse an unknown charge point with 404 (OCPP-J §3.2)', async () => {
    const { url } = await startServer({
      authenticate: () => ({ status: 404, reason: 'Unknown charge point' }),
    });
    const error = await startClient(url)
      .connect()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HandshakeFailed', details: { status: 404 } });
  });

  test('RFC 6455 §7.4.1: max payload: an oversize message closes the connection with 1009', async () => {
    const { server, url } = await startServer({ maxPayloadBytes: 1024 });
    const ws = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    await once(ws, 'open');
    const gone = once(server, 'disconnect');
    ws.send(`[2,"1","Heartbeat",{"x":"${'a'.repeat(2000)}"}]`);
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1009);
    await gone;
  });

  test('RFC 6455 §7.4.1: a binary frame closes the connection with 1003', async () => {
    const { url } = await startServer();
    const ws = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    await once(ws, 'open');
    ws.send(Buffer.from('[2,"1","Heartbeat",{}]'));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1003);
  });

  test('RFC 6455 §7.4.1 + library contract: max bad messages: the Nth malformed frame closes with 1008', async () => {
    const { url } = await startServer({ maxBadMessages: 3 });
    const ws = new WebSocket(`${url}/CP1`, ['ocpp1.6']);
    await once(ws, 'open');
    const replies: string[] = [];
    ws.on('message', (data) => replies.push(data.toString()));
    ws.send('not json');
    ws.send('{"an":"object"}');
    ws.send('[2,"ok","Heartbeat",{}]');
    ws.send('[9]');
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1008);
    expect(replies).toHaveLength(1);
    expect(JSON.parse(replies[0] as string)).toEqual([
      3,
      'ok',
      { currentTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  test('library contract: garbage bytes, a half-sent handshake and abrupt disconnects never crash the server', async () => {
    let release: (v: boolean) => void = () => {};
    const { port, url, server } = await startServer({
      authenticate: ({ identity }) =>
        identity === 'slow' ? new Promise<boolean>((r) => (release = r)) : true,
    });
    const garbage = connectTcp(port, '127.0.0.1');
    garbage.on('error', () => {});
    garbage.resume();
    garbage.write(Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
    garbage.write('\r\n\r\nGET / HTTP/9.9\r\n\r\n');
    await once(garbage, 'close');

    const half = connectTcp(port, '127.0.0.1');
    half.on('error', () => {});
    half.write('GET /CP1 HTTP/1.1\r\nUpgrade: websocket\r\n');
    half.destroy();

    // The peer disappears while authenticate is still deciding.
    const abrupt = new WebSocket(`${url}/slow`, ['ocpp1.6']);
    abrupt.on('error', () => {});
    await new Promise((r) => setTimeout(r, 50));
    abrupt.terminate();
    await new Promise((r) => setTimeout(r, 20));
    release(true);

    // The peer vanishes (no close frame) while the server's CALL is outstanding.
    const silent = new WebSocket(`${url}/CP2`, ['ocpp1.6']);
    const joined = once(server, 'client');
    await once(silent, 'open');
    await joined;
    const reset = (server.connections.get('CP2') as ServerConnection<P>).call('Reset', {
      type: 'Hard',
    });
    silent.terminate();
    await expect(reset).rejects.toMatchObject({ code: 'ConnectionLost' });

    await startClient(url).connect();
    expect([...server.connections.keys()]).toEqual(['CP001']);
  });
});
