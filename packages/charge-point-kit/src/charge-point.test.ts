import { describe, expect, test } from 'vitest';
import { ChargePoint } from './charge-point.js';
import { tempDirectory } from './test-helpers/temp-store.js';
import { testBoot } from './test-helpers/test-charge-point.js';
import { TestHardware } from './test-helpers/test-hardware.js';

const base = () => ({
  identity: 'CP1',
  csms: 'ws://127.0.0.1:1',
  boot: testBoot,
  connectors: 1,
  hardware: new TestHardware(),
  storage: { directory: tempDirectory() },
});

describe('ChargePoint options', () => {
  test.each([
    ['no identity', { identity: '' }, 'identity'],
    ['no connectors', { connectors: 0 }, 'connectors'],
    ['no CSMS URL', { csms: [] }, 'csms'],
    ['profile 1 without a key', { securityProfile: 1 as const }, 'authorizationKey'],
    ['a cache of size 0', { authorizationCacheSize: 0 }, 'authorizationCacheSize'],
    [
      'a measurand no reading carries',
      { hardware: Object.assign(new TestHardware(), { measurands: ['Frequency'] }) },
      'Frequency',
    ],
  ])('%s is INVALID_OPTIONS naming it', (_, change, named) => {
    expect(() => new ChargePoint({ ...base(), ...change })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(named) }),
    );
  });

  test('a configuration value its key refuses is INVALID_CONFIGURATION_VALUE naming the reason', () => {
    expect(
      () => new ChargePoint({ ...base(), configuration: { values: { HeartbeatInterval: -1 } } }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIGURATION_VALUE',
        message: 'HeartbeatInterval must be at least 0',
      }),
    );
  });
});
