/** Stable codes of every `ScheduleError`; extend here, never rename. */
export const scheduleErrorCodes = [
  /** A date-time string is not ISO 8601 with a time zone (OCPP 1.6 §3.15). */
  'INVALID_DATE_TIME',
  /** An instant (epoch milliseconds) is not a finite number. */
  'INVALID_INSTANT',
  /** A connector id outside 0..connectors, or a transaction call on connector 0. */
  'INVALID_CONNECTOR',
  /** A `ScheduleConfig` value is out of range. */
  'INVALID_CONFIG',
  /** Data passed to `ProfileStore.restore` is not a state this package wrote. */
  'INVALID_STATE',
  /** A profile passed to a preview cannot be evaluated (shape, dates, periods). */
  'INVALID_PROFILE',
  /** startTransaction on a busy connector, or setTransactionId with no transaction running. */
  'TRANSACTION_STATE',
] as const;
export type ScheduleErrorCode = (typeof scheduleErrorCodes)[number];

/** The one error class of `@ocpp-kit/schedule`; branch on `code`, not on the message. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
  readonly code: ScheduleErrorCode;

  constructor(code: ScheduleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
