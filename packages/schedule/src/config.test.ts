import { describe, expect, test } from 'vitest';
import { defaultScheduleConfig, resolveScheduleConfig } from './config.js';

describe('ScheduleConfig (§9.4 configuration keys)', () => {
  test("defaults are the seeds' reference charger: 10 profiles, stack levels up to 8, 24 periods", () => {
    const config = resolveScheduleConfig({ connectors: 2 });
    expect(config).toMatchObject({
      connectors: 2,
      maxProfiles: 10,
      maxStackLevel: 8,
      maxPeriods: 24,
      supplyVoltage: 230,
    });
    expect(defaultScheduleConfig.defaultLimitW).toBe(48 * 230 * 3);
  });

  test.each([
    [{ connectors: 0 }, 'connectors'],
    [{ connectors: 1, maxStackLevel: -1 }, 'maxStackLevel'],
    [{ connectors: 1, maxProfiles: 1.5 }, 'maxProfiles'],
    [{ connectors: 1, maxPeriods: 0 }, 'maxPeriods'],
    [{ connectors: 1, supplyVoltage: 0 }, 'supplyVoltage'],
    [{ connectors: 1, supplyVoltage: 1e-300 }, 'supplyVoltage'],
    [{ connectors: 1, supplyVoltage: 1e6 }, 'supplyVoltage'],
    [{ connectors: 1, defaultLimitA: Number.NaN }, 'defaultLimitA'],
    [{ connectors: 1, defaultLimitW: 1e306 }, 'defaultLimitW'],
    [{ connectors: 1, allowedChargingRateUnits: [] }, 'allowedChargingRateUnits'],
    [{ connectors: 1, allowedChargingRateUnits: ['Amps' as never] }, 'allowedChargingRateUnits'],
  ])('%j is rejected with INVALID_CONFIG naming %s', (config, field) => {
    expect(() => resolveScheduleConfig(config)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(field) }),
    );
  });
});
