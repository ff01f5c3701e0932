import { previewLimitAt } from '@ocpp-kit/schedule';
import { describe, expect, test } from 'vitest';
import { CsmsKitError } from '../errors.js';
import { chargingLimitProfile } from './charging-profiles.js';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('chargingLimitProfile (§3.13, §5.16)', () => {
  test('§3.13 a TxProfile limit is in force from its start, as the schedule package previews it', () => {
    const profile = chargingLimitProfile({
      chargingProfileId: 7,
      purpose: 'TxProfile',
      limit: 11_000,
      unit: 'W',
      transactionId: 42,
      clock: () => now,
    });
    expect(profile).toMatchObject({
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      transactionId: 42,
      chargingSchedule: { startSchedule: '2026-06-01T12:00:00.000Z', chargingRateUnit: 'W' },
    });
    const input = {
      config: { connectors: 1 },
      profiles: [{ connectorId: 1, chargingProfile: profile }],
      transactions: [{ connectorId: 1, startedAt: now - 60_000, transactionId: 42 }],
    };
    expect(previewLimitAt(input, 1, now + 1_000, 'W').limit).toBe(11_000);
  });

  test('§3.13.4 limit 0 turns charging off for the whole charge point (ChargePointMaxProfile)', () => {
    const off = chargingLimitProfile({
      chargingProfileId: 1,
      purpose: 'ChargePointMaxProfile',
      limit: 0,
      unit: 'A',
      startsAt: now,
      durationSeconds: 600,
    });
    const input = {
      config: { connectors: 2 },
      profiles: [{ connectorId: 0, chargingProfile: off }],
    };
    expect(previewLimitAt(input, 0, now + 1_000, 'A').limit).toBe(0);
    expect(previewLimitAt(input, 0, now + 601_000, 'A').limit).not.toBe(0);
  });

  test('bad limits and a transactionId outside a TxProfile throw CsmsKitError', () => {
    const base = { chargingProfileId: 1, purpose: 'TxDefaultProfile', unit: 'W' } as const;
    expect(() => chargingLimitProfile({ ...base, limit: -1 })).toThrow(CsmsKitError);
    expect(() => chargingLimitProfile({ ...base, limit: Number.NaN })).toThrow(CsmsKitError);
    expect(() => chargingLimitProfile({ ...base, limit: 1, transactionId: 3 })).toThrow(
      /TxProfile/,
    );
  });
});
