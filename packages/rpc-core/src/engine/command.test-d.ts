import {
  type ActionsSentBy,
  type BootNotificationRequest,
  type ClearCacheResponse,
  ocpp16,
  type ResetRequest,
  type ResetResponse,
} from '@ocpp-kit/messages';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type CommandOf,
  type CommandResponseOf,
  isSendableAction,
  parseCommand,
} from './command.js';
import { RpcSession } from './session.js';

type P = typeof ocpp16;

describe('commands chosen at run time stay typed', () => {
  test('CommandOf is a discriminated union of the actions the side sends', () => {
    type Cs = CommandOf<P, 'CentralSystem'>;
    expectTypeOf<Extract<Cs, { action: 'Reset' }>['payload']>().toEqualTypeOf<ResetRequest>();
    expectTypeOf<Extract<Cs, { action: 'BootNotification' }>>().toBeNever();
    expectTypeOf<
      Extract<CommandOf<P, 'ChargePoint'>, { action: 'BootNotification' }>['payload']
    >().toEqualTypeOf<BootNotificationRequest>();
  });

  test('a parsed command narrows by action and passes straight to call', async () => {
    const session = new RpcSession({ protocol: ocpp16, side: 'CentralSystem', identity: 'CP1' });
    const command = parseCommand(ocpp16, 'CentralSystem', { action: 'Reset', payload: {} });
    if (command.action === 'Reset')
      expectTypeOf(command.payload.type).toEqualTypeOf<'Hard' | 'Soft'>();
    const response = await session.call(command.action, command.payload);
    expectTypeOf(response).toEqualTypeOf<CommandResponseOf<P, 'CentralSystem', typeof command>>();
    expectTypeOf<ResetResponse>().toExtend<typeof response>();
    expectTypeOf<ClearCacheResponse>().toExtend<typeof response>();
  });

  test('isSendableAction narrows an untrusted string', () => {
    const name: unknown = 'Reset';
    if (isSendableAction(ocpp16, 'ChargePoint', name)) {
      expectTypeOf(name).toEqualTypeOf<ActionsSentBy<'ChargePoint'>>();
      // @ts-expect-error a charge point never sends Reset
      expectTypeOf(name).toExtend<'Reset'>();
    }
  });
});
