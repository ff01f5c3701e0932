/** Why a SetChargingProfile.req was answered Rejected; stable, extend here, never rename. */
export const rejectReasons = [
  /** The profile is not shaped like ChargingProfile (types, enums, integers). */
  'Malformed',
  /** connectorId outside 0..connectors (errata 3.39 maps this to CALLERROR PropertyConstraintViolation). */
  'InvalidConnector',
  /** ChargePointMaxProfile on a connector other than 0 (§3.13.1). */
  'ChargePointMaxProfileNotOnConnector0',
  /** TxProfile on connector 0 (§3.13.1). */
  'TxProfileOnConnector0',
  /** TxProfile without an active transaction on the connector (§3.13.1, §5.16.4). */
  'NoActiveTransaction',
  /** TxProfile whose transactionId is not the connector's transaction (§7.8). */
  'TransactionIdMismatch',
  /** transactionId on a purpose other than TxProfile (§7.8). */
  'TransactionIdWithoutTxProfile',
  /** stackLevel above ChargeProfileMaxStackLevel (§9.4.1). */
  'StackLevelTooHigh',
  /** Installing would exceed MaxChargingProfilesInstalled (§9.4.5). */
  'TooManyProfiles',
  /** More periods than ChargingScheduleMaxPeriods (§9.4.3). */
  'TooManyPeriods',
  /** chargingRateUnit not in ChargingScheduleAllowedChargingRateUnit (§9.4.2, errata 3.88). */
  'ChargingRateUnitNotAllowed',
  /** The first startPeriod is not 0 (errata 3.45, 3.70). */
  'FirstPeriodNotZero',
  /** startPeriod values are not strictly increasing (§7.14: a start ends the previous period). */
  'PeriodsNotIncreasing',
  /** A limit or minChargingRate below 0. */
  'NegativeLimit',
  /** A limit or minChargingRate above `maxLimit` (100 000 A, 100 000 000 W): no real charger. */
  'LimitTooHigh',
  /** A limit or minChargingRate that is not a multiple of 0.1 (the schema's multipleOf). */
  'LimitNotInTenths',
  /** numberPhases outside 1..3. */
  'InvalidNumberPhases',
  /** recurrencyKind on a profile that is not Recurring (errata 3.56). */
  'RecurrencyKindWithoutRecurring',
  /** A Recurring profile without recurrencyKind. */
  'RecurringWithoutRecurrencyKind',
  /** A Recurring profile without startSchedule: the recurrence has no anchor (errata 3.79). */
  'RecurringWithoutStartSchedule',
  /** A Relative profile with startSchedule: its start is the transaction's (§7.9). */
  'RelativeWithStartSchedule',
  /** A negative duration or startPeriod, or a stackLevel below 0. */
  'NegativeValue',
  /** validFrom / validTo / startSchedule is not an ISO 8601 date-time with a zone (§3.15). */
  'InvalidDateTime',
  /** validTo is not after validFrom. */
  'ValidToNotAfterValidFrom',
  /** validTo has already passed: the profile could never apply. */
  'Expired',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

/** A rejected install: the reason code and a message naming the field. */
export interface Rejection {
  readonly status: 'Rejected';
  readonly reason: RejectReason;
  readonly message: string;
}

export function reject(reason: RejectReason, message: string): Rejection {
  return { status: 'Rejected', reason, message };
}
