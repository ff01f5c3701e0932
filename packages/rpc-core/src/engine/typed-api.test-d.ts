import {
  type BootNotificationResponse,
  type GetConfigurationResponse,
  ocpp16,
  type ResetResponse,
} from '@ocpp-kit/messages';
import { describe, expectTypeOf, test } from 'vitest';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';
import type { CheckHandled, CheckSendable, HandledAction, SendableAction } from './types.js';

const now = '2026-01-01T00:00:00Z';

describe('typed router (types inferred from the ocpp16 descriptor)', () => {
  test('a central system handles only charge-point-to-central-system actions', () => {
    const router = createRouter(ocpp16, 'CentralSystem');
    router.on('BootNotification', async (request, context) => {
      expectTypeOf(request.chargePointVendor).toEqualTypeOf<string>();
      expectTypeOf(context.action).toEqualTypeOf<'BootNotification'>();
      expectTypeOf(context.messageId).toEqualTypeOf<string>();
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
      return { status: 'Accepted', currentTime: now, interval: 300 };
    });
    router.on('Heartbeat', () => ({ currentTime: now }));
    // @ts-expect-error Reset is sent by the central system, never received by it
    router.on('Reset', () => ({ status: 'Accepted' }));
    // @ts-expect-error not an OCPP 1.6 action
    router.on('Teleport', () => ({}));
  });

  test('a handler must return a valid response', () => {
    const router = createRouter(ocpp16, 'CentralSystem');
    // @ts-expect-error 'Maybe' is not a RegistrationStatus
    router.on('BootNotification', () => ({ status: 'Maybe', currentTime: now, interval: 300 }));
    // @ts-expect-error interval is required
    router.on('BootNotification', async () => ({ status: 'Accepted', currentTime: now }));
    // @ts-expect-error unknown property in the response
    router.on('Heartbeat', () => ({ currentTime: now, extra: 1 }));
  });

  test('a charge point handles central-system-to-charge-point actions; DataTransfer goes both ways', () => {
    const router = createRouter(ocpp16, 'ChargePoint');
    router.on('Reset', (request) => {
      expectTypeOf(request.type).toEqualTypeOf<'Hard' | 'Soft'>();
      return { status: 'Accepted' };
    });
    router.on('DataTransfer', () => ({ status: 'Rejected' }));
    // @ts-expect-error the charge point sends BootNotification, it does not handle it
    router.on('BootNotification', () => ({ status: 'Accepted', currentTime: now, interval: 1 }));
    expectTypeOf<'DataTransfer'>().toExtend<HandledAction<typeof ocpp16, 'ChargePoint'>>();
    expectTypeOf<'DataTransfer'>().toExtend<SendableAction<typeof ocpp16, 'ChargePoint'>>();
  });

  test('context.state is the session state type given with withState<T>()', () => {
    const router = createRouter(ocpp16, 'CentralSystem').withState<{ tenant: string }>();
    router.on('Heartbeat', (_request, context) => {
      expectTypeOf(context.state).toEqualTypeOf<{ tenant: string }>();
      return { currentTime: now };
    });
    new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity: 'CP1',
      router,
      state: { tenant: 't' },
    });
    new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity: 'CP1',
      router,
      // @ts-expect-error state must match the router's state type
      state: { tenant: 1 },
    });
    new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity: 'CP1',
      // @ts-expect-error a charge point router cannot serve a central system session
      router: createRouter(ocpp16, 'ChargePoint'),
    });
  });
});

describe('typed session.call', () => {
  test('resolves to the typed response of the action', () => {
    const cs = new RpcSession({ protocol: ocpp16, side: 'CentralSystem', identity: 'CP1' });
    expectTypeOf(cs.call('Reset', { type: 'Soft' })).toEqualTypeOf<Promise<ResetResponse>>();
    expectTypeOf(cs.call('GetConfiguration', {})).toEqualTypeOf<
      Promise<GetConfigurationResponse>
    >();
    const cp = new RpcSession({ protocol: ocpp16, side: 'ChargePoint', identity: 'CP1' });
    expectTypeOf(
      cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }),
    ).toEqualTypeOf<Promise<BootNotificationResponse>>();
  });

  test('compiles only for actions the side sends, with a valid request', () => {
    const cs = new RpcSession({ protocol: ocpp16, side: 'CentralSystem', identity: 'CP1' });
    // @ts-expect-error a central system does not send BootNotification
    void cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    // @ts-expect-error 'Warm' is not a ResetType
    void cs.call('Reset', { type: 'Warm' });
    // @ts-expect-error type is required
    void cs.call('Reset', {});
    void cs.call(
      'Reset',
      { type: 'Hard' },
      { timeoutMs: 5000, signal: AbortSignal.timeout(10_000) },
    );
    // @ts-expect-error unknown call option
    void cs.call('Reset', { type: 'Hard' }, { retries: 3 });
  });
});

// Issue: a wrong-side handler failed with "not assignable to ... HandledAction<ProtocolDescriptor
// <...>, 'CentralSystem'>"; the parameter type is now the sentence the run-time error says.
describe('regression: wrong-side errors were unreadable at compile time', () => {
  type P = typeof ocpp16;
  test('a wrong-side handler names the side, the action and the direction', () => {
    expectTypeOf<
      CheckHandled<P, 'CentralSystem', 'Reset'>
    >().toEqualTypeOf<"CentralSystem never receives a 'Reset' CALL; register handlers only for actions sent ChargePointToCentralSystem">();
    expectTypeOf<
      CheckHandled<P, 'ChargePoint', 'BootNotification'>
    >().toEqualTypeOf<"ChargePoint never receives a 'BootNotification' CALL; register handlers only for actions sent CentralSystemToChargePoint">();
    expectTypeOf<
      CheckHandled<P, 'CentralSystem', 'Teleport'>
    >().toEqualTypeOf<"'Teleport' is not an action of this protocol">();
    expectTypeOf<CheckHandled<P, 'CentralSystem', 'Heartbeat'>>().toEqualTypeOf<'Heartbeat'>();
  });
  test('a wrong-side call names the side, the action and the direction', () => {
    expectTypeOf<
      CheckSendable<P, 'CentralSystem', 'BootNotification'>
    >().toEqualTypeOf<"CentralSystem never sends a 'BootNotification' CALL; call only actions sent CentralSystemToChargePoint">();
    expectTypeOf<
      CheckSendable<P, 'ChargePoint', 'Reset'>
    >().toEqualTypeOf<"ChargePoint never sends a 'Reset' CALL; call only actions sent ChargePointToCentralSystem">();
    expectTypeOf<CheckSendable<P, 'ChargePoint', 'DataTransfer'>>().toEqualTypeOf<'DataTransfer'>();
  });
});
