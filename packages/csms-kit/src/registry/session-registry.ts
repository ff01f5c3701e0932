// Where sessions are found and CALLs are routed. The in-process registry is the default; a
// cluster adapter implements the same interface to reach charge points connected to other nodes.
import type { CallOptions } from '@ocpp-kit/rpc-core';
import type { ChargePointSession } from '../core/session.js';
import { CsmsKitError } from '../errors.js';

/** A CALL on its way to a charge point, already typed and checked by the caller. */
export interface RoutedCall {
  readonly identity: string;
  readonly action: string;
  readonly payload: unknown;
  readonly options?: CallOptions;
}

export interface SessionRegistry {
  /** A charge point connected to this node (its previous session, if any, is replaced). */
  add(session: ChargePointSession<unknown>): void;
  /** Forgets the session unless a newer one replaced it. */
  remove(session: ChargePointSession<unknown>): void;
  /** The session on this node. */
  local(identity: string): ChargePointSession<unknown> | undefined;
  /** Sessions on this node. */
  localSessions(): IterableIterator<ChargePointSession<unknown>>;
  /**
   * Sends the CALL to the charge point wherever it is connected. Rejects with `CsmsKitError`
   * `NOT_CONNECTED` when it is connected nowhere, otherwise as the session's `call` does.
   */
  route(call: RoutedCall): Promise<unknown>;
}

/** Sessions of this process only. */
export class InProcessRegistry implements SessionRegistry {
  readonly #sessions = new Map<string, ChargePointSession<unknown>>();

  add(session: ChargePointSession<unknown>): void {
    this.#sessions.set(session.identity, session);
  }

  remove(session: ChargePointSession<unknown>): void {
    if (this.#sessions.get(session.identity) === session) this.#sessions.delete(session.identity);
  }

  local(identity: string): ChargePointSession<unknown> | undefined {
    return this.#sessions.get(identity);
  }

  localSessions(): IterableIterator<ChargePointSession<unknown>> {
    return this.#sessions.values();
  }

  route({ identity, action, payload, options }: RoutedCall): Promise<unknown> {
    const session = this.#sessions.get(identity);
    if (session === undefined) {
      return Promise.reject(
        new CsmsKitError(
          'NOT_CONNECTED',
          `Charge point '${identity}' is not connected; '${action}' was not sent`,
        ),
      );
    }
    return (session.call as (a: string, p: unknown, o?: CallOptions) => Promise<unknown>)(
      action,
      payload,
      options,
    );
  }
}
