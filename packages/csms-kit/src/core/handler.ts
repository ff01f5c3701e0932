// What a handler of a charge-point-initiated CALL is, typed by the generated action map.
import type { ActionsHandledBy, RequestOf, ResponseOf } from '@ocpp-kit/messages';
import type { ChargePointSession } from './session.js';

/** A CALL the Central System receives (chapter 4 and the whitepaper's CP-initiated messages). */
export type ChargePointAction = ActionsHandledBy<'CentralSystem'>;

export interface CsmsHandlerContext<State, A extends ChargePointAction = ChargePointAction> {
  readonly session: ChargePointSession<State>;
  readonly identity: string;
  /** The charge point's message id of this CALL (OCPP-J §4.1.4). */
  readonly messageId: string;
  readonly action: A;
  /** Aborted when the connection drops or the handler timeout passes. */
  readonly signal: AbortSignal;
}

/** Answers one action: return (or resolve to) the response, or throw an `RpcError` CALLERROR code. */
export type CsmsHandler<A extends ChargePointAction, State> = (
  request: RequestOf<A>,
  context: CsmsHandlerContext<State, A>,
) => ResponseOf<A> | PromiseLike<ResponseOf<A>>;

/** One handler per charge-point-initiated action: the kit's defaults are such a table. */
export type HandlerTable<State> = { readonly [A in ChargePointAction]: CsmsHandler<A, State> };
