import type { ActionDescriptor, Direction, Side } from '@ocpp-kit/messages';
import { RpcError } from '../errors.js';
import { sentDirectionOf } from './direction.js';
import type { RpcSessionOptions, ValidationOptions, ValidationSwitches } from './options.js';
import type { AnyProtocol } from './types.js';

const maxTimerMs = 2_147_483_647;
const messageIdPrefixPattern = /^[A-Za-z0-9._~:-]{0,24}$/;
/** Characters our CALL frames splice in unescaped; a caller's `messageId` uses them too. */
export const callerMessageIdPattern = /^[A-Za-z0-9._~:-]{1,36}$/;

export interface ActionRuntime {
  readonly descriptor: ActionDescriptor;
  /** `"Name"`, spliced into CALL frames without re-escaping. */
  readonly quotedName: string;
  readonly incomingRequest: boolean;
  readonly incomingResponse: boolean;
  readonly outgoingRequest: boolean;
  readonly outgoingResponse: boolean;
}

export interface ActionTables {
  readonly sent: ReadonlyMap<string, ActionRuntime>;
  readonly handled: ReadonlyMap<string, ActionRuntime>;
  /** The direction of the CALLs in `handled` (the opposite of the send direction). */
  readonly receiveDirection: Direction;
}

/** Cache key for "no validation options" (all checks on). */
const defaultValidation: ValidationOptions<unknown> = {};
/**
 * Per-action runtime tables, built once per protocol, send direction and validation options
 * object and shared by all sessions using them: a server's thousands of connections then hold
 * no per-action data of their own. Options are read once; a later mutation of the same
 * `validation` object does not reconfigure existing or new sessions (pass a new object).
 */
const tableCache = new WeakMap<AnyProtocol, Map<Direction, WeakMap<object, ActionTables>>>();

function actionTables(
  protocol: AnyProtocol,
  sendDirection: Direction,
  validationOptions: ValidationOptions<never> | undefined,
): ActionTables {
  const key: object = validationOptions ?? defaultValidation;
  let byDirection = tableCache.get(protocol);
  if (byDirection === undefined) {
    byDirection = new Map();
    tableCache.set(protocol, byDirection);
  }
  let byValidation = byDirection.get(sendDirection);
  if (byValidation === undefined) {
    byValidation = new WeakMap();
    byDirection.set(sendDirection, byValidation);
  }
  const cached = byValidation.get(key);
  if (cached !== undefined) return cached;

  const validation = validationOptions as ValidationSwitches | undefined;
  const perAction = validationOptions?.actions as
    | Readonly<Record<string, ValidationSwitches>>
    | undefined;
  if (perAction !== undefined) {
    for (const name of Object.keys(perAction)) {
      if (!protocol.actions.has(name)) {
        throw new RpcError(
          'InvalidOptions',
          `validation.actions names '${name}', which the protocol does not define`,
        );
      }
    }
  }
  const receiveDirection: Direction =
    sendDirection === 'ChargePointToCentralSystem'
      ? 'CentralSystemToChargePoint'
      : 'ChargePointToCentralSystem';
  const sent = new Map<string, ActionRuntime>();
  const handled = new Map<string, ActionRuntime>();
  for (const [name, descriptor] of protocol.actions) {
    const own =
      perAction !== undefined && Object.hasOwn(perAction, name) ? perAction[name] : undefined;
    const runtime: ActionRuntime = {
      descriptor,
      quotedName: JSON.stringify(name),
      incomingRequest: own?.incomingRequest ?? validation?.incomingRequest ?? true,
      incomingResponse: own?.incomingResponse ?? validation?.incomingResponse ?? true,
      outgoingRequest: own?.outgoingRequest ?? validation?.outgoingRequest ?? true,
      outgoingResponse: own?.outgoingResponse ?? validation?.outgoingResponse ?? true,
    };
    if (descriptor.directions.includes(sendDirection)) sent.set(name, runtime);
    if (descriptor.directions.includes(receiveDirection)) handled.set(name, runtime);
  }
  const tables: ActionTables = { sent, handled, receiveDirection };
  byValidation.set(key, tables);
  return tables;
}

export function positiveInteger(
  name: string,
  value: number | undefined,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > maxTimerMs) {
    throw new RpcError(
      'InvalidOptions',
      `${name} must be an integer from ${min} to ${maxTimerMs}, got ${value}`,
    );
  }
  return value;
}

/** The options `checkSessionOptions` checks: those that do not depend on the connection. */
export type CheckedSessionOptions<D extends AnyProtocol, S extends Side> = Pick<
  RpcSessionOptions<D, S, unknown>,
  | 'protocol'
  | 'side'
  | 'callTimeoutMs'
  | 'maxQueuedCalls'
  | 'incomingConcurrency'
  | 'maxIncomingQueue'
  | 'maxIncomingQueueBytes'
  | 'handlerTimeoutMs'
  | 'messageIdPrefix'
  | 'validation'
>;

/** `checkSessionOptions`' result: the checked options with their defaults applied. */
export interface SessionSettings {
  readonly callTimeoutMs: number;
  readonly maxQueuedCalls: number;
  readonly incomingConcurrency: number;
  readonly maxIncomingQueue: number;
  readonly maxIncomingQueueBytes: number;
  /** 0: no deadline. */
  readonly handlerTimeoutMs: number;
  /** `undefined`: each session draws a random prefix of its own. */
  readonly messageIdPrefix: string | undefined;
  readonly tables: ActionTables;
}

/**
 * The option checks of the `RpcSession` constructor (throwing `RpcError('InvalidOptions')`):
 * the counts and timeouts are integers in range, `messageIdPrefix` fits a message id, and every
 * `validation.actions` name is an action of the protocol (checked while building the shared
 * per-action tables, which are then cached for the sessions that follow). Used by the
 * constructor and by `createServer`, which refuses bad `session` options before any connection.
 */
export function checkSessionOptions<D extends AnyProtocol, S extends Side>(
  options: CheckedSessionOptions<D, S>,
): SessionSettings {
  const callTimeoutMs = positiveInteger('callTimeoutMs', options.callTimeoutMs, 30_000);
  const maxQueuedCalls = positiveInteger('maxQueuedCalls', options.maxQueuedCalls, 1000, 0);
  const incomingConcurrency = positiveInteger(
    'incomingConcurrency',
    options.incomingConcurrency,
    1,
  );
  const maxIncomingQueue = positiveInteger('maxIncomingQueue', options.maxIncomingQueue, 1000, 0);
  const maxIncomingQueueBytes = positiveInteger(
    'maxIncomingQueueBytes',
    options.maxIncomingQueueBytes,
    1024 * 1024,
    0,
  );
  const handlerTimeoutMs = positiveInteger('handlerTimeoutMs', options.handlerTimeoutMs, 30_000, 0);
  const prefix = options.messageIdPrefix;
  if (prefix !== undefined && !messageIdPrefixPattern.test(prefix)) {
    throw new RpcError(
      'InvalidOptions',
      'MessageIdPrefix must be at most 24 characters of A-Z a-z 0-9 . _ ~ : -',
    );
  }
  const sendDirection = sentDirectionOf(options.side);
  const tables = actionTables(
    options.protocol,
    sendDirection,
    options.validation as ValidationOptions<never> | undefined,
  );
  return {
    callTimeoutMs,
    maxQueuedCalls,
    incomingConcurrency,
    maxIncomingQueue,
    maxIncomingQueueBytes,
    handlerTimeoutMs,
    messageIdPrefix: prefix,
    tables,
  };
}
