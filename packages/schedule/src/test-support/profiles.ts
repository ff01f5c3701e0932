import type { ChargingProfile, ChargingSchedulePeriod } from '@ocpp-kit/messages';

/** A TxDefaultProfile, Absolute unless overridden; tests spread in what they exercise. */
export function profile(overrides: Partial<ChargingProfile> = {}): ChargingProfile {
  return {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2024-01-01T00:00:00Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    },
    ...overrides,
  };
}

/** A Relative schedule with the given periods (unit A unless given). */
export function relative(
  periods: ChargingSchedulePeriod[],
  overrides: Partial<ChargingProfile> = {},
  unit: 'A' | 'W' = 'A',
  duration?: number,
): ChargingProfile {
  return profile({
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods,
      ...(duration === undefined ? {} : { duration }),
    },
    ...overrides,
  });
}

export const at = (iso: string): number => Date.parse(iso);
