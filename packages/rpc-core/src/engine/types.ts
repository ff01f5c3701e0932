import type {
  ActionDescriptor,
  HandledTableOf,
  OtherSide,
  SentTableOf,
  Side,
} from '@ocpp-kit/messages';

/**
 * What rpc-core needs of a generated protocol at run time. Every `ProtocolDescriptor` satisfies
 * it; its `types` carrier (if any) is what the action/request/response types below read.
 */
export interface AnyProtocol {
  readonly subprotocol: string;
  readonly actions: ReadonlyMap<string, ActionDescriptor>;
}

/** Actions side `S` sends as CALLs. */
export type SendableAction<D, S extends Side> = keyof SentTableOf<D, S> & string;
/** Actions side `S` receives as CALLs and answers. */
export type HandledAction<D, S extends Side> = keyof HandledTableOf<D, S> & string;
/** Every action of the protocol, in either direction. */
export type ActionOf<D> = SendableAction<D, 'ChargePoint'> | SendableAction<D, 'CentralSystem'>;

/** The direction of the CALLs side `S` sends. */
export type DirectionOf<S extends Side> = S extends 'ChargePoint'
  ? 'ChargePointToCentralSystem'
  : 'CentralSystemToChargePoint';

/**
 * `A` when side `S` sends it; otherwise a sentence, so that the compile error of a wrong-side
 * `call` reads like the run-time one ("... is not assignable to parameter of type ...").
 */
export type CheckSendable<D, S extends Side, A extends string> =
  A extends SendableAction<D, S>
    ? A
    : A extends ActionOf<D>
      ? `${S} never sends a '${A}' CALL; call only actions sent ${DirectionOf<S>}`
      : `'${A}' is not an action of this protocol`;

/** `A` when side `S` receives it; otherwise a sentence naming the side and the action. */
export type CheckHandled<D, S extends Side, A extends string> =
  A extends HandledAction<D, S>
    ? A
    : A extends ActionOf<D>
      ? `${S} never receives a '${A}' CALL; register handlers only for actions sent ${DirectionOf<OtherSide<S>>}`
      : `'${A}' is not an action of this protocol`;

type RequestIn<T, A> = A extends keyof T
  ? T[A] extends { readonly request: infer R }
    ? R
    : never
  : never;
type ResponseIn<T, A> = A extends keyof T
  ? T[A] extends { readonly response: infer R }
    ? R
    : never
  : never;

/** Request payload of a CALL that side `S` sends. */
export type CallRequest<D, S extends Side, A> = RequestIn<SentTableOf<D, S>, A>;
/** Response payload `S` receives for a CALL it sent. */
export type CallResponse<D, S extends Side, A> = ResponseIn<SentTableOf<D, S>, A>;
/** Request payload of a CALL that side `S` handles. */
export type HandledRequest<D, S extends Side, A> = RequestIn<HandledTableOf<D, S>, A>;
/** Response payload a handler on side `S` returns. */
export type HandledResponse<D, S extends Side, A> = ResponseIn<HandledTableOf<D, S>, A>;

/**
 * The transport's half of a connection. `send` writes one text frame; `close` ends the
 * connection (WebSocket close code and reason). The engine never calls `close` itself today;
 * it is here so a transport can expose one object to both layers.
 */
export interface FrameSink {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** Per-call options of `RpcSession.call`. */
export interface CallOptions {
  /** Overrides the session's `callTimeoutMs` for this call (counted from when the CALL is written). */
  readonly timeoutMs?: number;
  /** Cancels the call, queued or in flight; it then rejects with `RpcError('Aborted')`. */
  readonly signal?: AbortSignal;
  /**
   * The OCPP-J message id to send instead of a generated one (1-36 of `A-Z a-z 0-9 . _ ~ : -`),
   * e.g. the id stored with a durable message, so a resend after a restart is recognisable as
   * one (OCPP-J §4.1.4). The caller keeps ids unique.
   */
  readonly messageId?: string;
}
