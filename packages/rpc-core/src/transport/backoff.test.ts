import { describe, expect, test } from 'vitest';
import { RpcError } from '../errors.js';
import { backoffDelay, defaultBackoff, resolveBackoff } from './backoff.js';

describe('reconnect backoff (OCPP-J errata §3.4)', () => {
  const policy = resolveBackoff({ initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0.5 });

  test('grows exponentially and is capped at maxDelayMs', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, policy, noJitter))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  test('jitter removes up to the configured fraction', () => {
    expect(backoffDelay(2, policy, () => 0.999_999)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(300);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, policy);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  test('defaults fill missing bounds', () => {
    expect(resolveBackoff(undefined)).toEqual(defaultBackoff);
    expect(resolveBackoff({ maxAttempts: 3 }).maxAttempts).toBe(3);
  });

  test.each([
    [{ initialDelayMs: -1 }, 'initialDelayMs'],
    [{ initialDelayMs: 10, maxDelayMs: 5 }, 'maxDelayMs'],
    [{ factor: 0.5 }, 'factor'],
    [{ jitter: 2 }, 'jitter'],
    [{ maxAttempts: Number.NaN }, 'maxAttempts'],
  ])('rejects %o naming %s', (options, name) => {
    const error = (() => {
      try {
        resolveBackoff(options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe('InvalidOptions');
    expect((error as RpcError).message).toContain(name);
  });
});
