import type { ValidationFailure } from '@ocpp-kit/messages';
import type { CallErrorCode, RpcError } from '../errors.js';

/** Why an incoming frame was rejected; see the malformed-frame table in the README. */
export const badMessageReasons = [
  'invalidJson',
  'notAnArray',
  'unknownMessageType',
  'invalidMessageId',
  'messageIdTooLong',
  'missingElements',
  'extraElements',
  'invalidAction',
  'invalidPayload',
  'invalidErrorCode',
  'invalidErrorDescription',
  'invalidErrorDetails',
  'duplicateMessageId',
  'incomingQueueFull',
] as const;

export type BadMessageReason = (typeof badMessageReasons)[number];

/** Event payloads of `RpcSession`; each is built only when a listener exists. */
export interface RpcSessionEvents {
  /** Every text frame received, before parsing. */
  frameIn: { readonly text: string };
  /** Every text frame written to the transport. */
  frameOut: { readonly text: string };
  /** A payload failed schema validation (ours or the peer's). */
  validationFailed: {
    readonly direction: 'incoming' | 'outgoing';
    readonly kind: 'request' | 'response';
    readonly action: string;
    readonly messageId: string;
    readonly failures: readonly ValidationFailure[];
    /** The CALLERROR code the failure maps to (sent to the peer for incoming requests). */
    readonly code: CallErrorCode;
  };
  /** A frame that is not a valid OCPP-J message; `replied` tells whether a CALLERROR was sent. */
  badMessage: {
    readonly reason: BadMessageReason;
    readonly text: string;
    readonly messageId: string | undefined;
    readonly replied: boolean;
    readonly count: number;
  };
  /** One of our CALLs got no answer within its timeout. */
  timeout: { readonly action: string; readonly messageId: string; readonly timeoutMs: number };
  /** A CALLRESULT/CALLERROR for no outstanding CALL (late after timeout/abort, or duplicate). */
  lateResult: { readonly messageId: string; readonly messageType: 3 | 4; readonly text: string };
  /** A handler threw, returned an invalid response, or its response could not be serialised. */
  handlerError: {
    readonly action: string;
    readonly messageId: string;
    readonly error: unknown;
    /** The CALLERROR sent to the peer instead of a result. */
    readonly code: CallErrorCode;
  };
  /**
   * An asynchronous handler did not settle within `handlerTimeoutMs`: the peer got InternalError,
   * `context.signal` aborted and the next CALL runs.
   */
  handlerTimeout: {
    readonly action: string;
    readonly messageId: string;
    readonly timeoutMs: number;
  };
  /** A handler finished after its connection was lost or its deadline; its result was not sent. */
  responseDropped: { readonly action: string; readonly messageId: string };
  /** The transport's `send` threw; the frame was not written. */
  sendFailed: { readonly text: string; readonly error: unknown };
  /** A protocol validator threw (a broken descriptor); the CALL got InternalError or the call failed. */
  internalError: { readonly text: string; readonly error: unknown };
  /** A listener of another event threw; the engine carried on. */
  listenerError: { readonly event: keyof RpcSessionEvents; readonly error: unknown };
  /** A call settled with an error that came from the peer or locally. */
  callFailed: { readonly action: string; readonly messageId: string; readonly error: RpcError };
}

export type RpcSessionEventName = keyof RpcSessionEvents;
export type RpcSessionListener<E extends RpcSessionEventName> = (
  event: RpcSessionEvents[E],
) => void;

type ListenerTable = { [E in RpcSessionEventName]?: RpcSessionListener<E>[] };

/**
 * Where a transport hears its sessions' events (`OcppServer` and `OcppClient` re-emit them):
 * one object per connection, no closure per event.
 */
export interface SessionEventTap {
  listening(event: RpcSessionEventName): boolean;
  emit<E extends RpcSessionEventName>(event: E, payload: RpcSessionEvents[E]): void;
}

/**
 * A minimal typed emitter: `listening(e)` is one property read (plus the tap's check), so the
 * engine skips building event objects when nobody listens. A throwing listener never breaks
 * frame processing.
 */
export class SessionEvents {
  readonly #table: ListenerTable = {};
  readonly #tap: SessionEventTap | undefined;

  constructor(tap?: SessionEventTap) {
    this.#tap = tap;
  }

  on<E extends RpcSessionEventName>(event: E, listener: RpcSessionListener<E>): void {
    const list = this.#table[event] as RpcSessionListener<E>[] | undefined;
    if (list === undefined) (this.#table as Record<E, RpcSessionListener<E>[]>)[event] = [listener];
    else list.push(listener);
  }

  off<E extends RpcSessionEventName>(event: E, listener: RpcSessionListener<E>): void {
    const list = this.#table[event] as RpcSessionListener<E>[] | undefined;
    if (list === undefined) return;
    const at = list.indexOf(listener);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) delete this.#table[event];
  }

  listening(event: RpcSessionEventName): boolean {
    return this.#table[event] !== undefined || (this.#tap?.listening(event) ?? false);
  }

  emit<E extends RpcSessionEventName>(event: E, payload: RpcSessionEvents[E]): void {
    const list = this.#table[event] as RpcSessionListener<E>[] | undefined;
    if (list !== undefined) {
      for (const listener of list.slice()) this.#deliver(event, payload, listener);
    }
    const tap = this.#tap;
    if (tap?.listening(event)) this.#deliver(event, payload, (p) => tap.emit(event, p));
  }

  #deliver<E extends RpcSessionEventName>(
    event: E,
    payload: RpcSessionEvents[E],
    listener: RpcSessionListener<E>,
  ): void {
    try {
      listener(payload);
    } catch (error) {
      if (event === 'listenerError') return;
      if (this.listening('listenerError')) this.emit('listenerError', { event, error });
      else process.emitWarning(`rpc-core: a '${event}' listener threw: ${String(error)}`);
    }
  }
}
