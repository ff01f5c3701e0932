import { describe, expect, test } from 'vitest';
import { acceptedChargePoint } from '../test-helpers/accepted.js';
import { next } from '../test-helpers/test-charge-point.js';

describe('Reset (§5.14, errata 3.36)', () => {
  test.each([
    ['Soft', 'SoftReset'],
    ['Hard', 'HardReset'],
  ] as const)(
    '%s: answered first, running transactions stopped (%s) and delivered, then the adapter reboots',
    async (type, reason) => {
      const { csms, connection, chargePoint, hardware } = await acceptedChargePoint();
      chargePoint.plugIn(1);
      await chargePoint.presentIdTag('TAG');
      await csms.waitFor('StartTransaction');
      const reset = next(chargePoint, 'reset');
      await expect(connection.call('Reset', { type })).resolves.toEqual({ status: 'Accepted' });
      expect(await reset).toEqual({ type });
      const [stop] = await csms.waitFor('StopTransaction');
      expect(stop?.payload.reason).toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(hardware.reboots).toEqual([type]);
      expect(chargePoint.queuedMessages).toBe(0);
    },
  );

  test('§9.1.22 ResetRetries: a reboot that throws is tried again', async () => {
    const { connection, chargePoint, hardware } = await acceptedChargePoint({
      configuration: { values: { ResetRetries: 2 } },
    });
    let failures = 2;
    hardware.reboot = (type) => {
      hardware.reboots.push(type);
      if (failures-- > 0) throw new Error('watchdog refused');
    };
    const reset = next(chargePoint, 'reset');
    await connection.call('Reset', { type: 'Soft' });
    await reset;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hardware.reboots).toEqual(['Soft', 'Soft', 'Soft']);
  });
});
