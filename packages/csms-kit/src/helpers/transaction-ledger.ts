// StartTransaction/StopTransaction handled so that a resend never makes a second transaction and a
// stop is never lost (§4.8, §4.10, §3.16.2 "Transaction-related messages" are retried until
// answered, possibly after a restart, possibly days late, possibly with the same message id).
import type {
  StartTransactionRequest,
  StartTransactionResponse,
  StopTransactionRequest,
  StopTransactionResponse,
} from '@ocpp-kit/messages';
import { RpcError } from '@ocpp-kit/rpc-core';
import type { Authorizer } from './authorization.js';
import type {
  StoredTransaction,
  TransactionEndResult,
  TransactionStore,
} from './transaction-store.js';

export interface LedgerStart {
  readonly response: StartTransactionResponse;
  readonly transaction: StoredTransaction;
  /** False for a resend of a start already recorded: same transaction, same answer. */
  readonly created: boolean;
}

export interface LedgerStop {
  readonly response: StopTransactionResponse;
  readonly result: TransactionEndResult;
}

function instantOf(timestamp: string, field: string): number {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) {
    throw new RpcError('PropertyConstraintViolation', `${field} is not a date-time`);
  }
  return at;
}

export class TransactionLedger {
  readonly #store: TransactionStore;
  readonly #authorizer: Authorizer;

  constructor(store: TransactionStore, authorizer: Authorizer) {
    this.#store = store;
    this.#authorizer = authorizer;
  }

  get store(): TransactionStore {
    return this.#store;
  }

  async start(identity: string, request: StartTransactionRequest): Promise<LedgerStart> {
    const key = {
      identity,
      connectorId: request.connectorId,
      startedAt: instantOf(request.timestamp, 'timestamp'),
      meterStart: request.meterStart,
      idTag: request.idTag,
    };
    // A resend is answered from the record: authorizing it again would call the tag
    // ConcurrentTx with its own transaction.
    const recorded = await this.#store.findStart(key);
    if (recorded !== undefined) {
      return { response: responseOf(recorded), transaction: recorded, created: false };
    }
    const idTagInfo = await this.#authorizer.authorizeStart(request.idTag, identity);
    const { transaction, created } = await this.#store.begin({
      ...key,
      idTagInfo,
      ...(request.reservationId === undefined ? {} : { reservationId: request.reservationId }),
    });
    return { response: responseOf(transaction), transaction, created };
  }

  async stop(identity: string, request: StopTransactionRequest): Promise<LedgerStop> {
    const result = await this.#store.end({
      identity,
      transactionId: request.transactionId,
      meterStop: request.meterStop,
      stoppedAt: instantOf(request.timestamp, 'timestamp'),
      ...(request.idTag === undefined ? {} : { idTag: request.idTag }),
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      ...(request.transactionData === undefined
        ? {}
        : { transactionData: request.transactionData }),
    });
    // §6.50: idTagInfo only when the stop names an idTag. Every outcome gets an answer, or
    // the charge point would resend the stop forever.
    const response: StopTransactionResponse =
      request.idTag === undefined
        ? {}
        : { idTagInfo: await this.#authorizer.authorize(request.idTag, identity) };
    return { response, result };
  }
}

function responseOf(transaction: StoredTransaction): StartTransactionResponse {
  return { transactionId: transaction.transactionId, idTagInfo: transaction.idTagInfo };
}
