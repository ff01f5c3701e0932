import { describe, expect, test } from 'vitest';
import {
  authorizationKeyEquals,
  authorizationKeyToHex,
  encodeBasicAuthorization,
  generateAuthorizationKey,
  isValidAuthorizationKey,
  parseAuthorizationKey,
  parseBasicAuthorization,
} from './authorization-key.js';
import { SecurityError } from './errors.js';

describe('AuthorizationKey (whitepaper A00.FR.205, §7.2)', () => {
  test('generates 20 random bytes whose hex form is 40 characters', () => {
    const a = generateAuthorizationKey();
    expect(a).toHaveLength(20);
    expect(authorizationKeyToHex(a)).toMatch(/^[0-9A-F]{40}$/);
    expect(a.equals(generateAuthorizationKey())).toBe(false);
  });

  test.each([
    ['too short (15 bytes)', '00'.repeat(15)],
    ['too long (21 bytes)', '00'.repeat(21)],
    ['odd number of digits', `${'0'.repeat(33)}`],
    ['not hex', `${'0'.repeat(30)}zz`],
    ['empty', ''],
  ])('rejects a key that is %s', (_why, value) => {
    expect(isValidAuthorizationKey(value)).toBe(false);
    expect(() => parseAuthorizationKey(value)).toThrowError(
      expect.objectContaining({ code: 'INVALID_AUTHORIZATION_KEY' }),
    );
  });

  test('round-trips hex of either case', () => {
    const key = parseAuthorizationKey('0001020304050607ffffffcccccccccccccccccc');
    expect(authorizationKeyToHex(key)).toBe('0001020304050607FFFFFFCCCCCCCCCCCCCCCCCC');
  });
});

describe('HTTP Basic credentials (OCPP-J 1.6 §6.2.2, A00.FR.203-204)', () => {
  // The OCPP-J example: identity AL1000, key bytes starting 00 01 02 ... FF.
  const key = parseAuthorizationKey('0001020304050607FFFFFFCCCCCCCCCCCCCCCCCC');

  test('encodes the key as raw bytes after "identity:"', () => {
    const header = encodeBasicAuthorization('AL1000', key);
    expect(header.startsWith('Basic QUwxMDAwOgABAgMEBQYH////')).toBe(true);
    const raw = Buffer.from(header.slice(6), 'base64');
    expect(raw.subarray(7).equals(key)).toBe(true);
  });

  test('parses back the exact bytes, including bytes >= 0x80', () => {
    const parsed = parseBasicAuthorization(encodeBasicAuthorization('AL1000', key));
    expect(parsed?.username).toBe('AL1000');
    expect(parsed?.password.equals(key)).toBe(true);
  });

  test('refuses an identity containing ":" when encoding', () => {
    expect(() => encodeBasicAuthorization('a:b', key)).toThrow(SecurityError);
  });

  test.each([
    ['missing', undefined],
    ['another scheme', 'Bearer abc'],
    ['bad base64', 'Basic !!!!'],
    ['no colon', `Basic ${Buffer.from('AL1000').toString('base64')}`],
    ['empty username', `Basic ${Buffer.from(':x').toString('base64')}`],
    ['non-UTF-8 username', `Basic ${Buffer.from([0xff, 0x3a, 0x41]).toString('base64')}`],
  ])('returns undefined for a header that is %s', (_why, header) => {
    expect(parseBasicAuthorization(header)).toBeUndefined();
  });

  test('compares keys by content and length', () => {
    expect(authorizationKeyEquals(key, Buffer.from(key))).toBe(true);
    expect(authorizationKeyEquals(key, key.subarray(0, 19))).toBe(false);
    const other = Buffer.from(key);
    other[19] = 0;
    expect(authorizationKeyEquals(key, other)).toBe(false);
  });
});
