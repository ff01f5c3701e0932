import type { Side } from '@ocpp-kit/messages';
import type { SessionEventTap } from './events.js';
import type { Router } from './router.js';
import type { ActionOf, AnyProtocol } from './types.js';

/** Which payloads are checked against the generated validators; all default to `true`. */
export interface ValidationSwitches {
  /** CALL payloads received from the peer (invalid -> CALLERROR, handler not called). */
  readonly incomingRequest?: boolean;
  /** CALLRESULT payloads received for our CALLs (invalid -> `InvalidIncomingPayload`). */
  readonly incomingResponse?: boolean;
  /** Payloads we send with `call` (invalid -> `InvalidOutgoingPayload`, nothing sent). */
  readonly outgoingRequest?: boolean;
  /** Responses our handlers return (invalid -> InternalError to the peer + `handlerError`). */
  readonly outgoingResponse?: boolean;
}

export interface ValidationOptions<D> extends ValidationSwitches {
  /** Overrides per action, e.g. `{ StopTransaction: { incomingRequest: false } }` for a lax peer. */
  readonly actions?: { readonly [A in ActionOf<D>]?: ValidationSwitches };
}

export interface RpcSessionOptions<D extends AnyProtocol, S extends Side, State = undefined> {
  readonly protocol: D;
  /** Which end of the connection this session is. */
  readonly side: S;
  /** The charge point identity of the connection (OCPP-J §3.1.1). */
  readonly identity: string;
  /** Handlers for incoming CALLs; without one every known incoming CALL gets NotSupported. */
  readonly router?: Router<D, NoInfer<S>, State>;
  /** Passed to handlers as `context.state`. */
  readonly state?: State;
  /** @internal Where the owning transport re-emits this session's events. */
  readonly eventTap?: SessionEventTap;
  /** Default per-call timeout in ms, counted from when the CALL is written (default 30 000). */
  readonly callTimeoutMs?: number;
  /** Calls waiting behind the outstanding one (OCPP-J §4.1.1); beyond it `QueueFull` (default 1000). */
  readonly maxQueuedCalls?: number;
  /**
   * While detached, keep queued-but-unsent calls (and accept new ones) until the next `attach`
   * (default `true`); `false` rejects them with `ConnectionLost` / `NotConnected`.
   */
  readonly queueWhileDetached?: boolean;
  /** Incoming CALLs handled at once; 1 (default) keeps strict arrival order. */
  readonly incomingConcurrency?: number;
  /** Incoming CALLs waiting for a handler slot; beyond it a GenericError CALLERROR (default 1000). */
  readonly maxIncomingQueue?: number;
  /**
   * Frame bytes (UTF-16 units of the JSON text) of the incoming CALLs waiting for a handler slot;
   * a CALL that would pass it gets a GenericError CALLERROR (default 1 MiB). One CALL can always
   * wait, whatever its size, so a single large frame is never refused for this.
   */
  readonly maxIncomingQueueBytes?: number;
  /**
   * Deadline of an asynchronous handler in ms: a handler that has not settled by then is answered
   * with InternalError (`handlerTimeout` event), its `context.signal` aborts and the next CALL
   * runs; its late result is dropped (default 30 000, 0 disables).
   */
  readonly handlerTimeoutMs?: number;
  readonly validation?: ValidationOptions<D>;
  /** Send a handler's error name/message to the peer instead of a generic InternalError text. */
  readonly detailedErrors?: boolean;
  /**
   * Prefix of our message ids, before a base-36 counter. Default: 8 random base64url characters
   * (`A-Z a-z 0-9 - _`), drawn per session. At most 24 of `A-Z a-z 0-9 . _ ~ : -`.
   */
  readonly messageIdPrefix?: string;
}
