import { describe, expect, test } from 'vitest';
import { connectionUrl, identityFromRequestTarget } from './identity.js';

describe('connection URL (OCPP-J 1.6 §3.1.1)', () => {
  test('§3.1.1 example 1: identity appended after a slash', () => {
    expect(connectionUrl('ws://centralsystem.example.com/ocpp', 'CP001').href).toBe(
      'ws://centralsystem.example.com/ocpp/CP001',
    );
  });

  test('§3.1.1 example 2: identity percent-encoded', () => {
    expect(connectionUrl('wss://centralsystem.example.com/ocppj', 'RDAM 123').href).toBe(
      'wss://centralsystem.example.com/ocppj/RDAM%20123',
    );
  });

  test('§3.1.1: reserved characters of the identity never become path structure', () => {
    const url = connectionUrl('ws://127.0.0.1:9000/ocpp/', 'a/b?c#d%e');
    expect(url.pathname).toBe('/ocpp/a%2Fb%3Fc%23d%25e');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });
});

describe('identity from the request path (OCPP-J 1.6 §3.1.1, §3.2)', () => {
  test('decodes the last segment under the endpoint path', () => {
    expect(identityFromRequestTarget('/ocpp/RDAM%20123', '/ocpp')).toEqual({
      ok: true,
      identity: 'RDAM 123',
    });
    expect(identityFromRequestTarget('/CP001?token=x', '/')).toEqual({
      ok: true,
      identity: 'CP001',
    });
  });

  test('round-trips through connectionUrl for awkward identities', () => {
    for (const identity of ['CP-1', 'é ünïcode', 'a%2F', '100%', 'x?y#z']) {
      const url = connectionUrl('ws://h/base', identity);
      expect(identityFromRequestTarget(url.pathname + url.search, '/base')).toEqual({
        ok: true,
        identity,
      });
    }
  });

  test.each([
    ['/other/CP001', 'OutsideEndpoint'],
    ['/ocpp/a/b', 'OutsideEndpoint'],
    ['/ocpp/', 'Empty'],
    ['/ocpp/%E0%A4%A', 'BadEncoding'],
    ['/ocpp/%ZZ', 'BadEncoding'],
    ['/ocpp/a%2Fb', 'BadCharacter'],
    ['/ocpp/a%00b', 'BadCharacter'],
    ['/ocpp/a%3Ab', 'BadCharacter'],
    [`/ocpp/${'x'.repeat(49)}`, 'TooLong'],
  ])('refuses %s (%s)', (target, problem) => {
    expect(identityFromRequestTarget(target, '/ocpp')).toEqual({ ok: false, problem });
  });

  test('the length limit is configurable', () => {
    expect(identityFromRequestTarget(`/${'x'.repeat(60)}`, '/', 64).ok).toBe(true);
  });
});
