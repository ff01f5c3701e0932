import { ocpp16 } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { isSendableAction, parseCommand } from './command.js';
import { linkInMemory } from './in-memory-link.js';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';

describe('parseCommand: an operator-chosen CALL checked at the boundary (OCPP-J §4.2.3)', () => {
  test('a valid command is returned unchanged and goes out as a typed call', async () => {
    const router = createRouter(ocpp16, 'ChargePoint').on('Reset', ({ type }) => ({
      status: type === 'Soft' ? 'Accepted' : 'Rejected',
    }));
    const cp = new RpcSession({ protocol: ocpp16, side: 'ChargePoint', identity: 'CP1', router });
    const cs = new RpcSession({ protocol: ocpp16, side: 'CentralSystem', identity: 'CP1' });
    linkInMemory(cp, cs);
    const body: unknown = JSON.parse('{"action":"Reset","payload":{"type":"Soft"}}');
    const command = parseCommand(
      ocpp16,
      'CentralSystem',
      body as { action: unknown; payload: unknown },
    );
    expect(command).toEqual({ action: 'Reset', payload: { type: 'Soft' } });
    await expect(cs.call(command.action, command.payload)).resolves.toEqual({ status: 'Accepted' });
  });

  test('an action of the other direction is UnknownAction naming it and the direction', () => {
    expect(() =>
      parseCommand(ocpp16, 'CentralSystem', { action: 'BootNotification', payload: {} }),
    ).toThrow(
      expect.objectContaining({
        code: 'UnknownAction',
        action: 'BootNotification',
        message:
          "CentralSystem cannot send 'BootNotification': name an action sent CentralSystemToChargePoint",
      }),
    );
  });

  test.each([
    [42, 'a non-string action (number)'],
    [undefined, 'a non-string action (undefined)'],
    ['__proto__', "'__proto__'"],
    ['x'.repeat(10_000), `'${'x'.repeat(64)}'`],
  ])('a non-action %#: UnknownAction, the name capped at 64 characters', (action, shown) => {
    expect(() => parseCommand(ocpp16, 'ChargePoint', { action, payload: {} })).toThrow(
      expect.objectContaining({
        code: 'UnknownAction',
        message: `ChargePoint cannot send ${shown}: name an action sent ChargePointToCentralSystem`,
      }),
    );
  });

  test('a payload that fails the schema is InvalidOutgoingPayload naming the field and its CALLERROR code', () => {
    let error: unknown;
    try {
      parseCommand(ocpp16, 'CentralSystem', { action: 'Reset', payload: { type: 'Warm' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'InvalidOutgoingPayload',
      action: 'Reset',
      details: { code: 'PropertyConstraintViolation' },
      failures: [expect.objectContaining({ instancePath: '/type', keyword: 'enum' })],
    });
    expect((error as Error).message).toMatch(/^'Reset' request is invalid: \/type/);
    expect(() => parseCommand(ocpp16, 'CentralSystem', { action: 'Reset', payload: [] })).toThrow(
      expect.objectContaining({ code: 'InvalidOutgoingPayload' }),
    );
  });

  test('isSendableAction follows the descriptor directions (DataTransfer goes both ways)', () => {
    expect(isSendableAction(ocpp16, 'ChargePoint', 'DataTransfer')).toBe(true);
    expect(isSendableAction(ocpp16, 'CentralSystem', 'DataTransfer')).toBe(true);
    expect(isSendableAction(ocpp16, 'ChargePoint', 'Reset')).toBe(false);
    expect(isSendableAction(ocpp16, 'ChargePoint', 'constructor')).toBe(false);
    expect(isSendableAction(ocpp16, 'ChargePoint', null)).toBe(false);
  });
});
