import type { ValidationFailure } from '@ocpp-kit/messages';

/**
 * CALLERROR codes of OCPP-J 1.6 §4.2.3 Table 7, in the spellings 1.6 peers send. The OCPP-J
 * errata §5.1 and §5.2 keep `OccurenceConstraintViolation` and `FormationViolation` unfixed
 * for 1.6 ("do not fix"), so these are what we put on the wire.
 */
export const callErrorCodes = [
  /** The action is not known by the receiver. */
  'NotImplemented',
  /** The action is recognised but not supported by the receiver. */
  'NotSupported',
  /** The receiver could not process the action because of an internal error. */
  'InternalError',
  /** The payload for the action is incomplete. */
  'ProtocolError',
  /** A security issue prevented the receiver from completing the action (OCPP-J errata 3.10). */
  'SecurityError',
  /** The payload is syntactically incorrect or does not conform to the action's PDU structure. */
  'FormationViolation',
  /** A field of the payload holds an invalid value. */
  'PropertyConstraintViolation',
  /** A field of the payload violates occurrence constraints. */
  'OccurenceConstraintViolation',
  /** A field of the payload violates data type constraints. */
  'TypeConstraintViolation',
  /** Any other error. */
  'GenericError',
] as const;
export type CallErrorCode = (typeof callErrorCodes)[number];

/** Codes raised locally by rpc-core (engine and transport); never sent to a peer. */
export const localErrorCodes = [
  /** No CALLRESULT/CALLERROR within the call's timeout (OCPP-J §4.1.1). */
  'Timeout',
  /** The caller's `AbortSignal` fired before the call settled. */
  'Aborted',
  /** The connection dropped while the CALL was outstanding; it may or may not have been processed. */
  'ConnectionLost',
  /** The ordered queue of not-yet-sent calls is full (`maxQueuedCalls`). */
  'QueueFull',
  /** Our own payload (request or handler response) does not match its schema. */
  'InvalidOutgoingPayload',
  /** The peer's CALLRESULT payload does not match the response schema. */
  'InvalidIncomingPayload',
  /** The peer answered our CALL with a frame that is not a well-formed CALLRESULT/CALLERROR. */
  'MalformedFrame',
  /** The action is not in the protocol descriptor, or this side may not send/handle it. */
  'UnknownAction',
  /** No transport is attached and the session does not queue while detached. */
  'NotConnected',
  /** The session or connection was closed by its owner. */
  'Closed',
  /** The client stopped reconnecting after `reconnect.maxAttempts`; `connect()` starts again. */
  'GaveUp',
  /** A configuration value is out of range or inconsistent. */
  'InvalidOptions',
  /** `connect()` was called while a connect or reconnect is under way; await it instead. */
  'ConnectInProgress',
  /** The opening handshake failed: HTTP status, no subprotocol, TLS or network (`cause`). */
  'HandshakeFailed',
  /** The Central System answered the upgrade with 401 or 403 (credentials refused). */
  'AuthenticationFailed',
  /** The options mix security profiles (URL scheme, `tls`, server kind; A00.FR.001). */
  'SecurityProfileMismatch',
  /** Profile 2/3 TLS options are missing or set by hand where the profile decides them. */
  'TlsConfiguration',
] as const;
export type LocalErrorCode = (typeof localErrorCodes)[number];

/** Stable codes of every `RpcError`; extend here, never rename. */
export const rpcErrorCodes = [...callErrorCodes, ...localErrorCodes] as const;
export type RpcErrorCode = CallErrorCode | LocalErrorCode;

const callErrorCodeSet: ReadonlySet<string> = new Set(callErrorCodes);

/** True when `code` may be sent in a CALLERROR (OCPP-J 1.6 §4.2.3 Table 7). */
export function isCallErrorCode(code: string): code is CallErrorCode {
  return callErrorCodeSet.has(code);
}

/**
 * Maps a received CALLERROR code to its 1.6 spelling: the corrected spellings of the OCPP-J
 * errata §5.1/§5.2 (`OccurrenceConstraintViolation`, `FormatViolation`) are accepted on
 * receipt. Returns `undefined` for a code outside Table 7.
 */
export function normalizeCallErrorCode(code: string): CallErrorCode | undefined {
  if (code === 'FormatViolation') return 'FormationViolation';
  if (code === 'OccurrenceConstraintViolation') return 'OccurenceConstraintViolation';
  return callErrorCodeSet.has(code) ? (code as CallErrorCode) : undefined;
}

export interface RpcErrorOptions {
  readonly cause?: unknown;
  /** CALLERROR `errorDetails` (received from, or to be sent to, the peer). */
  readonly details?: unknown;
  /** Message id of the CALL this error belongs to. */
  readonly messageId?: string;
  /** Action of the CALL this error belongs to. */
  readonly action?: string;
  /** Schema failures behind an `Invalid*Payload` error; the first one names the field. */
  readonly failures?: readonly ValidationFailure[];
  /** For a received CALLERROR: the code exactly as the peer sent it. */
  readonly peerCode?: string;
}

/**
 * The one error class of `@ocpp-kit/rpc-core`; branch on `code`, not on the message.
 * A CALLERROR received from the peer surfaces with the peer's code (normalised, see
 * `normalizeCallErrorCode`), its description as `message` and its `details`. Thrown from a
 * handler with a `CallErrorCode`, it is sent to the peer as that CALLERROR.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: RpcErrorCode;
  readonly details: unknown;
  readonly messageId: string | undefined;
  readonly action: string | undefined;
  readonly failures: readonly ValidationFailure[] | undefined;
  readonly peerCode: string | undefined;

  constructor(code: RpcErrorCode, message: string, options?: RpcErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
    this.messageId = options?.messageId;
    this.action = options?.action;
    this.failures = options?.failures;
    this.peerCode = options?.peerCode;
  }
}

/** `reason` as one call that was never sent sees it: same code and cause, the action named. */
export function notSent(reason: RpcError, action: string, messageId?: string): RpcError {
  return new RpcError(reason.code, `${reason.message}; '${action}' was not sent`, {
    cause: reason.cause,
    action,
    ...(messageId === undefined ? {} : { messageId }),
  });
}
