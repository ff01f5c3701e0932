import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isDateTime, isUri } from './formats.js';

// The reference: ajv-formats "full" mode, which the validators were compiled against.
const ajvDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const ajvUri = fullFormats.uri as (s: string) => boolean;

describe('isDateTime (RFC 3339 §5.6, OCPP-J 1.6 §4.1.6 dateTime)', () => {
  test.each([
    '2025-03-01T10:15:00Z',
    '2025-03-01t10:15:00z',
    '2025-03-01 10:15:00Z',
    '2025-03-01T10:15:00.123456+01:00',
    '2024-02-29T00:00:00-05:30',
    '2025-03-01T10:15:00+0100',
    '2025-03-01T10:15:00+01',
    '2016-12-31T23:59:60Z',
    '2017-01-01T00:59:60+01:00',
  ])('accepts %s', (s) => {
    expect(isDateTime(s)).toBe(true);
    expect(ajvDateTime(s)).toBe(true);
  });
  test.each([
    '2025-03-01T10:15:00',
    '2025-02-29T10:15:00Z',
    '2025-13-01T10:15:00Z',
    '2025-03-01T24:00:00Z',
    '2025-03-01T10:60:00Z',
    '2025-03-01T10:15:60Z',
    '2025-03-01T10:15:00.Z',
    '2025-03-01T10:15:00+24:00',
    '2025-03-01T10:15:00+01:60',
    '2025-03-01T10:15:00+01:0',
    '2025-03-01T10:15:00ZZ',
    '2025-3-01T10:15:00Z',
    '2025-03-01X10:15:00Z',
    '',
  ])('rejects %s', (s) => {
    expect(isDateTime(s)).toBe(false);
    expect(ajvDateTime(s)).toBe(false);
  });
  test('agrees with ajv-formats on generated date-time-like strings', () => {
    const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
    const piece = fc.oneof(
      two,
      fc.constantFrom('60', '00', '23', '59', '29', '30', '31', '02', '12', '13'),
    );
    const sep = fc.constantFrom('T', 't', ' ', '\t', 'X', '\u2003');
    const frac = fc.constantFrom('', '.5', '.000', '.', '.1234');
    const tz = fc.oneof(
      fc.constantFrom('Z', 'z', '', 'ZZ'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          piece,
          fc.constantFrom(':', '', ':0'),
          fc.oneof(piece, fc.constant('')),
        )
        .map((p) => p.join('')),
    );
    const year = fc.constantFrom('2000', '1900', '2024', '2025', '0000', '20a5');
    const candidate = fc
      .tuple(year, piece, piece, sep, piece, piece, piece, frac, tz)
      .map(([y, mo, d, s, h, mi, se, f, z]) => `${y}-${mo}-${d}${s}${h}:${mi}:${se}${f}${z}`);
    fc.assert(
      fc.property(fc.oneof(candidate, fc.string()), (s) => isDateTime(s) === ajvDateTime(s)),
      { numRuns: 20_000 },
    );
  });
});

describe('isUri (RFC 3986 absolute URI, GetDiagnostics.req and UpdateFirmware.req location)', () => {
  test.each([
    'ftp://user:pw@example.com/diag/',
    'https://example.com:8443/fw.bin?x=1#y',
    'http://[::1]/a',
    'urn:isbn:0451450523',
  ])('accepts %s', (s) => {
    expect(isUri(s)).toBe(true);
    expect(ajvUri(s)).toBe(true);
  });
  test.each(['not a uri', '/relative/path', 'example.com', 'http://exa mple.com', ''])(
    'rejects %s',
    (s) => {
      expect(isUri(s)).toBe(false);
      expect(ajvUri(s)).toBe(false);
    },
  );
  test('agrees with ajv-formats on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (s) => isUri(s) === ajvUri(s)),
      { numRuns: 1_000 },
    );
  });
});
