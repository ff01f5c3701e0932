import type { ActionDescriptor, ProtocolDescriptor, Validator } from '@ocpp-kit/messages';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { RpcSessionEvents } from './events.js';
import { linkInMemory } from './in-memory-link.js';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';

// A toy protocol, not OCPP 1.6: rpc-core must work with any generated descriptor.
interface Echo {
  readonly request: { n: number };
  readonly response: { n: number };
}
/** `n` must be a number; 13 makes the validator itself throw, like a broken descriptor would. */
const validate: Validator = (payload) => {
  const n = (payload as { n?: unknown }).n;
  if (n === 13) throw new Error('validator bug');
  return typeof n === 'number'
    ? undefined
    : [{ instancePath: '/n', keyword: 'type', message: '/n must be number' }];
};
const echo: ActionDescriptor = {
  name: 'Echo',
  directions: ['ChargePointToCentralSystem', 'CentralSystemToChargePoint'],
  profile: 'Toy',
  spec: 'toy protocol',
  validateRequest: validate,
  validateResponse: validate,
};
const toy: ProtocolDescriptor<{ Echo: Echo }, { Echo: Echo }> = {
  subprotocol: 'toy1.0',
  actions: new Map([['Echo', echo]]),
};

function toyPair(respond: (n: number) => number, cpChecks = true) {
  const csRouter = createRouter(toy, 'CentralSystem').on('Echo', ({ n }) => ({ n: respond(n) }));
  const cs = new RpcSession({
    protocol: toy,
    side: 'CentralSystem',
    identity: 'T1',
    router: csRouter,
  });
  const cp = new RpcSession({
    protocol: toy,
    side: 'ChargePoint',
    identity: 'T1',
    validation: { outgoingRequest: cpChecks, incomingResponse: cpChecks },
  });
  linkInMemory(cp, cs);
  const internal: RpcSessionEvents['internalError'][] = [];
  cs.on('internalError', (event) => internal.push(event));
  cp.on('internalError', (event) => internal.push(event));
  return { cs, cp, internal };
}

describe('a protocol descriptor other than OCPP 1.6 (OCPP-J §4.2: the RPC framework is action-agnostic)', () => {
  test('is routed and called with types inferred from its descriptor', async () => {
    const { cp } = toyPair((n) => n * 2);
    const result = cp.call('Echo', { n: 21 });
    expectTypeOf(result).toEqualTypeOf<Promise<{ n: number }>>();
    await expect(result).resolves.toEqual({ n: 42 });
    // @ts-expect-error toy has no such action
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ code: 'UnknownAction' });
  });

  test('a validator that throws on an incoming CALL: the peer gets InternalError, internalError is raised', async () => {
    const { cp, internal } = toyPair((n) => n, false);
    await expect(cp.call('Echo', { n: 13 })).rejects.toMatchObject({ code: 'InternalError' });
    expect(internal).toEqual([
      { text: expect.stringContaining('"Echo"'), error: new Error('validator bug') },
    ]);
  });

  test('a validator that throws on our own request rejects the call locally', async () => {
    const { cp } = toyPair((n) => n);
    await expect(cp.call('Echo', { n: 13 })).rejects.toMatchObject({
      code: 'InvalidOutgoingPayload',
      cause: new Error('validator bug'),
    });
  });

  test("a validator that throws on a handler's response: InternalError to the peer, handlerError locally", async () => {
    const { cp, cs } = toyPair(() => 13);
    const errors: RpcSessionEvents['handlerError'][] = [];
    cs.on('handlerError', (event) => errors.push(event));
    await expect(cp.call('Echo', { n: 1 })).rejects.toMatchObject({ code: 'InternalError' });
    expect(errors[0]).toMatchObject({ code: 'InternalError', error: new Error('validator bug') });
  });

  test("a validator that throws on the peer's CALLRESULT fails the call with InvalidIncomingPayload", async () => {
    const sent: string[] = [];
    const cp = new RpcSession({ protocol: toy, side: 'ChargePoint', identity: 'T1' });
    cp.attach({ send: (text) => sent.push(text), close: () => {} });
    const call = cp.call('Echo', { n: 1 });
    cp.receive(`[3,${JSON.stringify(JSON.parse(sent[0] as string)[1])},{"n":13}]`);
    await expect(call).rejects.toMatchObject({
      code: 'InvalidIncomingPayload',
      cause: new Error('validator bug'),
    });
    expect(cp.pendingCalls).toBe(0);
  });
});
