import { describe, expect, test } from 'vitest';
import { previewCompositeSchedule, previewLimitAt } from './preview.js';
import { at, profile, relative } from './test-support/profiles.js';

const config = { connectors: 2 };

describe('previewCompositeSchedule / previewLimitAt (CSMS side)', () => {
  test('§5.16.2: a CSMS previews a TxProfile for a transaction that started earlier', () => {
    const conf = previewCompositeSchedule(
      {
        config,
        profiles: [
          {
            connectorId: 1,
            chargingProfile: relative(
              [
                { startPeriod: 0, limit: 32 },
                { startPeriod: 600, limit: 16 },
              ],
              { chargingProfilePurpose: 'TxProfile' },
            ),
          },
        ],
        transactions: [{ connectorId: 1, startedAt: at('2024-01-01T09:55:00Z'), transactionId: 3 }],
      },
      { connectorId: 1, duration: 600, chargingRateUnit: 'A' },
      at('2024-01-01T10:00:00Z'),
    );
    expect(conf.chargingSchedule?.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 32 },
      { startPeriod: 300, limit: 16 },
    ]);
  });

  test('malformed input throws ScheduleError naming the entry', () => {
    const request = { connectorId: 1, duration: 60 };
    const now = at('2024-01-01T10:00:00Z');
    expect(() =>
      previewCompositeSchedule(
        {
          config,
          profiles: [{ connectorId: 1, chargingProfile: relative([{ startPeriod: 5, limit: 1 }]) }],
        },
        request,
        now,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_PROFILE',
        message: expect.stringContaining('profiles[0]: FirstPeriodNotZero'),
      }),
    );
    expect(() =>
      previewCompositeSchedule(
        { config, profiles: [{ connectorId: 3, chargingProfile: profile() }] },
        request,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONNECTOR' }));
    expect(() =>
      previewCompositeSchedule(
        { config, profiles: [], transactions: [{ connectorId: 0, startedAt: now }] },
        request,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONNECTOR' }));
    expect(() =>
      previewCompositeSchedule({ config, profiles: [] }, request, Number.POSITIVE_INFINITY),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    expect(() => previewLimitAt({ config, profiles: [] }, 5, now)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONNECTOR' }),
    );
    expect(() =>
      previewCompositeSchedule({ config: { connectors: 0 }, profiles: [] }, request, now),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  test('previewLimitAt reports whether a profile limits (decision 1: otherwise the configured maximum)', () => {
    const input = {
      config,
      profiles: [
        {
          connectorId: 0,
          chargingProfile: profile({
            chargingProfilePurpose: 'ChargePointMaxProfile',
            chargingSchedule: {
              startSchedule: '2024-01-01T12:00:00Z',
              chargingRateUnit: 'W',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }],
            },
          }),
        },
      ],
    };
    expect(previewLimitAt(input, 1, at('2024-01-01T11:00:00Z'), 'W')).toEqual({
      limit: 33120,
      chargingRateUnit: 'W',
      limited: false,
    });
    expect(previewLimitAt(input, 0, at('2024-01-01T12:00:00Z'), 'W')).toEqual({
      limit: 11000,
      chargingRateUnit: 'W',
      numberPhases: 3,
      limited: true,
    });
  });
});
