import { ocpp16 } from '@ocpp-kit/messages';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RpcError } from '../errors.js';
import type { RpcSessionEvents } from './events.js';
import { linkInMemory } from './in-memory-link.js';
import type { RpcSessionOptions } from './options.js';
import { createRouter, type Router } from './router.js';
import { RpcSession } from './session.js';

const now = '2026-01-01T00:00:00.000Z';
const boot = { chargePointVendor: 'VendorX', chargePointModel: 'SingleSocketCharger' };

type CsRouter = Router<typeof ocpp16, 'CentralSystem', { readonly site: string }>;
type CpRouter = Router<typeof ocpp16, 'ChargePoint', undefined>;

/** A charge point and a central system session, linked in memory (real engines on both ends). */
function pair(
  options: {
    cs?: (router: CsRouter) => void;
    cp?: (router: CpRouter) => void;
    csOptions?: Partial<
      RpcSessionOptions<typeof ocpp16, 'CentralSystem', { readonly site: string }>
    >;
    cpOptions?: Partial<RpcSessionOptions<typeof ocpp16, 'ChargePoint'>>;
  } = {},
) {
  const csRouter = createRouter(ocpp16, 'CentralSystem').withState<{ readonly site: string }>();
  const cpRouter = createRouter(ocpp16, 'ChargePoint');
  options.cs?.(csRouter);
  options.cp?.(cpRouter);
  const cs = new RpcSession({
    protocol: ocpp16,
    side: 'CentralSystem',
    identity: 'CP-001',
    router: csRouter,
    state: { site: 'depot' },
    ...options.csOptions,
  });
  const cp = new RpcSession({
    protocol: ocpp16,
    side: 'ChargePoint',
    identity: 'CP-001',
    router: cpRouter,
    ...options.cpOptions,
  });
  const frames: string[] = [];
  cp.on('frameOut', (event) => frames.push(`cp> ${event.text}`));
  cs.on('frameOut', (event) => frames.push(`cs> ${event.text}`));
  const link = linkInMemory(cp, cs);
  return { cs, cp, link, frames };
}

/** Lets queued microtasks (frame deliveries, handler continuations) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RpcSession pair: typed calls both ways', () => {
  test('OCPP-J 4.2.1/4.2.2: BootNotification from the charge point gets the typed, validated CALLRESULT', async () => {
    const { cp, frames } = pair({
      cs: (r) =>
        r.on('BootNotification', async () => ({
          status: 'Accepted',
          currentTime: now,
          interval: 300,
        })),
    });
    const response = await cp.call('BootNotification', boot);
    expect(response).toEqual({ status: 'Accepted', currentTime: now, interval: 300 });
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(
      /^cp> \[2,"[^"]+","BootNotification",\{"chargePointVendor":"VendorX"/,
    );
    expect(frames[1]).toMatch(/^cs> \[3,"[^"]+",\{"status":"Accepted"/);
  });

  test('OCPP-J 4.2.1: the central system calls Reset on the charge point', async () => {
    const seen: unknown[] = [];
    const { cs } = pair({
      cp: (r) =>
        r.on('Reset', (request, context) => {
          seen.push(request, context.action, context.identity);
          return { status: 'Accepted' };
        }),
    });
    await expect(cs.call('Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    expect(seen).toEqual([{ type: 'Soft' }, 'Reset', 'CP-001']);
  });

  test('OCPP-J 4.1.1 NOTE: CALLs crossing each other in both directions are both answered', async () => {
    const { cs, cp } = pair({
      cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })),
      cp: (r) => r.on('ClearCache', () => ({ status: 'Accepted' })),
    });
    const [a, b] = await Promise.all([cp.call('Heartbeat', {}), cs.call('ClearCache', {})]);
    expect(a).toEqual({ currentTime: now });
    expect(b).toEqual({ status: 'Accepted' });
  });

  test('OCPP-J 4.1.4: our message ids are unique strings of at most 36 characters, also across sessions', async () => {
    const ids = new Set<string>();
    const { cp, cs } = pair({ cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })) });
    cs.on('frameIn', (event) => ids.add(JSON.parse(event.text)[1]));
    for (let i = 0; i < 50; i++) await cp.call('Heartbeat', {});
    const other = pair({ cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })) });
    other.cs.on('frameIn', (event) => ids.add(JSON.parse(event.text)[1]));
    await other.cp.call('Heartbeat', {});
    expect(ids.size).toBe(51);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(36);
  });

  test('OCPP-J 4.2 NOTE: the identity belongs to the connection; handler context carries it with message id, action, signal and typed state', async () => {
    let context: unknown;
    const { cp } = pair({
      cs: (r) =>
        r.on('Heartbeat', (_request, ctx) => {
          context = {
            identity: ctx.identity,
            action: ctx.action,
            site: ctx.state.site,
            aborted: ctx.signal.aborted,
            id: typeof ctx.messageId,
          };
          return { currentTime: now };
        }),
    });
    await cp.call('Heartbeat', {});
    expect(context).toEqual({
      identity: 'CP-001',
      action: 'Heartbeat',
      site: 'depot',
      aborted: false,
      id: 'string',
    });
  });
});

describe('RpcSession pair: OCPP-J 4.1.1 synchronicity and the call queue', () => {
  test('OCPP-J 4.1.1: one outstanding CALL per direction; further calls queue and go out in order', async () => {
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const handled: string[] = [];
    const { cp, cs } = pair({
      cs: (r) =>
        r.on('DataTransfer', async (request) => {
          handled.push(request.vendorId);
          const gate = deferred<void>();
          gates.push(gate);
          await gate.promise;
          return { status: 'Accepted', data: request.vendorId };
        }),
    });
    const received: string[] = [];
    cs.on('frameIn', (event) => received.push(JSON.parse(event.text)[3].vendorId));
    const calls = ['a', 'b', 'c'].map((vendorId) => cp.call('DataTransfer', { vendorId }));
    await settle();
    expect(received).toEqual(['a']);
    expect(cp.pendingCalls).toBe(3);
    gates[0]?.resolve();
    await settle();
    expect(received).toEqual(['a', 'b']);
    gates[1]?.resolve();
    await settle();
    gates[2]?.resolve();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.data)).toEqual(['a', 'b', 'c']);
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(cp.pendingCalls).toBe(0);
  });

  test('OCPP-J 4.1.1: the queue is bounded; beyond maxQueuedCalls a call rejects with QueueFull', async () => {
    const gate = deferred<void>();
    const { cp } = pair({
      cs: (r) =>
        r.on('Heartbeat', async () => {
          await gate.promise;
          return { currentTime: now };
        }),
      cpOptions: { maxQueuedCalls: 2 },
    });
    const accepted = [cp.call('Heartbeat', {}), cp.call('Heartbeat', {}), cp.call('Heartbeat', {})];
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ code: 'QueueFull' });
    gate.resolve();
    await expect(Promise.all(accepted)).resolves.toHaveLength(3);
  });

  test('OCPP-J 4.1.1: a CALL times out after the default 30 s; the next queued CALL then goes out', async () => {
    vi.useFakeTimers();
    const slow = deferred<{ currentTime: string }>();
    let heartbeats = 0;
    const timeouts: RpcSessionEvents['timeout'][] = [];
    const { cp } = pair({
      cs: (r) => {
        r.on('Heartbeat', () => {
          heartbeats += 1;
          return heartbeats === 1 ? slow.promise : { currentTime: now };
        });
      },
    });
    cp.on('timeout', (event) => timeouts.push(event));
    const first = cp.call('Heartbeat', {});
    const firstSettled = first.catch((error: unknown) => error);
    const second = cp.call('Heartbeat', {});
    await vi.advanceTimersByTimeAsync(29_999);
    expect(heartbeats).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await firstSettled;
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'Timeout', action: 'Heartbeat' });
    expect(timeouts).toEqual([expect.objectContaining({ action: 'Heartbeat', timeoutMs: 30_000 })]);
    // The central system handles CALLs in arrival order: the second waits for the first handler.
    slow.resolve({ currentTime: now });
    await expect(second).resolves.toEqual({ currentTime: now });
    expect(heartbeats).toBe(2);
  });

  test('OCPP-J 4.1.1: the timeout is configurable per session and per call', async () => {
    vi.useFakeTimers();
    const { cp } = pair({
      cs: (r) => r.on('Heartbeat', () => new Promise(() => {})),
      cpOptions: { callTimeoutMs: 1000 },
    });
    const bySession = cp.call('Heartbeat', {}).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(bySession).resolves.toMatchObject({ code: 'Timeout' });
    const byCall = cp.call('Heartbeat', {}, { timeoutMs: 50 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    await expect(byCall).resolves.toMatchObject({
      code: 'Timeout',
      message: expect.stringContaining('50 ms'),
    });
    await expect(cp.call('Heartbeat', {}, { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'InvalidOptions',
    });
  });

  test('OCPP-J 4.1.1: a CALLRESULT arriving after the timeout is ignored and reported as lateResult', async () => {
    vi.useFakeTimers();
    const slow = deferred<{ currentTime: string }>();
    const { cp } = pair({ cs: (r) => r.on('Heartbeat', () => slow.promise) });
    const late: RpcSessionEvents['lateResult'][] = [];
    cp.on('lateResult', (event) => late.push(event));
    const call = cp.call('Heartbeat', {}, { timeoutMs: 100 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    await expect(call).resolves.toMatchObject({ code: 'Timeout' });
    slow.resolve({ currentTime: now });
    await vi.advanceTimersByTimeAsync(0);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ messageType: 3 });
  });

  test('OCPP-J 4.1.4: a duplicate CALLRESULT for an answered CALL is ignored and reported as lateResult', async () => {
    const sent: string[] = [];
    const cp = new RpcSession({ protocol: ocpp16, side: 'ChargePoint', identity: 'CP-001' });
    cp.attach({ send: (text) => sent.push(text), close: () => {} });
    const late: RpcSessionEvents['lateResult'][] = [];
    cp.on('lateResult', (event) => late.push(event));
    const call = cp.call('Heartbeat', {});
    const id = JSON.parse(sent[0] as string)[1] as string;
    cp.receive(JSON.stringify([3, id, { currentTime: now }]));
    cp.receive(JSON.stringify([3, id, { currentTime: now }]));
    await expect(call).resolves.toEqual({ currentTime: now });
    expect(late.map((event) => event.messageId)).toEqual([id]);
  });

  test('OCPP-J 4.1.1: AbortSignal on a queued call removes it unsent; on the outstanding one it frees the slot', async () => {
    const gate = deferred<void>();
    const { cp, cs } = pair({
      cs: (r) =>
        r.on('DataTransfer', async (request) => {
          if (request.vendorId === 'first') await gate.promise;
          return { status: 'Accepted' };
        }),
    });
    const received: string[] = [];
    cs.on('frameIn', (event) => received.push(JSON.parse(event.text)[3]?.vendorId));
    const first = new AbortController();
    const queued = new AbortController();
    const a = cp.call('DataTransfer', { vendorId: 'first' }, { signal: first.signal });
    const b = cp.call('DataTransfer', { vendorId: 'queued' }, { signal: queued.signal });
    const c = cp.call('DataTransfer', { vendorId: 'last' });
    await settle();
    queued.abort(new Error('user gave up'));
    await expect(b).rejects.toMatchObject({
      code: 'Aborted',
      message: expect.stringContaining('before it was sent'),
    });
    first.abort();
    await expect(a).rejects.toMatchObject({
      code: 'Aborted',
      message: expect.stringContaining('awaiting its answer'),
    });
    // The peer still answers 'first' (a late result for us), then handles 'last'.
    gate.resolve();
    await expect(c).resolves.toEqual({ status: 'Accepted' });
    expect(received).toEqual(['first', 'last']);
  });

  test('OCPP-J 4.1.1: an already aborted signal rejects at once and sends nothing', async () => {
    const { cp, frames } = pair();
    await expect(cp.call('Heartbeat', {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'Aborted',
    });
    expect(frames).toEqual([]);
  });
});

describe('RpcSession pair: errors answered to the peer (OCPP-J 4.2.3)', () => {
  test('OCPP-J 4.2.3: a throwing handler gives InternalError without leaking its message', async () => {
    const errors: RpcSessionEvents['handlerError'][] = [];
    const { cp, cs } = pair({
      cs: (r) =>
        r.on('Heartbeat', () => {
          throw new Error('db password is hunter2');
        }),
    });
    cs.on('handlerError', (event) => errors.push(event));
    const error = await cp.call('Heartbeat', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InternalError', details: {} });
    expect((error as Error).message).not.toContain('hunter2');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error).toMatchObject({ message: 'db password is hunter2' });
  });

  test("OCPP-J 4.2.3: a peer's CALLERROR escaping a handler is not forwarded; the caller gets a plain InternalError", async () => {
    const errors: RpcSessionEvents['handlerError'][] = [];
    const { cp, cs } = pair({
      cs: (r) =>
        r.on('Heartbeat', async () => {
          // The handler asks the charge point something and lets its CALLERROR escape.
          await cs.call('Reset', { type: 'Soft' });
          return { currentTime: now };
        }),
      cp: (r) =>
        r.on('Reset', () => {
          throw new RpcError('NotSupported', 'vendor secret: reset locked', {
            details: { pin: 1 },
          });
        }),
    });
    cs.on('handlerError', (event) => errors.push(event));
    const error = await cp.call('Heartbeat', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InternalError', details: {} });
    expect((error as Error).message).not.toContain('vendor secret');
    expect(errors[0]?.error).toMatchObject({ code: 'NotSupported', peerCode: 'NotSupported' });
  });

  test('OCPP-J 4.2.3: with detailedErrors the handler error message reaches the peer', async () => {
    const { cp } = pair({
      cs: (r) =>
        r.on('Heartbeat', async () => {
          throw new TypeError('clock not set');
        }),
      csOptions: { detailedErrors: true },
    });
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({
      code: 'InternalError',
      message: 'TypeError: clock not set',
    });
  });

  test('OCPP-J errata 3.10: a handler throwing RpcError("SecurityError") answers exactly that CALLERROR', async () => {
    const { cp } = pair({
      cs: (r) =>
        r.on('StatusNotification', () => {
          throw new RpcError('SecurityError', 'not accepted yet; send BootNotification first', {
            details: { hint: 'boot' },
          });
        }),
    });
    await expect(
      cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
    ).rejects.toMatchObject({
      code: 'SecurityError',
      message: 'not accepted yet; send BootNotification first',
      details: { hint: 'boot' },
      peerCode: 'SecurityError',
    });
  });

  test('OCPP-J 4.2.3: a handler returning an invalid response sends InternalError, never the response; the local event names the field', async () => {
    const errors: RpcSessionEvents['handlerError'][] = [];
    const validation: RpcSessionEvents['validationFailed'][] = [];
    const { cp, cs, frames } = pair({
      cs: (r) =>
        // @ts-expect-error status 'Maybe' is not a RegistrationStatus: the router refuses it at compile time
        r.on('BootNotification', () => ({ status: 'Maybe', currentTime: now, interval: 300 })),
    });
    cs.on('handlerError', (event) => errors.push(event));
    cs.on('validationFailed', (event) => validation.push(event));
    await expect(cp.call('BootNotification', boot)).rejects.toMatchObject({
      code: 'InternalError',
    });
    expect(frames.some((frame) => frame.includes('Maybe'))).toBe(false);
    expect(errors[0]?.error).toMatchObject({
      code: 'InvalidOutgoingPayload',
      message: expect.stringContaining('/status'),
    });
    expect(validation[0]).toMatchObject({
      direction: 'outgoing',
      kind: 'response',
      action: 'BootNotification',
      code: 'PropertyConstraintViolation',
    });
  });

  test('OCPP-J 4.2.2: a handler returning nothing (no payload object) is an InternalError too', async () => {
    const { cp } = pair({
      // @ts-expect-error a handler must return the response
      cs: (r) => r.on('Heartbeat', () => undefined),
    });
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ code: 'InternalError' });
  });
});

describe('RpcSession pair: validation', () => {
  test('library contract: our own invalid request rejects locally with InvalidOutgoingPayload naming the field (details.code: the OCPP-J 4.2.3 code the peer would answer); nothing is sent', async () => {
    const { cp, frames } = pair();
    const error = await cp
      // @ts-expect-error chargePointModel is required
      .call('BootNotification', { chargePointVendor: 'VendorX' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'InvalidOutgoingPayload',
      details: { code: 'OccurenceConstraintViolation' },
    });
    expect((error as RpcError).message).toContain('/chargePointModel');
    expect((error as RpcError).failures?.[0]).toMatchObject({
      keyword: 'required',
      property: 'chargePointModel',
    });
    expect(frames).toEqual([]);
  });

  test('OCPP-J 4.2.3: the peer sees the CALLERROR for its invalid CALL when our outgoing check is off (strict incoming side)', async () => {
    const { cp } = pair({
      cs: (r) =>
        r.on('BootNotification', () => ({ status: 'Accepted', currentTime: now, interval: 300 })),
      cpOptions: { validation: { outgoingRequest: false } },
    });
    const error = await cp
      .call(
        'BootNotification',
        // @ts-expect-error chargePointVendor has the wrong type
        { ...boot, chargePointVendor: 42 },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'TypeConstraintViolation',
      peerCode: 'TypeConstraintViolation',
    });
    expect((error as Error).message).toContain('/chargePointVendor');
  });

  test('OCPP-J errata 3.2: validation can be switched off per action and direction for a peer that sends extra fields', async () => {
    const seen: unknown[] = [];
    const { cp } = pair({
      cs: (r) => {
        r.on('BootNotification', (request) => {
          seen.push(request);
          return { status: 'Accepted', currentTime: now, interval: 300 };
        });
        r.on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
      },
      cpOptions: { validation: { outgoingRequest: false } },
      csOptions: { validation: { actions: { BootNotification: { incomingRequest: false } } } },
    });
    const extra = { ...boot, vendorExtension: true };
    await expect(cp.call('BootNotification', extra)).resolves.toMatchObject({ status: 'Accepted' });
    expect(seen).toEqual([extra]);
    // @ts-expect-error idTag is required
    await expect(cp.call('Authorize', {})).rejects.toMatchObject({
      code: 'OccurenceConstraintViolation',
    });
  });

  test('OCPP-J 4.2.2: an invalid CALLRESULT from the peer rejects with InvalidIncomingPayload unless incoming responses are unchecked', async () => {
    for (const incomingResponse of [true, false]) {
      const sent: string[] = [];
      const cp = new RpcSession({
        protocol: ocpp16,
        side: 'ChargePoint',
        identity: 'CP-001',
        validation: { actions: { Heartbeat: { incomingResponse } } },
      });
      cp.attach({ send: (text) => sent.push(text), close: () => {} });
      const call = cp.call('Heartbeat', {}).catch((e: unknown) => e);
      cp.receive(`[3,${JSON.stringify(JSON.parse(sent[0] as string)[1])},{"currentTime":12}]`);
      if (incomingResponse) {
        await expect(call).resolves.toMatchObject({
          code: 'InvalidIncomingPayload',
          details: { code: 'TypeConstraintViolation' },
        });
      } else {
        await expect(call).resolves.toEqual({ currentTime: 12 });
      }
    }
  });

  test('library contract: validation.actions naming an action the protocol lacks is refused', () => {
    expect(
      () =>
        new RpcSession({
          protocol: ocpp16,
          side: 'ChargePoint',
          identity: 'CP-001',
          // @ts-expect-error not an OCPP 1.6 action
          validation: { actions: { Teleport: { incomingRequest: false } } },
        }),
    ).toThrow(expect.objectContaining({ code: 'InvalidOptions' }));
  });

  test('library contract: sessions sharing one validation object (one cached action table), or using different ones, each keep their own switches', () => {
    const lax = { actions: { Heartbeat: { incomingRequest: false } } } as const;
    const answer = (validation?: typeof lax) => {
      const sent: string[] = [];
      const session = new RpcSession({
        protocol: ocpp16,
        side: 'CentralSystem',
        identity: 'CP-001',
        router: createRouter(ocpp16, 'CentralSystem').on('Heartbeat', () => ({ currentTime: now })),
        ...(validation === undefined ? {} : { validation }),
      });
      session.attach({ send: (text) => sent.push(text), close: () => {} });
      session.receive('[2,"h","Heartbeat",{"extra":1}]');
      return JSON.parse(sent[0] as string)[0] as number;
    };
    expect([answer(lax), answer(), answer(lax), answer({ ...lax }), answer()]).toEqual([
      3, 4, 3, 3, 4,
    ]);
  });
});

describe('RpcSession: incoming order and concurrency', () => {
  function rawCentralSystem(incomingConcurrency?: number) {
    const sent: string[] = [];
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const router = createRouter(ocpp16, 'CentralSystem').on('DataTransfer', async (request) => {
      started.push(request.vendorId);
      const gate = deferred<void>();
      gates.set(request.vendorId, gate);
      await gate.promise;
      return { status: 'Accepted' };
    });
    const session = new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity: 'CP-001',
      router,
      ...(incomingConcurrency === undefined ? {} : { incomingConcurrency }),
    });
    session.attach({ send: (text) => sent.push(text), close: () => {} });
    for (const v of ['a', 'b', 'c'])
      session.receive(`[2,"${v}","DataTransfer",{"vendorId":"${v}"}]`);
    return { sent, started, gates };
  }

  test('OCPP-J 4.1.1: incoming CALLs are handled one at a time, in arrival order, by default', async () => {
    const { sent, started, gates } = rawCentralSystem();
    await settle();
    expect(started).toEqual(['a']);
    gates.get('a')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b']);
    gates.get('b')?.resolve();
    await settle();
    gates.get('c')?.resolve();
    await settle();
    expect(sent.map((text) => JSON.parse(text)[1])).toEqual(['a', 'b', 'c']);
  });

  test('OCPP-J 4.1.1: incomingConcurrency lets that many handlers run at once (answers correlate by id)', async () => {
    const { sent, started, gates } = rawCentralSystem(2);
    await settle();
    expect(started).toEqual(['a', 'b']);
    gates.get('b')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('c')?.resolve();
    gates.get('a')?.resolve();
    await settle();
    expect(sent.map((text) => JSON.parse(text)[1])).toEqual(['b', 'c', 'a']);
  });
});

describe('RpcSession: connection loss, re-attach and close', () => {
  test('OCPP-J 4.1.1 + library contract: detach rejects the outstanding CALL with ConnectionLost and keeps unsent calls for the next attach', async () => {
    const gate = deferred<void>();
    let handlerSignal: AbortSignal | undefined;
    const dropped: RpcSessionEvents['responseDropped'][] = [];
    const { cp, cs, link } = pair({
      cs: (r) =>
        r.on('DataTransfer', async (request, context) => {
          if (request.vendorId === 'first') {
            handlerSignal = context.signal;
            await gate.promise;
          }
          return { status: 'Accepted', data: request.vendorId };
        }),
    });
    cs.on('responseDropped', (event) => dropped.push(event));
    const first = cp.call('DataTransfer', { vendorId: 'first' });
    const second = cp.call('DataTransfer', { vendorId: 'second' });
    await settle();
    link.unlink(new Error('socket closed'));
    await expect(first).rejects.toMatchObject({
      code: 'ConnectionLost',
      cause: new Error('socket closed'),
    });
    expect(handlerSignal?.aborted).toBe(true);
    gate.resolve();
    await settle();
    expect(dropped).toEqual([{ action: 'DataTransfer', messageId: expect.any(String) }]);
    expect(cp.pendingCalls).toBe(1);
    linkInMemory(cp, cs);
    await expect(second).resolves.toMatchObject({ data: 'second' });
  });

  test('OCPP-J 4.1.1: calls made while detached wait for the next attach', async () => {
    const { cp, cs, link } = pair({ cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })) });
    link.unlink();
    const call = cp.call('Heartbeat', {});
    await settle();
    expect(cp.pendingCalls).toBe(1);
    linkInMemory(cp, cs);
    await expect(call).resolves.toEqual({ currentTime: now });
  });

  test('OCPP-J 4.1.1: with queueWhileDetached: false, queued calls reject on detach and new ones with NotConnected', async () => {
    const gate = deferred<void>();
    const { cp, link } = pair({
      cs: (r) =>
        r.on('Heartbeat', async () => {
          await gate.promise;
          return { currentTime: now };
        }),
      cpOptions: { queueWhileDetached: false },
    });
    const first = cp.call('Heartbeat', {});
    const queued = cp.call('Heartbeat', {});
    await settle();
    link.unlink();
    await expect(first).rejects.toMatchObject({ code: 'ConnectionLost' });
    await expect(queued).rejects.toMatchObject({
      code: 'ConnectionLost',
      message: expect.stringContaining('before'),
    });
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ code: 'NotConnected' });
  });

  test('OCPP-J 4.1.1: close rejects everything with Closed; later calls and frames are refused', async () => {
    const { cp } = pair({ cs: (r) => r.on('Heartbeat', () => new Promise(() => {})) });
    const a = cp.call('Heartbeat', {});
    const b = cp.call('Heartbeat', {});
    cp.close();
    await expect(a).rejects.toMatchObject({ code: 'Closed' });
    await expect(b).rejects.toMatchObject({ code: 'Closed' });
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ code: 'Closed' });
    expect(() => cp.receive('[3,"x",{}]')).not.toThrow();
    expect(() => cp.attach({ send: () => {}, close: () => {} })).toThrow(
      expect.objectContaining({ code: 'Closed' }),
    );
  });
});

describe('RpcSession: received CALLERRORs', () => {
  function chargePoint() {
    const sent: string[] = [];
    const bad: RpcSessionEvents['badMessage'][] = [];
    const cp = new RpcSession({ protocol: ocpp16, side: 'ChargePoint', identity: 'CP-001' });
    cp.attach({ send: (text) => sent.push(text), close: () => {} });
    cp.on('badMessage', (event) => bad.push(event));
    const call = cp.call('Heartbeat', {}).catch((e: unknown) => e);
    const id = JSON.stringify(JSON.parse(sent[0] as string)[1]);
    return { cp, call, id, bad, sent };
  }

  for (const [sentCode, code] of [
    ['FormatViolation', 'FormationViolation'],
    ['FormationViolation', 'FormationViolation'],
    ['OccurrenceConstraintViolation', 'OccurenceConstraintViolation'],
    ['OccurenceConstraintViolation', 'OccurenceConstraintViolation'],
    ['NotSupported', 'NotSupported'],
    ['RpcFrameworkError', 'GenericError'],
  ] as const) {
    test(`OCPP-J errata 5.1/5.2: a received ${sentCode} surfaces as RpcError code ${code}`, async () => {
      const { cp, call, id } = chargePoint();
      cp.receive(`[4,${id},"${sentCode}","nope",{"field":"x"}]`);
      await expect(call).resolves.toMatchObject({
        code,
        peerCode: sentCode,
        message: 'nope',
        details: { field: 'x' },
        action: 'Heartbeat',
      });
    });
  }

  const broken = [
    ['4 elements (errorDetails missing)', '"GenericError","x"', 'missingElements'],
    ['a numeric error code', '7,"x",{}', 'invalidErrorCode'],
    ['a null description', '"GenericError",null,{}', 'invalidErrorDescription'],
    ['array details', '"GenericError","x",[]', 'invalidErrorDetails'],
  ] as const;
  for (const [name, rest, reason] of broken) {
    test(`OCPP-J 4.2.3: a CALLERROR with ${name} fails the call with MalformedFrame`, async () => {
      const { cp, call, id, bad, sent } = chargePoint();
      cp.receive(`[4,${id},${rest}]`);
      await expect(call).resolves.toMatchObject({ code: 'MalformedFrame' });
      expect(bad.map((event) => event.reason)).toEqual([reason]);
      expect(sent).toHaveLength(1);
    });
  }

  test('OCPP-J 4.2.2: a CALLRESULT with a non-object payload fails the call with MalformedFrame', async () => {
    const { cp, call, id, bad } = chargePoint();
    cp.receive(`[3,${id},"ok"]`);
    await expect(call).resolves.toMatchObject({ code: 'MalformedFrame' });
    expect(bad.map((event) => event.reason)).toEqual(['invalidPayload']);
  });
});

describe('RpcSession: events', () => {
  test('library contract: a throwing listener never breaks frame processing; it is reported as listenerError', async () => {
    const { cp, cs } = pair({ cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })) });
    const reported: RpcSessionEvents['listenerError'][] = [];
    cs.on('frameIn', () => {
      throw new Error('listener bug');
    });
    cs.on('listenerError', (event) => reported.push(event));
    await expect(cp.call('Heartbeat', {})).resolves.toEqual({ currentTime: now });
    expect(reported).toEqual([{ event: 'frameIn', error: new Error('listener bug') }]);
  });

  test('library contract: frameIn sees every frame until off removes the listener', async () => {
    const { cp, cs } = pair({ cs: (r) => r.on('Heartbeat', () => ({ currentTime: now })) });
    const seen: string[] = [];
    const listener = (event: { text: string }) => seen.push(event.text);
    cs.on('frameIn', listener);
    await cp.call('Heartbeat', {});
    cs.off('frameIn', listener);
    await cp.call('Heartbeat', {});
    expect(seen).toHaveLength(1);
  });
});
