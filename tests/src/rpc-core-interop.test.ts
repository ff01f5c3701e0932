// Interoperability of @ocpp-kit/rpc-core with ocpp-rpc 2.2.1 (a real peer written by others) in
// strict mode: every ocpp16 action in its direction with valid payloads, both ways, over HTTP
// Basic (security profile 1) with a binary AuthorizationKey. ocpp-rpc runs in its own process.
import { randomBytes } from 'node:crypto';
import { createClient, createServer, ocpp16, RpcError } from '@ocpp-kit/rpc-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exchanges, Peer } from './interop/ocpp-rpc-peer.js';

const key = Buffer.concat([Buffer.from([0x00, 0xff, 0x80, 0xc3]), randomBytes(16)]);
const toCentralSystem = exchanges('ChargePointToCentralSystem');
const toChargePoint = exchanges('CentralSystemToChargePoint');

type UntypedCall = (action: string, payload: object) => Promise<unknown>;
type UntypedOn = (action: string, handler: (request: unknown) => object) => void;

describe('our client <-> ocpp-rpc server (strict mode)', () => {
  const answers = new Map<string, object>();
  const received: [string, unknown][] = [];
  let peer: Peer;
  let client: ReturnType<typeof createClient<typeof ocpp16>>;

  beforeAll(async () => {
    peer = new Peer(['server', '', 'CP-interop', key.toString('hex'), 'strict']);
    const { port } = await peer.event('listening');
    client = createClient({
      protocol: ocpp16,
      url: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-interop',
      securityProfile: 1,
      authorizationKey: key,
      reconnect: false,
    });
    for (const name of new Set(toChargePoint.map(([action]) => action))) {
      (client.router.on as UntypedOn)(name, (request) => {
        received.push([name, request]);
        return answers.get(name) as object;
      });
    }
    const connected = peer.event('connected');
    await client.connect();
    await connected;
  });

  afterAll(async () => {
    await client?.close();
    await peer?.close();
  });

  test.each(toCentralSystem)(
    'OCPP-J §4.2.1/4.2.2: %s, our charge point -> ocpp-rpc',
    async (action, request, response) => {
      await peer.send({ op: 'respond', action, response });
      expect(await (client.call as UntypedCall)(action, request)).toEqual(response);
      expect((await peer.send({ op: 'received' })).result).toEqual([action, request]);
    },
  );

  test.each(toChargePoint)(
    'OCPP-J §4.2.1/4.2.2: %s, ocpp-rpc -> our charge point',
    async (action, request, response) => {
      answers.set(action, response);
      expect(await peer.send({ op: 'call', action, params: request })).toEqual({
        ok: true,
        result: response,
      });
      expect(received.at(-1)).toEqual([action, request]);
    },
  );

  test('OCPP-J §4.2.3: a CALLERROR from ocpp-rpc surfaces as RpcError with its code', async () => {
    // No response configured: ocpp-rpc strict mode refuses its own empty response.
    await peer.send({ op: 'respond', action: 'Heartbeat', response: { wrong: true } });
    const error = await client.call('Heartbeat', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toMatch(
      /InternalError|FormationViolation|PropertyConstraintViolation/,
    );
  });
});

describe('ocpp-rpc client (strict mode) <-> our server', () => {
  const answers = new Map<string, object>();
  const received: [string, unknown][] = [];
  let peer: Peer;
  let server: ReturnType<typeof createServer<typeof ocpp16>>;

  beforeAll(async () => {
    server = createServer({
      protocol: ocpp16,
      securityProfile: 1,
      path: '/ocpp',
      authorizationKey: (identity) => (identity === 'CP-peer' ? key : undefined),
    });
    for (const name of new Set(toCentralSystem.map(([action]) => action))) {
      (server.router.on as UntypedOn)(name, (request) => {
        received.push([name, request]);
        return answers.get(name) as object;
      });
    }
    const { port } = await server.listen();
    peer = new Peer([
      'client',
      `ws://127.0.0.1:${port}/ocpp`,
      'CP-peer',
      key.toString('hex'),
      'strict',
    ]);
    await peer.event('connected');
  });

  afterAll(async () => {
    await peer?.close();
    await server?.close();
  });

  test.each(toCentralSystem)(
    'OCPP-J §4.2.1/4.2.2: %s, ocpp-rpc -> our central system',
    async (action, request, response) => {
      answers.set(action, response);
      expect(await peer.send({ op: 'call', action, params: request })).toEqual({
        ok: true,
        result: response,
      });
      expect(received.at(-1)).toEqual([action, request]);
    },
  );

  test.each(toChargePoint)(
    'OCPP-J §4.2.1/4.2.2: %s, our central system -> ocpp-rpc',
    async (action, request, response) => {
      await peer.send({ op: 'respond', action, response });
      const connection = server.connections.get('CP-peer');
      expect(connection).toBeDefined();
      const call = connection?.call.bind(connection) as unknown as UntypedCall;
      expect(await call(action, request)).toEqual(response);
      expect((await peer.send({ op: 'received' })).result).toEqual([action, request]);
    },
  );

  test('OCPP-J §4.2.3: CALLERRORs for invalid requests reach ocpp-rpc with the 1.6 spellings', async () => {
    const missing = await peer.send({
      op: 'raw',
      text: '[2,"m1","BootNotification",{"chargePointVendor":"V"}]',
    });
    expect((JSON.parse(missing.result as string) as unknown[]).slice(0, 3)).toEqual([
      4,
      'm1',
      'OccurenceConstraintViolation',
    ]);
    const wrongType = await peer.send({ op: 'raw', text: '[2,"m2","Heartbeat",[]]' });
    expect((JSON.parse(wrongType.result as string) as unknown[]).slice(0, 2)).toEqual([4, 'm2']);
    const unknown = await peer.send({ op: 'raw', text: '[2,"m3","NoSuchAction",{}]' });
    expect((JSON.parse(unknown.result as string) as unknown[]).slice(0, 3)).toEqual([
      4,
      'm3',
      'NotImplemented',
    ]);
  });
});
