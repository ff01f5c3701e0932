import { maxLimit } from './compiled-profile.js';
import { ScheduleError } from './errors.js';

/** Values of ChargingScheduleAllowedChargingRateUnit (OCPP 1.6 §9.4.2, errata 3.88). */
export const allowedChargingRateUnitValues = ['Current', 'Power'] as const;
export type AllowedChargingRateUnit = (typeof allowedChargingRateUnitValues)[number];

/** Charge-point facts and the smart-charging configuration keys of OCPP 1.6 §9.4. */
export interface ScheduleConfig {
  /** Number of connectors; ids are 1..connectors, 0 is the charge point. */
  readonly connectors: number;
  /** ChargeProfileMaxStackLevel (§9.4.1): highest stackLevel accepted. */
  readonly maxStackLevel: number;
  /** MaxChargingProfilesInstalled (§9.4.5). */
  readonly maxProfiles: number;
  /** ChargingScheduleMaxPeriods (§9.4.3). */
  readonly maxPeriods: number;
  /** ChargingScheduleAllowedChargingRateUnit (§9.4.2): 'Current' = A, 'Power' = W. */
  readonly allowedChargingRateUnits: readonly AllowedChargingRateUnit[];
  /** Nominal line voltage for A <-> W (errata 3.69: the set voltage, e.g. 230). */
  readonly supplyVoltage: number;
  /** Limit per connector, in A, reported where no profile limits (project decision 1). */
  readonly defaultLimitA: number;
  /** Limit per connector, in W, reported where no profile limits (project decision 1). */
  readonly defaultLimitW: number;
  /** A composite with more periods than this is answered Rejected (bounds work on a peer's duration). */
  readonly maxCompositePeriods: number;
}

/** The seeds' reference charger: 10 profiles, stack levels 0..8, 24 periods, 230 V, 48 A. */
export const defaultScheduleConfig: Omit<ScheduleConfig, 'connectors'> = {
  maxStackLevel: 8,
  maxProfiles: 10,
  maxPeriods: 24,
  allowedChargingRateUnits: ['Current', 'Power'],
  supplyVoltage: 230,
  defaultLimitA: 48,
  defaultLimitW: 48 * 230 * 3,
  maxCompositePeriods: 1000,
};

function wholeAtLeast(value: unknown, min: number, field: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ScheduleError('INVALID_CONFIG', `${field}: expected a whole number >= ${min}`);
  }
}

function within(value: unknown, min: number, max: number, field: string): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ScheduleError('INVALID_CONFIG', `${field}: expected a number from ${min} to ${max}`);
  }
}

/** Bounds that keep every A <-> W conversion and connector sum a finite number on the wire. */
export const maxSupplyVoltage = 100_000;

/** Fills defaults and checks every value; throws `ScheduleError` INVALID_CONFIG naming the field. */
export function resolveScheduleConfig(
  config: Partial<ScheduleConfig> & Pick<ScheduleConfig, 'connectors'>,
): ScheduleConfig {
  const resolved: ScheduleConfig = { ...defaultScheduleConfig, ...config };
  wholeAtLeast(resolved.connectors, 1, 'connectors');
  wholeAtLeast(resolved.maxStackLevel, 0, 'maxStackLevel');
  wholeAtLeast(resolved.maxProfiles, 1, 'maxProfiles');
  wholeAtLeast(resolved.maxPeriods, 1, 'maxPeriods');
  wholeAtLeast(resolved.maxCompositePeriods, 1, 'maxCompositePeriods');
  within(resolved.supplyVoltage, 1, maxSupplyVoltage, 'supplyVoltage');
  within(resolved.defaultLimitA, 0.1, maxLimit.A, 'defaultLimitA');
  within(resolved.defaultLimitW, 0.1, maxLimit.W, 'defaultLimitW');
  const units = resolved.allowedChargingRateUnits;
  if (
    !Array.isArray(units) ||
    units.length === 0 ||
    !units.every((u) => (allowedChargingRateUnitValues as readonly unknown[]).includes(u))
  ) {
    throw new ScheduleError(
      'INVALID_CONFIG',
      "allowedChargingRateUnits: expected a non-empty list of 'Current' and/or 'Power'",
    );
  }
  return Object.freeze({ ...resolved, allowedChargingRateUnits: Object.freeze([...units]) });
}
