// Interoperability with ocpp-rpc 2.2.1 in strict mode (a charge point written by others): the
// reference CSMS answers every charge-point-initiated action, and its HTTP API sends every
// CSMS-initiated command to it, 1.6 and whitepaper. ocpp-rpc runs in its own process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exchanges, Peer } from '../../../tests/src/interop/ocpp-rpc-peer.js';
import { startReferenceCsms } from './csms/reference-csms.js';
import { defaultPolicy } from './policy/policy.js';

const keyHex = '00ff80c3112233445566778899aabbccddeeff00';
const apiKey = 'interop-key';

describe('reference CSMS <-> ocpp-rpc charge point (strict mode), security profile 1', () => {
  let csms: Awaited<ReturnType<typeof startReferenceCsms>>;
  let peer: Peer;
  const api = async (path: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${csms.httpPort}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    csms = await startReferenceCsms({
      dataDir: mkdtempSync(join(tmpdir(), 'reference-csms-interop-')),
      apiKey,
      policy: {
        ...defaultPolicy,
        listeners: [{ securityProfile: 1, host: '127.0.0.1', port: 0, path: '/ocpp' }],
        http: { host: '127.0.0.1', port: 0 },
        files: { host: '127.0.0.1', port: 0 },
        readConfiguration: false,
        triggersOnAccept: [],
      },
    });
    await api('/api/charge-points', {
      identity: 'CP-peer',
      securityProfile: 1,
      authorizationKey: keyHex,
    });
    const port = csms.ocppAddresses[0]?.port;
    peer = new Peer(['client', `ws://127.0.0.1:${port}/ocpp`, 'CP-peer', keyHex, 'strict']);
    await peer.event('connected');
    const boot = await peer.send({
      op: 'call',
      action: 'BootNotification',
      params: { chargePointVendor: 'V', chargePointModel: 'M' },
    });
    expect(boot).toMatchObject({ ok: true, result: { status: 'Accepted' } });
  });

  afterAll(async () => {
    await peer?.close();
    await csms?.close();
  });

  test.each(exchanges('ChargePointToCentralSystem'))(
    'OCPP-J §4.2.2 the reference CSMS answers %s from ocpp-rpc (its strict mode validates our response)',
    async (action, request) => {
      const reply = await peer.send({ op: 'call', action, params: request });
      expect(reply).toMatchObject({ ok: true });
    },
  );

  test.each(exchanges('CentralSystemToChargePoint'))(
    'OCPP-J §4.2.1 the HTTP API sends %s to ocpp-rpc, which answers it',
    async (action, request, response) => {
      await peer.send({ op: 'respond', action, response });
      const { status, body } = await api(`/api/commands/${action}`, {
        chargePoints: ['CP-peer'],
        payload: request,
      });
      expect(status).toBe(200);
      expect(body.results).toEqual([{ status: 'Answered', identity: 'CP-peer', response }]);
      expect((await peer.send({ op: 'received' })).result).toEqual([action, request]);
    },
  );
});
