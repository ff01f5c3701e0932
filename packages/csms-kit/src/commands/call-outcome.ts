// One CALL's result as data: the charge point answered, answered with a CALLERROR, or the call
// never completed. A fan-out reports one of these per charge point, never one merged error.
import type { ResponseOf } from '@ocpp-kit/messages';
import { type CallErrorCode, isCallErrorCode, RpcError } from '@ocpp-kit/rpc-core';
import type { CsmsCommand } from '../core/session.js';
import { CsmsKitError } from '../errors.js';

/** Why a call never got an answer. */
export const callFailureReasons = [
  /** The charge point is not connected (to any node). */
  'Offline',
  /** No answer within the call timeout (OCPP-J §4.1.1). */
  'Timeout',
  /** The connection dropped with the CALL outstanding: it may or may not have been processed. */
  'ConnectionLost',
  /** Its registration forbids the call (Pending: no remote start/stop; Rejected: nothing). */
  'NotAllowed',
  /** Too many calls queued for it already. */
  'Busy',
  /** It answered with a CALLRESULT that does not match the response schema, or a broken frame. */
  'InvalidResponse',
  /** The caller's signal aborted the call. */
  'Aborted',
  /** Anything else; `message` says what. */
  'Error',
] as const;
export type CallFailureReason = (typeof callFailureReasons)[number];

export type CallOutcome<A extends CsmsCommand> =
  | { readonly status: 'Answered'; readonly identity: string; readonly response: ResponseOf<A> }
  | {
      readonly status: 'CallError';
      readonly identity: string;
      readonly errorCode: CallErrorCode;
      readonly description: string;
      readonly details: unknown;
    }
  | {
      readonly status: 'Failed';
      readonly identity: string;
      readonly reason: CallFailureReason;
      readonly message: string;
    };

const reasonOfRpcCode: Partial<Record<RpcError['code'], CallFailureReason>> = {
  Timeout: 'Timeout',
  ConnectionLost: 'ConnectionLost',
  NotConnected: 'ConnectionLost',
  Closed: 'ConnectionLost',
  QueueFull: 'Busy',
  InvalidIncomingPayload: 'InvalidResponse',
  MalformedFrame: 'InvalidResponse',
  Aborted: 'Aborted',
};

/** Runs one call and reports it as a `CallOutcome`; never rejects. */
export async function outcomeOf<A extends CsmsCommand>(
  identity: string,
  call: () => Promise<unknown>,
): Promise<CallOutcome<A>> {
  try {
    return { status: 'Answered', identity, response: (await call()) as ResponseOf<A> };
  } catch (error) {
    return failedOutcome(identity, error);
  }
}

function failedOutcome<A extends CsmsCommand>(identity: string, error: unknown): CallOutcome<A> {
  const message = error instanceof Error ? error.message : String(error);
  // A CALLERROR received from the charge point carries the code it sent (`peerCode`).
  if (error instanceof RpcError && error.peerCode !== undefined && isCallErrorCode(error.code)) {
    return {
      status: 'CallError',
      identity,
      errorCode: error.code,
      description: message,
      details: error.details,
    };
  }
  let reason: CallFailureReason = 'Error';
  if (error instanceof RpcError) reason = reasonOfRpcCode[error.code] ?? 'Error';
  else if (error instanceof CsmsKitError) {
    if (error.code === 'NOT_CONNECTED') reason = 'Offline';
    else if (error.code === 'NOT_ALLOWED') reason = 'NotAllowed';
  }
  return { status: 'Failed', identity, reason, message };
}
