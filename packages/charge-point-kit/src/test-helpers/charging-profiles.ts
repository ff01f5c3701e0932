import type { ChargingProfile, ChargingProfilePurpose } from '@ocpp-kit/messages';

/**
 * An Absolute charging profile starting at `start` (epoch ms) with `[startPeriod, limit]` periods,
 * in A unless `unit` says W.
 */
export function absoluteProfile(
  chargingProfileId: number,
  purpose: ChargingProfilePurpose,
  stackLevel: number,
  start: number,
  periods: readonly (readonly [number, number])[],
  extra: Partial<ChargingProfile> & { readonly unit?: 'A' | 'W'; readonly duration?: number } = {},
): ChargingProfile {
  const { unit, duration, ...rest } = extra;
  return {
    chargingProfileId,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: new Date(start).toISOString(),
      chargingRateUnit: unit ?? 'A',
      ...(duration === undefined ? {} : { duration }),
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
    ...rest,
  };
}

/** A Relative TxProfile: its schedule starts with the transaction (§7.9). */
export function relativeTxProfile(
  chargingProfileId: number,
  stackLevel: number,
  periods: readonly (readonly [number, number])[],
): ChargingProfile {
  return {
    chargingProfileId,
    stackLevel,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
  };
}
