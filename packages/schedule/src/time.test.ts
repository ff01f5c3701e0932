import { describe, expect, test } from 'vitest';
import { formatDateTime, parseDateTime } from './time.js';

describe('§3.15 time notation', () => {
  test.each([
    ['2024-01-01T00:00:00Z', 1704067200],
    ['2024-01-01T00:00:00.999Z', 1704067200],
    ['2024-01-01T01:30:00+01:30', 1704067200],
    ['2023-12-31T19:00:00-0500', 1704067200],
    ['2024-02-29T12:00:00z', 1709208000],
  ])('%s -> %i (fractions floored, offsets applied)', (text, seconds) => {
    expect(parseDateTime(text, 'f')).toBe(seconds);
  });

  test.each([
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:60Z',
    '2024-01-01T00:00:00+24:00',
    '',
  ])('rejects %j with INVALID_DATE_TIME naming the field', (text) => {
    expect(() => parseDateTime(text, 'validFrom')).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATE_TIME',
        message: expect.stringContaining('validFrom'),
      }),
    );
  });

  test('formats whole seconds without fractions', () => {
    expect(formatDateTime(1704067200)).toBe('2024-01-01T00:00:00Z');
  });
});
