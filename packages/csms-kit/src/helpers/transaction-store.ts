// The port transactions are kept through. The kit's idempotency rules (transaction-ledger.ts)
// rely on two atomic operations: `begin` keyed by the start itself and `end` recorded once.
import type { IdTagInfo, MeterValue, Reason } from '@ocpp-kit/messages';
import { CsmsKitError } from '../errors.js';
import { idTagKey } from './id-tag-key.js';

/**
 * What identifies a start: a charge point that resends its StartTransaction.req (after a
 * restart, with the same or a new message id) repeats all of it (§4.8, OCPP-J §4.1.4).
 */
export interface TransactionStartKey {
  readonly identity: string;
  readonly connectorId: number;
  /** Epoch ms of StartTransaction.req `timestamp`. */
  readonly startedAt: number;
  readonly meterStart: number;
  readonly idTag: string;
}

export interface TransactionStart extends TransactionStartKey {
  readonly reservationId?: number;
  /** The answer given; a resend gets the same one. */
  readonly idTagInfo: IdTagInfo;
}

export interface TransactionStop {
  readonly identity: string;
  readonly transactionId: number;
  readonly idTag?: string;
  readonly meterStop: number;
  /** Epoch ms of StopTransaction.req `timestamp`. */
  readonly stoppedAt: number;
  readonly reason?: Reason;
  readonly transactionData?: readonly MeterValue[];
}

export interface StoredTransaction extends TransactionStart {
  readonly transactionId: number;
  readonly stop?: TransactionStop;
}

/**
 * `Stopped`: recorded now. `AlreadyStopped`: a resend, nothing changed. `UnknownTransaction`:
 * no such start (lost, or sent to another central system); the stop was kept as an orphan.
 */
export type TransactionEndResult =
  | { readonly status: 'Stopped'; readonly transaction: StoredTransaction }
  | { readonly status: 'AlreadyStopped'; readonly transaction: StoredTransaction }
  | { readonly status: 'UnknownTransaction' };

export interface BeginResult {
  readonly transaction: StoredTransaction;
  readonly created: boolean;
}

type MaybePromise<T> = T | Promise<T>;

/** Where transactions live; each method is one atomic step. */
export interface TransactionStore {
  /** The transaction recorded for this start, if any. */
  findStart(key: TransactionStartKey): MaybePromise<StoredTransaction | undefined>;
  /**
   * Records a start with a new transaction id, or returns the start already recorded under the
   * same key (`created: false`) when another writer got there first.
   */
  begin(start: TransactionStart): MaybePromise<BeginResult>;
  /** Records a stop once (see `TransactionEndResult`); an unknown id is kept, never dropped. */
  end(stop: TransactionStop): MaybePromise<TransactionEndResult>;
  /** Transactions in progress with this idTag (case-insensitive). */
  activeCount(idTag: string): MaybePromise<number>;
  /** A transaction by id. */
  get(transactionId: number): MaybePromise<StoredTransaction | undefined>;
}

/** Transaction ids are JSON integers; charge points commonly keep them in an int32. */
export const maxTransactionId = 2_147_483_647;

function startKeyOf(key: TransactionStartKey): string {
  return JSON.stringify([
    key.identity,
    key.connectorId,
    key.startedAt,
    key.meterStart,
    idTagKey(key.idTag),
  ]);
}

/** Transactions in memory (ids from 1 up), for tests and single-process deployments. */
export class MemoryTransactionStore implements TransactionStore {
  readonly #byId = new Map<number, StoredTransaction>();
  readonly #byStart = new Map<string, number>();
  readonly #active = new Map<string, number>();
  readonly #orphans = new Map<string, TransactionStop>();
  #nextId: number;

  constructor(options: { readonly firstTransactionId?: number } = {}) {
    this.#nextId = options.firstTransactionId ?? 1;
  }

  findStart(key: TransactionStartKey): StoredTransaction | undefined {
    const id = this.#byStart.get(startKeyOf(key));
    return id === undefined ? undefined : this.#byId.get(id);
  }

  begin(start: TransactionStart): BeginResult {
    const existing = this.findStart(start);
    if (existing !== undefined) return { transaction: existing, created: false };
    if (this.#nextId > maxTransactionId) {
      throw new CsmsKitError(
        'STORAGE_FAILED',
        `Transaction ids are exhausted (${maxTransactionId}): start a new store`,
      );
    }
    const transaction: StoredTransaction = { ...start, transactionId: this.#nextId++ };
    this.#byId.set(transaction.transactionId, transaction);
    this.#byStart.set(startKeyOf(start), transaction.transactionId);
    const tag = idTagKey(start.idTag);
    this.#active.set(tag, (this.#active.get(tag) ?? 0) + 1);
    return { transaction, created: true };
  }

  end(stop: TransactionStop): TransactionEndResult {
    const transaction = this.#byId.get(stop.transactionId);
    if (transaction === undefined || transaction.identity !== stop.identity) {
      const key = JSON.stringify([stop.identity, stop.transactionId]);
      if (!this.#orphans.has(key)) this.#orphans.set(key, stop);
      return { status: 'UnknownTransaction' };
    }
    if (transaction.stop !== undefined) return { status: 'AlreadyStopped', transaction };
    const stopped: StoredTransaction = { ...transaction, stop };
    this.#byId.set(stop.transactionId, stopped);
    const tag = idTagKey(transaction.idTag);
    const active = (this.#active.get(tag) ?? 1) - 1;
    if (active > 0) this.#active.set(tag, active);
    else this.#active.delete(tag);
    return { status: 'Stopped', transaction: stopped };
  }

  activeCount(idTag: string): number {
    return this.#active.get(idTagKey(idTag)) ?? 0;
  }

  get(transactionId: number): StoredTransaction | undefined {
    return this.#byId.get(transactionId);
  }

  /** Stops for transactions this store never saw, kept (once each) so that no stop is lost. */
  orphanStops(): IterableIterator<TransactionStop> {
    return this.#orphans.values();
  }

  /** Every transaction, oldest first. */
  transactions(): IterableIterator<StoredTransaction> {
    return this.#byId.values();
  }
}
