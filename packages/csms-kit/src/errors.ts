/** Stable codes of every `CsmsKitError`; extend here, never rename. */
export const csmsKitErrorCodes = [
  /** A `CentralSystem` option or helper argument is missing, out of range or inconsistent. */
  'INVALID_OPTIONS',
  /** No charge point with this identity is connected (to this node or, through the registry, any). */
  'NOT_CONNECTED',
  /**
   * The charge point's registration forbids this call: RemoteStart/RemoteStopTransaction while
   * Pending (§4.2.1), anything while Rejected (§4.2.1 "the Central System SHOULD NOT initiate any").
   */
  'NOT_ALLOWED',
  /** The charge point's CSR cannot be signed (malformed, wrong O/CN, weak key); see `cause`. */
  'CSR_REFUSED',
  /** A storage port (directory, transactions, local list) failed; see `cause`. */
  'STORAGE_FAILED',
  /** The central system was closed; create a new one. */
  'CLOSED',
] as const;
export type CsmsKitErrorCode = (typeof csmsKitErrorCodes)[number];

/** The one error class of `@ocpp-kit/csms-kit`; branch on `code`, not on the message. */
export class CsmsKitError extends Error {
  override readonly name = 'CsmsKitError';
  readonly code: CsmsKitErrorCode;

  constructor(code: CsmsKitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
