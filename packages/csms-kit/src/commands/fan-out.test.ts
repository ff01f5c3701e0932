import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import {
  boot,
  connectChargePoint,
  registered,
  startCentralSystem,
} from '../test-helpers/test-central-system.js';

describe('fan-out commands: one outcome per charge point, never one merged error', () => {
  test('callMany reports Answered, CallError, Failed Timeout and Failed Offline side by side', async () => {
    const { csms, url } = await startCentralSystem({
      records: ['A', 'B', 'C', 'D'].map((id) => registered(id)),
      callTimeoutMs: 300,
    });
    const a = await connectChargePoint(url, 'A');
    a.router.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
    const b = await connectChargePoint(url, 'B');
    b.router.on('ChangeConfiguration', () => {
      throw new RpcError('NotSupported', 'no configuration here');
    });
    const c = await connectChargePoint(url, 'C');
    c.router.on('ChangeConfiguration', () => new Promise(() => {}));
    for (const client of [a, b, c]) await boot(client);
    const outcomes = await csms.callMany(['A', 'B', 'C', 'D', 'A'], 'ChangeConfiguration', {
      key: 'MeterValueSampleInterval',
      value: '60',
    });
    expect(outcomes).toEqual([
      { status: 'Answered', identity: 'A', response: { status: 'Accepted' } },
      {
        status: 'CallError',
        identity: 'B',
        errorCode: 'NotSupported',
        description: 'no configuration here',
        details: {},
      },
      { status: 'Failed', identity: 'C', reason: 'Timeout', message: expect.any(String) },
      {
        status: 'Failed',
        identity: 'D',
        reason: 'Offline',
        message: expect.stringContaining("'D'"),
      },
    ]);
  });

  test('callMany checks the payload once and sends nothing when it is invalid', async () => {
    const { csms, url } = await startCentralSystem({ records: [registered('A')] });
    const a = await connectChargePoint(url, 'A');
    let received = 0;
    a.router.on('Reset', () => {
      received += 1;
      return { status: 'Accepted' };
    });
    await boot(a);
    await expect(
      csms.callMany(['A'], 'Reset', { type: 'Sometime' } as never),
    ).rejects.toMatchObject({ code: 'InvalidOutgoingPayload' });
    expect(received).toBe(0);
  });

  test('a connection lost with the CALL outstanding is Failed ConnectionLost', async () => {
    const { csms, url } = await startCentralSystem({ records: [registered('A')] });
    const a = await connectChargePoint(url, 'A');
    a.router.on('Reset', () => {
      setImmediate(() => void a.close());
      return new Promise(() => {});
    });
    await boot(a);
    const [outcome] = await csms.callMany(['A'], 'Reset', { type: 'Hard' });
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'ConnectionLost' });
  });
});

describe('isolation: one charge point cannot disturb another', () => {
  test('OCPP-J §4.2.3 bad frames from one charge point get CALLERRORs and its cut-off; the other keeps working', async () => {
    const { csms, url } = await startCentralSystem({
      records: [registered('GOOD'), registered('EVIL')],
      transport: { maxBadMessages: 5 },
    });
    const good = await connectChargePoint(url, 'GOOD');
    good.router.on('Reset', () => ({ status: 'Accepted' }));
    await boot(good);
    const evil = new WebSocket(`${url}EVIL`, 'ocpp1.6');
    const replies: string[] = [];
    evil.on('message', (data) => replies.push(String(data)));
    const closed = new Promise<number>((resolve) => evil.on('close', (code) => resolve(code)));
    await new Promise((resolve) => evil.once('open', resolve));
    evil.send('[2,"m3","Heartbeat",{}]');
    await expect.poll(() => replies.some((r) => r.includes('"m3"'))).toBe(true);
    evil.send('[2,"m1","BootNotification",{"chargePointVendor":1,"chargePointModel":"M"}]');
    evil.send('[2,"m2","NoSuchAction",{}]');
    evil.send('not json');
    for (let i = 0; i < 6; i += 1) evil.send('[9]');
    expect(await closed).toBe(1008);
    expect(replies.map((r) => JSON.parse(r).slice(0, 3))).toEqual(
      expect.arrayContaining([
        [4, 'm1', 'TypeConstraintViolation'],
        [4, 'm2', 'NotImplemented'],
        [4, 'm3', 'SecurityError'],
      ]),
    );
    expect(await csms.call('GOOD', 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
  });
});
