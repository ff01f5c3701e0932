// §3.13, §5.16: the SetChargingProfile payloads a CSMS sends to turn charging up, down or off.
import type { ChargingProfile, ChargingRateUnit } from '@ocpp-kit/messages';
import { CsmsKitError } from '../errors.js';

export interface ChargingLimitOptions {
  readonly chargingProfileId: number;
  /** TxProfile for one transaction, ChargePointMaxProfile for the whole charge point (connector 0). */
  readonly purpose: 'TxProfile' | 'TxDefaultProfile' | 'ChargePointMaxProfile';
  /** The limit in `unit`; 0 stops the energy flow (§3.13.4 "a limit of 0"). */
  readonly limit: number;
  readonly unit: ChargingRateUnit;
  /** Default 0. */
  readonly stackLevel?: number;
  /** TxProfile: the transaction it belongs to (§5.16.2). */
  readonly transactionId?: number;
  /** Phases to use (§7.12 ChargingSchedulePeriod.numberPhases; the charge point assumes 3). */
  readonly numberPhases?: number;
  /** Epoch ms the limit starts (`startSchedule`). Default: now (`clock`). */
  readonly startsAt?: number;
  /** Seconds it lasts; default: until replaced or cleared. */
  readonly durationSeconds?: number;
  readonly clock?: () => number;
}

/** A one-period Absolute charging profile holding `limit` from `startsAt`. */
export function chargingLimitProfile(options: ChargingLimitOptions): ChargingProfile {
  const { limit, stackLevel = 0, chargingProfileId } = options;
  if (!(Number.isFinite(limit) && limit >= 0)) {
    throw new CsmsKitError('INVALID_OPTIONS', `limit must be a number >= 0, got ${limit}`);
  }
  if (!Number.isInteger(chargingProfileId) || !Number.isInteger(stackLevel) || stackLevel < 0) {
    throw new CsmsKitError(
      'INVALID_OPTIONS',
      'chargingProfileId and stackLevel must be integers (stackLevel >= 0)',
    );
  }
  if (options.transactionId !== undefined && options.purpose !== 'TxProfile') {
    throw new CsmsKitError(
      'INVALID_OPTIONS',
      'transactionId belongs to a TxProfile only (§5.16.2)',
    );
  }
  const startsAt = options.startsAt ?? (options.clock ?? Date.now)();
  // §7.12: one decimal is allowed; more is rounded so that what is sent is what is previewed.
  const period = {
    startPeriod: 0,
    limit: Math.round(limit * 10) / 10,
    ...(options.numberPhases === undefined ? {} : { numberPhases: options.numberPhases }),
  };
  return {
    chargingProfileId,
    stackLevel,
    chargingProfilePurpose: options.purpose,
    chargingProfileKind: 'Absolute',
    ...(options.transactionId === undefined ? {} : { transactionId: options.transactionId }),
    chargingSchedule: {
      chargingRateUnit: options.unit,
      startSchedule: new Date(startsAt).toISOString(),
      ...(options.durationSeconds === undefined ? {} : { duration: options.durationSeconds }),
      chargingSchedulePeriod: [period],
    },
  };
}
