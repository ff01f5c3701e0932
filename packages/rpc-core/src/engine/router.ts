import type { Side } from '@ocpp-kit/messages';
import { RpcError } from '../errors.js';
import { handledDirectionOf } from './direction.js';
import type {
  AnyProtocol,
  CheckHandled,
  HandledAction,
  HandledRequest,
  HandledResponse,
} from './types.js';

/** What a handler knows about the CALL it answers. */
export interface HandlerContext<State, A extends string = string> {
  /** Charge point identity of the connection (OCPP-J §3.1.1). */
  readonly identity: string;
  /** The peer's message id of this CALL (OCPP-J §4.1.4). */
  readonly messageId: string;
  readonly action: A;
  /** Aborted when the connection carrying this CALL is lost, the session closes or `handlerTimeoutMs` passes. */
  readonly signal: AbortSignal;
  /** The session's user state (`RpcSessionOptions.state`). */
  readonly state: State;
}

/** Answers one action: return (or resolve to) the response payload, or throw. */
export type Handler<D, S extends Side, State, A extends string> = (
  request: HandledRequest<D, S, A>,
  context: HandlerContext<State, A>,
) => HandledResponse<D, S, A> | PromiseLike<HandledResponse<D, S, A>>;

type Resolved<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * `unknown` when handler `H` returns no property outside the response type `T`; otherwise an
 * object type naming the extra property, so `router.on` fails to compile (schemas forbid
 * additional properties, OCPP-J errata 3.2). Checks the top level; deeper levels are
 * caught at run time by response validation.
 */
export type NoExtraProperties<H, T> = [Resolved<H>] extends [never]
  ? unknown // a handler that only throws
  : [Exclude<keyof Resolved<H>, keyof T>] extends [never]
    ? unknown
    : {
        readonly 'response has a property the schema does not define': Exclude<
          keyof Resolved<H>,
          keyof T
        >;
      };

/** The untyped form the session calls; typing is enforced at `Router.on`. */
export type AnyHandler = (
  request: unknown,
  context: HandlerContext<unknown>,
) => unknown | PromiseLike<unknown>;

/**
 * Handlers for the CALLs side `S` receives. One router may serve many sessions (a server's
 * connections), so per-connection data lives in `context.state`, not in the router.
 */
export class Router<D extends AnyProtocol, S extends Side, State = undefined> {
  readonly protocol: D;
  readonly side: S;
  readonly #handlers = new Map<string, AnyHandler>();

  constructor(protocol: D, side: S) {
    this.protocol = protocol;
    this.side = side;
  }

  /** Registers the handler of `action`; throws `UnknownAction` if side `S` never receives it. */
  on<A extends string, H extends Handler<D, S, State, A>>(
    action: CheckHandled<D, S, A>,
    handler: H & NoExtraProperties<H, HandledResponse<D, S, A>>,
  ): this {
    const descriptor = this.protocol.actions.get(action);
    const direction = handledDirectionOf(this.side);
    if (descriptor === undefined || !descriptor.directions.includes(direction)) {
      throw new RpcError(
        'UnknownAction',
        `${this.side} never receives a '${String(action)}' CALL; register handlers only for actions sent ${direction}`,
        { action },
      );
    }
    if (this.#handlers.has(action)) {
      throw new RpcError(
        'InvalidOptions',
        `'${action}' already has a handler; call off('${action}') first`,
        {
          action,
        },
      );
    }
    this.#handlers.set(action, handler as unknown as AnyHandler);
    return this;
  }

  /** The same router typed for session state `T` (type level only): `createRouter(p, s).withState<T>()`. */
  withState<T>(): Router<D, S, T> {
    return this as unknown as Router<D, S, T>;
  }

  /** Removes the handler of `action`; its CALLs are then answered with NotSupported. */
  off(action: HandledAction<D, S>): this {
    this.#handlers.delete(action);
    return this;
  }

  /** The handler for `action`, if any (used by `RpcSession`). */
  handlerOf(action: string): AnyHandler | undefined {
    return this.#handlers.get(action);
  }
}

/**
 * A router for side `side` of `protocol`: `createRouter(ocpp16, 'CentralSystem')`. Pass the
 * session state type with `.withState<T>()` when handlers read `context.state`.
 */
export function createRouter<D extends AnyProtocol, S extends Side, State = undefined>(
  protocol: D,
  side: S,
): Router<D, S, State> {
  return new Router<D, S, State>(protocol, side);
}
