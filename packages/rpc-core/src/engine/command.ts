// A CALL whose action is chosen at run time (an operator's HTTP request, a queued job): checked
// once at the boundary, then typed like any other call.
import type { Side } from '@ocpp-kit/messages';
import { RpcError } from '../errors.js';
import { sentDirectionOf } from './direction.js';
import type { AnyProtocol, CallRequest, CallResponse, SendableAction } from './types.js';
import { invalidOutgoingPayload } from './validation-errors.js';

/** Every CALL side `S` can send, as `{ action, payload }` pairs: a discriminated union. */
export type CommandOf<D, S extends Side> = {
  [A in SendableAction<D, S>]: { readonly action: A; readonly payload: CallRequest<D, S, A> };
}[SendableAction<D, S>];

/** The response of a command: for a union of commands, the union of their responses. */
export type CommandResponseOf<D, S extends Side, C extends CommandOf<D, S>> = CallResponse<
  D,
  S,
  C['action']
>;

/** True when `side` sends `action` as a CALL (narrows an untrusted string). */
export function isSendableAction<D extends AnyProtocol, S extends Side>(
  protocol: D,
  side: S,
  action: unknown,
): action is SendableAction<D, S> {
  return (
    typeof action === 'string' &&
    protocol.actions.get(action)?.directions.includes(sentDirectionOf(side)) === true
  );
}

/**
 * Checks an untrusted `{ action, payload }` against the protocol: `action` must be one `side`
 * sends, `payload` must match its request schema. Returns it typed as `CommandOf<D, S>`, to pass
 * on as `call(command.action, command.payload)`. Throws `RpcError` `UnknownAction` or
 * `InvalidOutgoingPayload` (its message names the field, `failures` lists them): answer 400.
 */
export function parseCommand<D extends AnyProtocol, S extends Side>(
  protocol: D,
  side: S,
  input: { readonly action: unknown; readonly payload: unknown },
): CommandOf<D, S> {
  const { action, payload } = input;
  if (!isSendableAction(protocol, side, action)) {
    const named =
      typeof action === 'string'
        ? `'${action.slice(0, 64)}'`
        : `a non-string action (${typeof action})`;
    throw new RpcError(
      'UnknownAction',
      `${side} cannot send ${named}: name an action sent ${sentDirectionOf(side)}`,
      typeof action === 'string' ? { action } : undefined,
    );
  }
  const descriptor = protocol.actions.get(action);
  const failures = descriptor?.validateRequest(payload);
  if (failures !== undefined) throw invalidOutgoingPayload(action, 'request', failures);
  return { action, payload } as CommandOf<D, S>;
}
