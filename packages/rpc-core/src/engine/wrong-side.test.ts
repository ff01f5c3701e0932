// A wrong-side handler or call fails at run time (untyped callers) with the same sentence the
// compiler shows as the parameter type (CheckHandled / CheckSendable, typed-api.test-d.ts).
import { ocpp16 } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';

describe('wrong-side actions (OCPP-J §4.1: each action has a direction)', () => {
  test('router.on: the side never receives the action', () => {
    const router = createRouter(ocpp16, 'CentralSystem');
    // @ts-expect-error Reset is sent by the central system
    expect(() => router.on('Reset', () => ({ status: 'Accepted' }))).toThrow(
      expect.objectContaining({
        code: 'UnknownAction',
        message:
          "CentralSystem never receives a 'Reset' CALL; register handlers only for actions sent ChargePointToCentralSystem",
      }),
    );
  });

  test('session.call: the side never sends the action', async () => {
    const session = new RpcSession({ protocol: ocpp16, side: 'CentralSystem', identity: 'CP1' });
    // @ts-expect-error BootNotification is sent by the charge point
    await expect(session.call('BootNotification', {})).rejects.toMatchObject({
      code: 'UnknownAction',
      message:
        "CentralSystem never sends a 'BootNotification' CALL; call only actions sent CentralSystemToChargePoint",
    });
    session.close();
  });
});
