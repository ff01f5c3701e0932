import { once } from 'node:events';
import { onTestFinished } from 'vitest';
import { ChargePoint } from '../charge-point.js';
import type { ChargePointOptions } from '../charge-point-options.js';
import type { ChargePointEvents } from '../core/events.js';
import { tempDirectory } from './temp-store.js';
import { TestHardware } from './test-hardware.js';

export const testBoot = {
  chargePointVendor: 'ocpp-kit',
  chargePointModel: 'Test Wallbox',
  chargePointSerialNumber: 'SN-1',
  firmwareVersion: '1.0.0',
} as const;

/** A ChargePoint on a fresh storage directory with TestHardware, stopped when the test ends. */
export function testChargePoint(csms: string, options: Partial<ChargePointOptions> = {}) {
  const hardware = (options.hardware as TestHardware | undefined) ?? new TestHardware();
  const directory = tempDirectory('cp');
  const chargePoint = new ChargePoint({
    identity: 'CP1',
    csms,
    boot: testBoot,
    connectors: 2,
    hardware,
    storage: { directory },
    reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    ...options,
  });
  onTestFinished(() => chargePoint.stop());
  return { chargePoint, hardware, directory };
}

/** The next `event` of a charge point. */
export async function next<E extends keyof ChargePointEvents>(
  chargePoint: ChargePoint,
  event: E,
): Promise<ChargePointEvents[E][0]> {
  const [payload] = (await once(chargePoint as never, event)) as [ChargePointEvents[E][0]];
  return payload;
}
