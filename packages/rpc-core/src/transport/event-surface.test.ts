import { once } from 'node:events';
import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import { WebSocket } from 'ws';
import type { RpcSessionEvents } from '../engine/events.js';
import { testProtocol } from '../testing/test-protocol.js';
import { createClient, type OpenEvent } from './client.js';
import { createServer, type ServerOptions, type ServerSessionEvent } from './server.js';
import type { ServerConnection } from './server-connection.js';

type P = typeof testProtocol;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer<State = undefined>(options: Partial<ServerOptions<P, State>> = {}) {
  const server = createServer<P, State>({ protocol: testProtocol, securityProfile: 0, ...options });
  server.router.on('Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00Z' }));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => server.close());
  return { server, url: `ws://127.0.0.1:${port}` };
}

async function rawPeer(url: string, identity: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6']);
  ws.on('error', () => {});
  cleanup.push(() => ws.terminate());
  await once(ws, 'open');
  return ws;
}

describe('one event surface: the server re-emits every session event with its connection', () => {
  test('badMessage and frameIn/frameOut name the connection they happened on', async () => {
    const { server, url } = await startServer();
    const bad: ServerSessionEvent<'badMessage', P, undefined>[] = [];
    const frames: string[] = [];
    server.on('badMessage', (event) => bad.push(event));
    server.on('frameOut', ({ connection, text }) => frames.push(`${connection.identity} ${text}`));
    const a = await rawPeer(url, 'CP-A');
    const b = await rawPeer(url, 'CP-B');
    b.send('not json');
    a.send('[2,"1","Heartbeat",{}]');
    await once(a, 'message');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ reason: 'invalidJson', text: 'not json', replied: false });
    expect(bad[0]?.connection.identity).toBe('CP-B');
    expect(bad[0]?.connection).toBe(server.connections.get('CP-B'));
    expect(frames).toEqual(['CP-A [3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]']);
  });

  test('a throwing server listener is reported as listenerError and the CALL is still answered', async () => {
    const { server, url } = await startServer();
    const reported: ServerSessionEvent<'listenerError', P, undefined>[] = [];
    server.on('frameIn', () => {
      throw new Error('listener bug');
    });
    server.on('listenerError', (event) => reported.push(event));
    const peer = await rawPeer(url, 'CP-A');
    peer.send('[2,"1","Heartbeat",{}]');
    const [reply] = await once(peer, 'message');
    expect(JSON.parse(String(reply))[0]).toBe(3);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ event: 'frameIn' });
    expect(reported[0]?.connection.identity).toBe('CP-A');
  });

  test('every event takes one object: client and disconnect carry the connection', async () => {
    const { server, url } = await startServer();
    const joined = once(server, 'client');
    const left = once(server, 'disconnect');
    const peer = await rawPeer(url, 'CP-A');
    const [{ connection }] = await joined;
    peer.close(1000, 'bye');
    const [event] = await left;
    expect(event).toMatchObject({ code: 1000, reason: 'bye', closedBy: 'peer' });
    expect(event.connection).toBe(connection);
  });
});

describe('one event surface: the client re-emits its session events', () => {
  test('frameOut, callFailed and open reach client listeners; open tells a reconnect', async () => {
    const { server, url } = await startServer();
    const client = createClient<P>({
      protocol: testProtocol,
      url,
      identity: 'CP1',
      securityProfile: 0,
      reconnect: { initialDelayMs: 10, jitter: 0 },
      session: { callTimeoutMs: 50 },
    });
    cleanup.push(() => client.close());
    const opens: OpenEvent[] = [];
    const out: string[] = [];
    const failed: RpcSessionEvents['callFailed'][] = [];
    client.on('open', (event) => opens.push(event));
    client.on('frameOut', ({ text }) => out.push(text));
    client.on('callFailed', (event) => failed.push(event));
    await client.connect();
    await client.call('Heartbeat', {});
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\[2,"[^"]+","Heartbeat",\{\}\]$/);

    server.router.off('Heartbeat');
    await expect(client.call('Heartbeat', {})).rejects.toMatchObject({ code: 'NotSupported' });
    expect(failed.map((event) => event.error.code)).toEqual(['NotSupported']);

    const reopened = once(client, 'open');
    server.connections.get('CP1')?.terminate();
    await reopened;
    expect(opens).toEqual([{ reconnect: false }, { reconnect: true }]);
  });
});

describe('per-connection state: the same on both sides', () => {
  test('server: the state factory per connection is connection.state and context.state', async () => {
    const { server, url } = await startServer<{ identity: string }>({
      state: ({ identity }) => ({ identity }),
    });
    const seen: string[] = [];
    server.router.off('Heartbeat').on('Heartbeat', (_request, { state }) => {
      seen.push(state.identity);
      return { currentTime: '2026-01-01T00:00:00Z' };
    });
    const joined = once(server, 'client');
    const peer = await rawPeer(url, 'CP-A');
    await joined;
    const connection = server.connections.get('CP-A');
    expectTypeOf(connection).toEqualTypeOf<ServerConnection<P, { identity: string }> | undefined>();
    expect(connection?.state).toEqual({ identity: 'CP-A' });
    peer.send('[2,"1","Heartbeat",{}]');
    await once(peer, 'message');
    expect(seen).toEqual(['CP-A']);
  });

  test('client: the state option is client.state and context.state; client.status is the connection', async () => {
    const { server, url } = await startServer();
    const state = { resets: 0 };
    const client = createClient({
      protocol: testProtocol,
      url,
      identity: 'CP1',
      securityProfile: 0,
      reconnect: false,
      state,
    });
    cleanup.push(() => client.close());
    client.router.on('Reset', (_request, context) => {
      context.state.resets += 1;
      return { status: 'Accepted' };
    });
    expect(client.status).toBe('idle');
    await client.connect();
    expect(client.status).toBe('open');
    expect(client.state).toBe(state);
    await server.connections.get('CP1')?.call('Reset', { type: 'Soft' });
    expect(state.resets).toBe(1);
    expect(client.pendingCalls).toBe(0);
  });
});
