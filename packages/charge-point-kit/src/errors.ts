/** Stable codes of every `ChargePointKitError`; extend here, never rename. */
export const chargePointKitErrorCodes = [
  /** A `ChargePoint` option is missing, out of range or inconsistent. */
  'INVALID_OPTIONS',
  /** The database could not be opened, migrated, read or written. */
  'STORAGE_FAILED',
  /** The database was written by a newer kit (a schema version this one does not know). */
  'STORAGE_TOO_NEW',
  /** A stored row does not parse; the kit refuses to guess what it held. */
  'STORAGE_CORRUPT',
  /** A configuration key definition is invalid (type, default, a duplicate name). */
  'INVALID_CONFIGURATION_KEY',
  /** A configuration value was set from code with a value its key refuses. */
  'INVALID_CONFIGURATION_VALUE',
  /** A message the kit was asked to send does not match its schema (nothing was stored or sent). */
  'INVALID_MESSAGE',
  /** A CALL was not sent: the CSMS has not accepted the charge point (§4.2). */
  'NOT_ACCEPTED',
  /** A connector id outside 1..connectors (0 where the charge point itself is meant). */
  'UNKNOWN_CONNECTOR',
  /** The store or charge point was closed; create a new one. */
  'CLOSED',
  /** A firmware download or a diagnostics/log upload failed (the message names the location). */
  'TRANSFER_FAILED',
] as const;
export type ChargePointKitErrorCode = (typeof chargePointKitErrorCodes)[number];

/** The one error class of `@ocpp-kit/charge-point-kit`; branch on `code`, not on the message. */
export class ChargePointKitError extends Error {
  override readonly name = 'ChargePointKitError';
  readonly code: ChargePointKitErrorCode;

  constructor(code: ChargePointKitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
