import { randomBytes } from 'node:crypto';
import { ocpp16 } from '@ocpp-kit/messages';
import { RpcError } from '@ocpp-kit/rpc-core';
import { Timer, type Timers } from '../core/timers.js';
import { ChargePointKitError } from '../errors.js';
import type { KitStore } from '../storage/kit-store.js';
import {
  countQueuedAttempt,
  deleteQueued,
  insertQueued,
  nextQueueSeq,
  type QueuedMessage,
  queueHead,
  queueLength,
  type TransactionAction,
} from '../storage/queue-table.js';

/** Sends one CALL with the given message id and resolves with the CSMS's validated answer. */
export type QueueSender = (
  action: TransactionAction,
  payload: Record<string, unknown>,
  messageId: string,
) => Promise<unknown>;

/** What the owner of the transactions does when a message leaves the queue. */
export interface QueueHooks {
  /**
   * Runs inside the write that removes the delivered message, so what the answer means (e.g.
   * the transactionId of a StartTransaction.conf) is stored atomically with its removal.
   */
  readonly delivered: (message: QueuedMessage, response: unknown) => void;
  /** Runs inside the write that drops a message the CSMS failed to process too often (§3.7.1). */
  readonly discarded: (message: QueuedMessage) => void;
  /** After the write is durable: act on the outcome (in memory, hardware, events). */
  readonly settled: (outcome: QueueOutcome) => void;
  /**
   * The CSMS's transactionId for a local one: undefined while unknown, -1 once its
   * StartTransaction was discarded (errata 3.18).
   */
  readonly transactionIdOf: (localTransaction: number) => number | undefined;
}

export type QueueOutcome =
  | { readonly kind: 'delivered'; readonly message: QueuedMessage; readonly response: unknown }
  | { readonly kind: 'discarded'; readonly message: QueuedMessage; readonly error: RpcError };

export interface TransactionQueueOptions {
  readonly store: KitStore;
  readonly station: string;
  readonly send: QueueSender;
  /** Default: none (set by the transactions behaviour with `setHooks`). */
  readonly hooks?: QueueHooks;
  /** TransactionMessageAttempts and TransactionMessageRetryInterval (s), read at each failure. */
  readonly attempts: () => number;
  readonly retryIntervalSeconds: () => number;
  readonly timers: Timers;
  /** The queue stopped: its storage failed or a stored message is corrupt. */
  readonly onError: (error: unknown) => void;
  /** A failure to process: the CALLERROR or timeout, the attempt it was, and what follows. */
  readonly onFailure?: (event: {
    message: QueuedMessage;
    error: RpcError;
    retryInMs: number | undefined;
  }) => void;
}

const noHooks: QueueHooks = {
  delivered: () => {},
  discarded: () => {},
  settled: () => {},
  transactionIdOf: () => undefined,
};

// A connection that goes away is no failure to process (§3.7.1): resend once back online.
const notCounted = new Set([
  'ConnectionLost',
  'NotConnected',
  'Closed',
  'GaveUp',
  'Aborted',
  'QueueFull',
]);

/**
 * The durable, strictly ordered queue of transaction-related messages (§3.7, §3.7.1). A
 * message is stored before it is sent and removed only in the write that stores its answer, so
 * a kill at any instant loses nothing; a resend after a restart or a lost connection carries the
 * same OCPP-J message id. Only the head is held in memory.
 */
export class TransactionQueue {
  readonly #options: TransactionQueueOptions;
  readonly #retry: Timer;
  // A fresh prefix per process run keeps new ids unique across restarts; stored ids are reused.
  readonly #idPrefix = randomBytes(6).toString('base64url');
  #hooks: QueueHooks;
  // Per run, never reused: seq restarts once the queue is empty, an id must not (OCPP-J §4.1.4).
  #sent = 0;
  #online = false;
  #busy = false;
  #stopped = false;

  constructor(options: TransactionQueueOptions) {
    this.#options = options;
    this.#retry = new Timer(options.timers);
    this.#hooks = options.hooks ?? noHooks;
  }

  /** Who owns the transactions the messages belong to. */
  setHooks(hooks: QueueHooks): void {
    this.#hooks = hooks;
  }

  /** Messages stored and not yet delivered or discarded. */
  get length(): number {
    return queueLength(this.#options.store, this.#options.station);
  }

  /**
   * Stores a message durably and then lets it go out in its turn; `alongside` (SQL) commits in
   * the same write, e.g. the transaction the message starts. Rejects, storing nothing, with
   * `INVALID_MESSAGE` when the payload does not match the schema (it could never be delivered).
   */
  async enqueue(
    action: TransactionAction,
    payload: Record<string, unknown>,
    localTransaction?: number,
    alongside?: () => void,
  ): Promise<QueuedMessage> {
    checkPayload(action, payload, localTransaction);
    const { store, station } = this.#options;
    let message: QueuedMessage | undefined;
    await store.write(() => {
      alongside?.();
      const seq = nextQueueSeq(store, station);
      message = {
        seq,
        messageId: this.#nextMessageId(),
        action,
        payload,
        localTransaction,
        attempts: 0,
      };
      insertQueued(store, station, message);
    });
    this.#pump();
    return message as QueuedMessage;
  }

  /** Connected and accepted (§4.2.1: nothing before an accepted BootNotification): deliver. */
  resume(): void {
    this.#online = true;
    this.#pump();
  }

  /** Offline or not accepted: keep storing, send nothing. */
  pause(): void {
    this.#online = false;
    this.#retry.cancel();
  }

  /** For good (the charge point stops); stored messages stay for the next start. */
  stop(): void {
    this.#stopped = true;
    this.pause();
  }

  #nextMessageId(): string {
    this.#sent += 1;
    return `${this.#idPrefix}-${this.#sent.toString(36)}`;
  }

  #pump(): void {
    if (this.#busy || !this.#online || this.#stopped || this.#retry.armed) return;
    this.#busy = true;
    this.#drain().then(
      () => {
        this.#busy = false;
      },
      (error: unknown) => {
        // A storage failure or a corrupt row: stop delivering rather than skip or reorder.
        this.#busy = false;
        this.stop();
        this.#options.onError(error);
      },
    );
  }

  async #drain(): Promise<void> {
    const { store, station } = this.#options;
    const hooks = this.#hooks;
    while (this.#online && !this.#stopped) {
      const head = queueHead(store, station);
      if (head === undefined) return;
      let response: unknown;
      try {
        response = await this.#options.send(head.action, this.#wirePayload(head), head.messageId);
      } catch (error) {
        const failure =
          error instanceof RpcError
            ? error
            : new RpcError('InternalError', String(error), { cause: error });
        if (notCounted.has(failure.code)) return;
        if (!(await this.#failed(head, failure))) return;
        continue;
      }
      await store.write(() => {
        deleteQueued(store, station, head.seq);
        hooks.delivered(head, response);
      });
      hooks.settled({ kind: 'delivered', message: head, response });
    }
  }

  /** Counts a failure to process; true when the message was discarded and the next may go. */
  async #failed(message: QueuedMessage, error: RpcError): Promise<boolean> {
    const { store, station } = this.#options;
    const hooks = this.#hooks;
    const attempts = message.attempts + 1;
    if (attempts >= this.#options.attempts()) {
      await store.write(() => {
        deleteQueued(store, station, message.seq);
        hooks.discarded(message);
      });
      this.#options.onFailure?.({ message, error, retryInMs: undefined });
      hooks.settled({ kind: 'discarded', message, error });
      return true;
    }
    await store.write(() => countQueuedAttempt(store, station, message.seq));
    // §3.7.1: wait TransactionMessageRetryInterval times the transmissions made so far.
    const retryInMs = this.#options.retryIntervalSeconds() * attempts * 1000;
    this.#options.onFailure?.({ message, error, retryInMs });
    this.#retry.arm(retryInMs, () => this.#pump());
    return false;
  }

  #wirePayload(message: QueuedMessage): Record<string, unknown> {
    // StartTransaction.req has no transactionId: its answer brings it.
    if (message.localTransaction === undefined || message.action === 'StartTransaction')
      return message.payload;
    const transactionId = this.#hooks.transactionIdOf(message.localTransaction);
    if (transactionId === undefined) {
      // Strict order delivers a transaction's Start first, so this is a bug, never a -1 guess.
      throw new ChargePointKitError(
        'STORAGE_CORRUPT',
        `${message.action} ${message.messageId} refers to local transaction ${message.localTransaction}, whose StartTransaction is neither delivered nor discarded`,
      );
    }
    return { ...message.payload, transactionId };
  }
}

function checkPayload(
  action: TransactionAction,
  payload: Record<string, unknown>,
  localTransaction: number | undefined,
): void {
  const descriptor = ocpp16.actions.get(action);
  const candidate =
    localTransaction === undefined || action === 'StartTransaction'
      ? payload
      : { ...payload, transactionId: 0 };
  const failures = descriptor?.validateRequest(candidate);
  if (failures !== undefined && failures.length > 0) {
    throw new ChargePointKitError(
      'INVALID_MESSAGE',
      `${action} would be refused by the schema: ${failures.map((f) => f.message).join('; ')}`,
    );
  }
}
