import { randomBytes } from 'node:crypto';
import type { Direction, Side, ValidationFailure, Validator } from '@ocpp-kit/messages';
import {
  type CallErrorCode,
  isCallErrorCode,
  normalizeCallErrorCode,
  notSent,
  RpcError,
} from '../errors.js';
import { sentDirectionOf } from './direction.js';
import {
  type BadMessageReason,
  type RpcSessionEventName,
  type RpcSessionListener,
  SessionEvents,
} from './events.js';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  type DecodedCall,
  type DecodedError,
  type DecodedResult,
  decodeFrame,
  encodeCall,
  encodeCallError,
  encodeResult,
  type MalformedFrame,
  maxMessageIdLength,
} from './frame.js';
import type { RpcSessionOptions } from './options.js';
import type { AnyHandler, HandlerContext, Router } from './router.js';
import {
  type ActionRuntime,
  callerMessageIdPattern,
  checkSessionOptions,
  positiveInteger,
} from './session-settings.js';
import type {
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  CheckSendable,
  FrameSink,
} from './types.js';
import { callErrorCodeOf, describeFailure, invalidOutgoingPayload } from './validation-errors.js';

export type { RpcSessionOptions } from './options.js';

interface PendingCall {
  readonly id: string;
  readonly action: string;
  readonly text: string;
  readonly runtime: ActionRuntime;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RpcError) => void;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

interface IncomingCall {
  readonly id: string;
  readonly action: string;
  readonly payload: object;
  readonly runtime: ActionRuntime;
  readonly handler: AnyHandler;
  readonly generation: number;
  /** Length of the frame's text, counted against `maxIncomingQueueBytes` while queued. */
  readonly size: number;
  /** Set once the CALL was answered by the handler's deadline: a later result is dropped. */
  expired: boolean;
  timer: NodeJS.Timeout | undefined;
  context: CallContext | undefined;
}

/**
 * `HandlerContext` of one CALL. Its `signal` is built on first read only (most handlers never
 * read it): it follows the connection's signal and aborts at the handler's deadline too.
 */
class CallContext implements HandlerContext<unknown> {
  #deadline: AbortController | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    readonly identity: string,
    readonly messageId: string,
    readonly action: string,
    readonly state: unknown,
    readonly connection: AbortSignal,
  ) {}

  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      this.#deadline = new AbortController();
      this.#signal = AbortSignal.any([this.connection, this.#deadline.signal]);
    }
    return this.#signal;
  }

  expire(reason: RpcError): void {
    if (this.#deadline === undefined) {
      this.#deadline = new AbortController();
      this.#signal = this.#deadline.signal;
    }
    this.#deadline.abort(reason);
  }
}

/** What a protocol validator threw: a broken descriptor must not take the engine down. */
class ValidatorThrew {
  constructor(readonly error: unknown) {}
}

function runValidator(
  validator: Validator,
  payload: unknown,
): readonly ValidationFailure[] | undefined | ValidatorThrew {
  try {
    return validator(payload);
  } catch (error) {
    return new ValidatorThrew(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * One end of one OCPP-J connection, independent of the transport: frames in through `receive`,
 * frames out through the attached `FrameSink`. Typed by the protocol descriptor `D` and the side
 * `S` it plays; `State` is user data handed to handlers.
 */
export class RpcSession<D extends AnyProtocol, S extends Side, State = undefined> {
  readonly protocol: D;
  readonly side: S;
  readonly identity: string;
  readonly state: State;

  readonly #events: SessionEvents;
  readonly #router: Router<D, S, State> | undefined;
  /** Shared by every session of the same protocol, side and validation options (read-only). */
  readonly #sent: ReadonlyMap<string, ActionRuntime>;
  readonly #handled: ReadonlyMap<string, ActionRuntime>;
  readonly #receiveDirection: Direction;
  readonly #callTimeoutMs: number;
  readonly #maxQueuedCalls: number;
  readonly #queueWhileDetached: boolean;
  readonly #concurrency: number;
  readonly #maxIncomingQueue: number;
  readonly #maxIncomingQueueBytes: number;
  readonly #handlerTimeoutMs: number;
  readonly #detailedErrors: boolean;
  readonly #idPrefix: string;
  readonly #onTimer = (pending: PendingCall): void => this.#timedOut(pending);
  readonly #onDeadline = (call: IncomingCall): void => this.#handlerExpired(call);

  #sink: FrameSink | undefined;
  #closed = false;
  /** Bumped on every detach, so a handler finishing late never answers on a newer connection. */
  #generation = 0;
  #connection = new AbortController();
  #badMessages = 0;

  // Outgoing: OCPP-J §4.1.1 allows one outstanding CALL, so the pending table is one slot.
  #inFlight: PendingCall | undefined;
  #queue: PendingCall[] = [];
  #nextId = 0;

  // Incoming: ids being handled or waiting, for duplicate detection (OCPP-J §4.2.3).
  #incoming: IncomingCall[] = [];
  /** Sum of the queued (not yet running) CALLs' `size`. */
  #incomingBytes = 0;
  readonly #incomingIds = new Set<string>();
  #active = 0;

  constructor(options: RpcSessionOptions<D, S, State>) {
    this.protocol = options.protocol;
    this.side = options.side;
    this.identity = options.identity;
    this.state = options.state as State;
    this.#router = options.router;
    this.#events = new SessionEvents(options.eventTap);
    if (
      options.router !== undefined &&
      (options.router.protocol !== options.protocol || options.router.side !== options.side)
    ) {
      throw new RpcError(
        'InvalidOptions',
        'Router was created for another protocol or side; use createRouter(protocol, side) with the same values',
      );
    }
    const settings = checkSessionOptions(options);
    this.#callTimeoutMs = settings.callTimeoutMs;
    this.#maxQueuedCalls = settings.maxQueuedCalls;
    this.#concurrency = settings.incomingConcurrency;
    this.#maxIncomingQueue = settings.maxIncomingQueue;
    this.#maxIncomingQueueBytes = settings.maxIncomingQueueBytes;
    this.#handlerTimeoutMs = settings.handlerTimeoutMs;
    this.#queueWhileDetached = options.queueWhileDetached ?? true;
    this.#detailedErrors = options.detailedErrors ?? false;
    // A random prefix (8 base64url characters) always matches messageIdPrefixPattern.
    this.#idPrefix = settings.messageIdPrefix ?? randomBytes(6).toString('base64url');
    this.#sent = settings.tables.sent;
    this.#handled = settings.tables.handled;
    this.#receiveDirection = settings.tables.receiveDirection;
  }

  /** True while a transport is attached. */
  get attached(): boolean {
    return this.#sink !== undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Malformed frames received since the last `attach`; a transport may close after N. */
  get badMessageCount(): number {
    return this.#badMessages;
  }

  /** Calls written and awaiting their answer (0 or 1, OCPP-J §4.1.1) plus those queued behind. */
  get pendingCalls(): number {
    return this.#queue.length + (this.#inFlight === undefined ? 0 : 1);
  }

  on<E extends RpcSessionEventName>(event: E, listener: RpcSessionListener<E>): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends RpcSessionEventName>(event: E, listener: RpcSessionListener<E>): this {
    this.#events.off(event, listener);
    return this;
  }

  /** A transport is (re)connected: queued calls start going out, one at a time. */
  attach(sink: FrameSink): void {
    if (this.#closed)
      throw new RpcError('Closed', 'This session is closed; create a new RpcSession');
    if (this.#sink !== undefined)
      this.detach(new RpcError('ConnectionLost', 'Replaced by a new transport'));
    this.#sink = sink;
    this.#connection = new AbortController();
    this.#badMessages = 0;
    this.#pump();
  }

  /**
   * The transport is gone. The outstanding CALL rejects with `ConnectionLost` (the peer may or
   * may not have processed it); queued, never-sent calls wait for the next `attach` unless
   * `queueWhileDetached` is false. Handlers still running see `context.signal` abort and their
   * results are dropped.
   */
  detach(reason?: unknown): void {
    if (this.#sink === undefined) return;
    this.#dropConnection(reason);
    const lost = (p: PendingCall) =>
      new RpcError(
        'ConnectionLost',
        `Connection lost while '${p.action}' (${p.id}) was outstanding; it may have been processed by the peer`,
        { cause: reason, messageId: p.id, action: p.action },
      );
    const inFlight = this.#inFlight;
    if (inFlight !== undefined) {
      this.#inFlight = undefined;
      this.#fail(inFlight, lost(inFlight));
    }
    if (!this.#queueWhileDetached) {
      for (const queued of this.#queue.splice(0)) {
        this.#fail(
          queued,
          new RpcError('ConnectionLost', `Connection lost before '${queued.action}' was sent`, {
            cause: reason,
            messageId: queued.id,
            action: queued.action,
          }),
        );
      }
    }
  }

  /**
   * Rejects every call waiting to be sent (not the outstanding one) with `reason`'s code and
   * message, e.g. when the transport gave up reconnecting. Later calls still queue.
   */
  rejectQueued(reason: RpcError): void {
    for (const queued of this.#queue.splice(0)) {
      this.#fail(queued, notSent(reason, queued.action, queued.id));
    }
  }

  /** Ends the session: every queued or outstanding call rejects with `Closed`. Leaves the sink to its owner. */
  close(reason?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dropConnection(reason);
    const pending = this.#queue.splice(0);
    if (this.#inFlight !== undefined) pending.unshift(this.#inFlight);
    this.#inFlight = undefined;
    for (const p of pending) {
      this.#fail(
        p,
        new RpcError('Closed', `Session closed before '${p.action}' (${p.id}) was answered`, {
          cause: reason,
          messageId: p.id,
          action: p.action,
        }),
      );
    }
  }

  /**
   * Sends a CALL and resolves with the peer's validated CALLRESULT payload. Rejects with
   * `RpcError`: the peer's CALLERROR code, or a local code (`InvalidOutgoingPayload`, `Timeout`,
   * `Aborted`, `QueueFull`, `ConnectionLost`, `NotConnected`, `Closed`, ...).
   */
  call<A extends string>(
    action: CheckSendable<D, S, A>,
    payload: CallRequest<D, S, A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, S, A>> {
    const runtime = this.#sent.get(action);
    if (runtime === undefined) {
      return Promise.reject(
        new RpcError(
          'UnknownAction',
          `${this.side} never sends a '${String(action)}' CALL; call only actions sent ${sentDirectionOf(this.side)}`,
          { action },
        ),
      );
    }
    if (this.#closed)
      return Promise.reject(
        new RpcError('Closed', 'This session is closed; create a new RpcSession', { action }),
      );
    if (this.#sink === undefined && !this.#queueWhileDetached) {
      return Promise.reject(
        new RpcError('NotConnected', `Not connected; '${action}' was not sent`, { action }),
      );
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      return Promise.reject(
        new RpcError('Aborted', `'${action}' aborted before it was sent`, {
          cause: signal.reason,
          action,
        }),
      );
    }
    let timeoutMs = this.#callTimeoutMs;
    if (options?.timeoutMs !== undefined) {
      try {
        timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, timeoutMs);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (runtime.outgoingRequest) {
      const failures = runValidator(runtime.descriptor.validateRequest, payload);
      if (failures instanceof ValidatorThrew) {
        return Promise.reject(
          new RpcError('InvalidOutgoingPayload', `The '${action}' request validator threw`, {
            cause: failures.error,
            action,
          }),
        );
      }
      if (failures !== undefined)
        return Promise.reject(this.#invalidOutgoing(action, '', failures));
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(payload);
    } catch (cause) {
      return Promise.reject(
        new RpcError('InvalidOutgoingPayload', `'${action}' request cannot be serialised to JSON`, {
          cause,
          action,
        }),
      );
    }
    // Only reachable with validation off: the wire still needs a JSON object (OCPP-J §4.2.1).
    if (json === undefined || json.charCodeAt(0) !== 123) {
      return Promise.reject(
        new RpcError('InvalidOutgoingPayload', `'${action}' request must be a JSON object`, {
          action,
        }),
      );
    }
    if (
      (this.#inFlight !== undefined || this.#sink === undefined) &&
      this.#queue.length >= this.#maxQueuedCalls
    ) {
      return Promise.reject(
        new RpcError(
          'QueueFull',
          `${this.#queue.length} calls already wait behind the outstanding one; '${action}' was not queued (maxQueuedCalls)`,
          { action },
        ),
      );
    }
    let id = options?.messageId;
    if (id === undefined) {
      this.#nextId += 1;
      id = this.#idPrefix + this.#nextId.toString(36);
    } else if (!callerMessageIdPattern.test(id)) {
      return Promise.reject(
        new RpcError(
          'InvalidOptions',
          `messageId must be 1-${maxMessageIdLength} of A-Z a-z 0-9 . _ ~ : - (OCPP-J 4.1.4); '${action}' was not sent`,
          { action },
        ),
      );
    }
    return new Promise<CallResponse<D, S, A>>((resolve, reject) => {
      const pending: PendingCall = {
        id,
        action,
        text: encodeCall(id, runtime.quotedName, json),
        runtime,
        timeoutMs,
        signal,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: undefined,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        pending.onAbort = () => this.#aborted(pending);
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      if (this.#inFlight === undefined && this.#sink !== undefined) this.#send(pending);
      else this.#queue.push(pending);
    });
  }

  /** One incoming text frame. Never throws; malformed input gets the reaction in the README table. */
  receive(text: string): void {
    if (this.#closed) return;
    if (this.#events.listening('frameIn')) this.#events.emit('frameIn', { text });
    const frame = decodeFrame(text);
    switch (frame.kind) {
      case 'call':
        this.#onCall(frame, text);
        return;
      case 'result':
        this.#onResult(frame, text);
        return;
      case 'error':
        this.#onError(frame, text);
        return;
      default:
        this.#onMalformed(frame, text);
    }
  }

  #onMalformed(frame: MalformedFrame, text: string): void {
    const { messageType, messageId } = frame;
    if (messageId !== undefined && messageType !== undefined && messageType !== CALL) {
      // The peer answered with a broken frame: no CALLERROR can answer a response, so the
      // outstanding call fails locally (a broken answer to no outstanding call is just late).
      const pending = this.#answered(messageId, text, messageType);
      if (pending === undefined) return;
      this.#bad(frame.reason, text, messageId, false);
      this.#settle(pending);
      this.#fail(
        pending,
        new RpcError(
          'MalformedFrame',
          `The peer's answer to '${pending.action}' is malformed: ${frame.description}`,
          { messageId: pending.id, action: pending.action },
        ),
      );
      this.#pump();
      return;
    }
    if (frame.reply !== undefined) this.#write(frame.reply);
    this.#bad(frame.reason, text, messageId, frame.reply !== undefined);
  }

  #onCall({ id, action, payload }: DecodedCall, text: string): void {
    if (this.#incomingIds.has(id)) {
      this.#refuse(
        id,
        'GenericError',
        'duplicateMessageId',
        'A CALL with this message id is already being handled (OCPP-J 4.2.3)',
        text,
      );
      return;
    }
    const runtime = this.#handled.get(action);
    if (runtime === undefined) {
      if (this.protocol.actions.has(action)) {
        this.#replyError(
          id,
          'NotSupported',
          `${this.side} does not handle '${action}'; it is not sent ${this.#receiveDirection}`,
          undefined,
        );
      } else {
        this.#replyError(
          id,
          'NotImplemented',
          `Unknown action '${action.length > 64 ? `${action.slice(0, 64)}…` : action}'`,
          undefined,
        );
      }
      return;
    }
    const handler = this.#router?.handlerOf(action);
    if (handler === undefined) {
      this.#replyError(
        id,
        'NotSupported',
        `'${action}' is not supported by this ${this.side}`,
        undefined,
      );
      return;
    }
    if (runtime.incomingRequest) {
      const failures = runValidator(runtime.descriptor.validateRequest, payload);
      if (failures instanceof ValidatorThrew) {
        this.#internalError(text, failures.error);
        this.#replyError(
          id,
          'InternalError',
          `Internal error while validating '${action}'`,
          undefined,
        );
        return;
      }
      if (failures !== undefined) {
        const first = failures[0] as ValidationFailure;
        const code = callErrorCodeOf(first.keyword);
        if (this.#events.listening('validationFailed')) {
          this.#events.emit('validationFailed', {
            direction: 'incoming',
            kind: 'request',
            action,
            messageId: id,
            failures,
            code,
          });
        }
        this.#replyError(id, code, describeFailure(first), undefined);
        return;
      }
    }
    const call: IncomingCall = {
      id,
      action,
      payload,
      runtime,
      handler,
      generation: this.#generation,
      size: text.length,
      expired: false,
      timer: undefined,
      context: undefined,
    };
    if (this.#active < this.#concurrency) {
      this.#incomingIds.add(id);
      this.#run(call);
    } else if (this.#incoming.length >= this.#maxIncomingQueue) {
      this.#refuse(
        id,
        'GenericError',
        'incomingQueueFull',
        'Too many CALLs waiting to be handled; send one at a time (OCPP-J 4.1.1)',
        text,
      );
    } else if (
      this.#incoming.length > 0 &&
      this.#incomingBytes + call.size > this.#maxIncomingQueueBytes
    ) {
      this.#refuse(
        id,
        'GenericError',
        'incomingQueueFull',
        `The CALLs waiting to be handled would exceed ${this.#maxIncomingQueueBytes} bytes; send one at a time (OCPP-J 4.1.1)`,
        text,
      );
    } else {
      this.#incomingIds.add(id);
      this.#incoming.push(call);
      this.#incomingBytes += call.size;
    }
  }

  #run(call: IncomingCall): void {
    this.#active += 1;
    const context = new CallContext(
      this.identity,
      call.id,
      call.action,
      this.state,
      this.#connection.signal,
    );
    let result: unknown;
    try {
      result = call.handler(call.payload, context);
    } catch (error) {
      this.#handlerFailed(call, error);
      return;
    }
    if (isThenable(result)) {
      // Only an asynchronous handler can outlive its CALL; a synchronous one has answered here.
      if (this.#handlerTimeoutMs > 0) {
        call.context = context;
        call.timer = setTimeout(this.#onDeadline, this.#handlerTimeoutMs, call);
      }
      result.then(
        (response) => this.#respond(call, response),
        (error: unknown) => this.#handlerFailed(call, error),
      );
    } else {
      this.#respond(call, result);
    }
  }

  /** True (and the result is dropped) when `call` was already answered or its connection is gone. */
  #stale(call: IncomingCall): boolean {
    if (call.timer !== undefined) clearTimeout(call.timer);
    if (!call.expired && call.generation === this.#generation) return false;
    this.#dropped(call);
    return true;
  }

  #handlerExpired(call: IncomingCall): void {
    if (call.generation !== this.#generation) return;
    call.expired = true;
    const timeoutMs = this.#handlerTimeoutMs;
    const error = new RpcError(
      'Timeout',
      `The '${call.action}' handler did not settle within ${timeoutMs} ms (handlerTimeoutMs)`,
      { action: call.action, messageId: call.id },
    );
    call.context?.expire(error);
    if (this.#events.listening('handlerTimeout')) {
      this.#events.emit('handlerTimeout', { action: call.action, messageId: call.id, timeoutMs });
    }
    this.#replyError(
      call.id,
      'InternalError',
      `'${call.action}' could not be handled in time`,
      undefined,
    );
    this.#handlerDone(call);
  }

  #respond(call: IncomingCall, response: unknown): void {
    if (this.#stale(call)) return;
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
      this.#handlerFailed(
        call,
        new RpcError(
          'InvalidOutgoingPayload',
          `The '${call.action}' handler must return a response object`,
          { action: call.action, messageId: call.id },
        ),
      );
      return;
    }
    if (call.runtime.outgoingResponse) {
      const failures = runValidator(call.runtime.descriptor.validateResponse, response);
      if (failures instanceof ValidatorThrew) {
        this.#handlerFailed(call, failures.error);
        return;
      }
      if (failures !== undefined) {
        this.#handlerFailed(
          call,
          this.#invalidOutgoing(call.action, call.id, failures, 'response'),
        );
        return;
      }
    }
    let json: string;
    try {
      json = JSON.stringify(response);
    } catch (cause) {
      this.#handlerFailed(
        call,
        new RpcError(
          'InvalidOutgoingPayload',
          `The '${call.action}' response cannot be serialised to JSON`,
          { cause, action: call.action, messageId: call.id },
        ),
      );
      return;
    }
    this.#write(encodeResult(call.id, json));
    this.#handlerDone(call);
  }

  #handlerFailed(call: IncomingCall, error: unknown): void {
    if (this.#stale(call)) return;
    let code: CallErrorCode = 'InternalError';
    let description = `Internal error while handling '${call.action}'`;
    let details: unknown;
    if (error instanceof RpcError && isCallErrorCode(error.code) && error.peerCode === undefined) {
      // A handler chose the CALLERROR deliberately (e.g. SecurityError, OCPP-J errata 3.10).
      // A CALLERROR some peer sent us (`peerCode` set) that the handler let escape is not
      // forwarded: its description and details belong to another exchange.
      code = error.code;
      description = error.message;
      details = error.details;
    } else if (this.#detailedErrors) {
      description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (this.#events.listening('handlerError')) {
      this.#events.emit('handlerError', { action: call.action, messageId: call.id, error, code });
    }
    this.#replyError(call.id, code, description, details);
    this.#handlerDone(call);
  }

  #dropped(call: IncomingCall): void {
    if (this.#events.listening('responseDropped')) {
      this.#events.emit('responseDropped', { action: call.action, messageId: call.id });
    }
  }

  /** A handler slot is free: start the next CALL in arrival order. */
  #handlerDone(call: IncomingCall): void {
    this.#active -= 1;
    this.#incomingIds.delete(call.id);
    while (this.#active < this.#concurrency && this.#incoming.length > 0) {
      const next = this.#incoming.shift() as IncomingCall;
      this.#incomingBytes -= next.size;
      this.#run(next);
    }
  }

  #onResult({ id, payload }: DecodedResult, text: string): void {
    const pending = this.#answered(id, text, CALLRESULT);
    if (pending === undefined) return;
    this.#settle(pending);
    if (pending.runtime.incomingResponse) {
      const failures = runValidator(pending.runtime.descriptor.validateResponse, payload);
      if (failures instanceof ValidatorThrew) {
        this.#internalError(text, failures.error);
        this.#fail(
          pending,
          new RpcError(
            'InvalidIncomingPayload',
            `The '${pending.action}' response validator threw`,
            {
              cause: failures.error,
              messageId: pending.id,
              action: pending.action,
            },
          ),
        );
        this.#pump();
        return;
      }
      if (failures !== undefined) {
        const first = failures[0] as ValidationFailure;
        const code = callErrorCodeOf(first.keyword);
        if (this.#events.listening('validationFailed')) {
          this.#events.emit('validationFailed', {
            direction: 'incoming',
            kind: 'response',
            action: pending.action,
            messageId: pending.id,
            failures,
            code,
          });
        }
        this.#fail(
          pending,
          new RpcError(
            'InvalidIncomingPayload',
            `The peer's '${pending.action}' response is invalid: ${describeFailure(first)}`,
            {
              details: { code },
              failures,
              messageId: pending.id,
              action: pending.action,
            },
          ),
        );
        this.#pump();
        return;
      }
    }
    pending.resolve(payload);
    this.#pump();
  }

  #onError({ id, code: rawCode, description, details }: DecodedError, text: string): void {
    const pending = this.#answered(id, text, CALLERROR);
    if (pending === undefined) return;
    this.#settle(pending);
    // Errata §5.1/§5.2 spellings are normalised; a code outside Table 7 surfaces as GenericError.
    const code = normalizeCallErrorCode(rawCode) ?? 'GenericError';
    this.#fail(
      pending,
      new RpcError(
        code,
        description === '' ? `the peer answered '${pending.action}' with ${rawCode}` : description,
        {
          details,
          messageId: pending.id,
          action: pending.action,
          peerCode: rawCode,
        },
      ),
    );
    this.#pump();
  }

  /** The outstanding call a CALLRESULT/CALLERROR answers; anything else is late or a duplicate. */
  #answered(id: string, text: string, messageType: 3 | 4): PendingCall | undefined {
    const pending = this.#inFlight;
    if (pending === undefined || pending.id !== id) {
      if (this.#events.listening('lateResult'))
        this.#events.emit('lateResult', { messageId: id, messageType, text });
      return undefined;
    }
    return pending;
  }

  #send(pending: PendingCall): void {
    this.#inFlight = pending;
    pending.timer = setTimeout(this.#onTimer, pending.timeoutMs, pending);
    this.#write(pending.text);
  }

  /** Next queued call, once nothing is outstanding (OCPP-J §4.1.1). */
  #pump(): void {
    if (this.#inFlight !== undefined || this.#sink === undefined) return;
    const next = this.#queue.shift();
    if (next !== undefined) this.#send(next);
  }

  /** Clears the outstanding slot and the call's timer and abort listener. */
  #settle(pending: PendingCall): void {
    if (this.#inFlight === pending) this.#inFlight = undefined;
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.onAbort !== undefined)
      pending.signal?.removeEventListener('abort', pending.onAbort);
  }

  #fail(pending: PendingCall, error: RpcError): void {
    this.#settle(pending);
    if (this.#events.listening('callFailed')) {
      this.#events.emit('callFailed', { action: pending.action, messageId: pending.id, error });
    }
    pending.reject(error);
  }

  #timedOut(pending: PendingCall): void {
    if (this.#inFlight !== pending) return;
    if (this.#events.listening('timeout')) {
      this.#events.emit('timeout', {
        action: pending.action,
        messageId: pending.id,
        timeoutMs: pending.timeoutMs,
      });
    }
    this.#fail(
      pending,
      new RpcError(
        'Timeout',
        `No answer to '${pending.action}' (${pending.id}) within ${pending.timeoutMs} ms`,
        {
          messageId: pending.id,
          action: pending.action,
        },
      ),
    );
    this.#pump();
  }

  #aborted(pending: PendingCall): void {
    const wasInFlight = this.#inFlight === pending;
    if (!wasInFlight) {
      const at = this.#queue.indexOf(pending);
      if (at === -1) return;
      this.#queue.splice(at, 1);
    }
    this.#fail(
      pending,
      new RpcError(
        'Aborted',
        `'${pending.action}' (${pending.id}) aborted ${wasInFlight ? 'while awaiting its answer' : 'before it was sent'}`,
        {
          cause: pending.signal?.reason,
          messageId: pending.id,
          action: pending.action,
        },
      ),
    );
    if (wasInFlight) this.#pump();
  }

  #invalidOutgoing(
    action: string,
    messageId: string,
    failures: readonly ValidationFailure[],
    kind: 'request' | 'response' = 'request',
  ): RpcError {
    const error = invalidOutgoingPayload(action, kind, failures, messageId);
    if (this.#events.listening('validationFailed')) {
      this.#events.emit('validationFailed', {
        direction: 'outgoing',
        kind,
        action,
        messageId,
        failures,
        code: callErrorCodeOf((failures[0] as ValidationFailure).keyword),
      });
    }
    return error;
  }

  #refuse(
    id: string,
    code: CallErrorCode,
    reason: BadMessageReason,
    description: string,
    text: string,
  ): void {
    this.#replyError(id, code, description, undefined);
    this.#bad(reason, text, id, true);
  }

  #replyError(id: string, code: CallErrorCode, description: string, details: unknown): void {
    this.#write(encodeCallError(id, code, description, details));
  }

  #write(text: string): void {
    const sink = this.#sink;
    if (sink === undefined) return;
    try {
      sink.send(text);
    } catch (error) {
      if (this.#events.listening('sendFailed')) this.#events.emit('sendFailed', { text, error });
      return;
    }
    if (this.#events.listening('frameOut')) this.#events.emit('frameOut', { text });
  }

  #internalError(text: string, error: unknown): void {
    if (this.#events.listening('internalError'))
      this.#events.emit('internalError', { text, error });
  }

  #bad(
    reason: BadMessageReason,
    text: string,
    messageId: string | undefined,
    replied: boolean,
  ): void {
    this.#badMessages += 1;
    if (this.#events.listening('badMessage')) {
      this.#events.emit('badMessage', {
        reason,
        text,
        messageId,
        replied,
        count: this.#badMessages,
      });
    }
  }

  /** Forget the connection: abort running handlers' signals and drop incoming work. */
  #dropConnection(reason: unknown): void {
    this.#sink = undefined;
    this.#generation += 1;
    this.#connection.abort(reason ?? new RpcError('ConnectionLost', 'Connection lost'));
    this.#incoming = [];
    this.#incomingBytes = 0;
    this.#incomingIds.clear();
    this.#active = 0;
  }
}
