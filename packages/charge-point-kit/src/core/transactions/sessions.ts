import type {
  IdTagInfo,
  MeterValue,
  Reason,
  StartTransactionResponse,
  StopTransactionRequest,
  StopTransactionResponse,
} from '@ocpp-kit/messages';
import type { QueuedMessage } from '../../storage/queue-table.js';
import { loadState, putState } from '../../storage/state-table.js';
import {
  appendTransactionData,
  deleteTransaction,
  insertTransaction,
  loadTransactionData,
  loadTransactions,
  markStopped,
  setTransactionId,
  type TransactionRecord,
} from '../../storage/transaction-tables.js';
import type { KitCore } from '../kit-core.js';
import { meterValueOf } from '../metering/sampled-values.js';
import { thinTransactionData } from './thin-transaction-data.js';

export interface StartRequest {
  readonly connectorId: number;
  readonly idTag: string;
  readonly idTagInfo: IdTagInfo;
  readonly reservationId?: number;
  /** SQL of another part of the state, run in the same write as the start (all or nothing). */
  readonly alongside?: (record: TransactionRecord) => void;
}

export interface StopRequest {
  readonly reason: Reason;
  /** The idTag that stopped it; absent when the charge point itself stops (§4.10). */
  readonly idTag?: string;
}

/**
 * The durable record of every transaction and its messages (§3.7, §4.8, §4.10): a start is
 * stored with its StartTransaction in one write, a stop with its StopTransaction, and the
 * record goes only when the StopTransaction left the queue. In memory: every stored record.
 */
export class Sessions {
  readonly #core: KitCore;
  readonly #records = new Map<number, TransactionRecord>();
  #lastLocalId: number;

  constructor(core: KitCore) {
    this.#core = core;
    for (const record of loadTransactions(core.store, core.station))
      this.#records.set(record.localId, record);
    const last = loadState(core.store, core.station, 'transactions.lastLocalId');
    this.#lastLocalId = typeof last === 'number' ? last : 0;
    core.queue.setHooks({
      transactionIdOf: (localId) => this.#records.get(localId)?.transactionId,
      delivered: (message, response) => this.#delivered(message, response),
      discarded: (message) => this.#discarded(message),
      settled: (outcome) =>
        this.#settled(outcome.message, outcome.kind === 'delivered' ? outcome.response : undefined),
    });
  }

  /** The running (not stopped) transaction of a connector. */
  active(connectorId: number): TransactionRecord | undefined {
    for (const record of this.#records.values()) {
      if (record.connectorId === connectorId && record.stoppedAt === undefined) return record;
    }
    return undefined;
  }

  /** Every running transaction. */
  running(): TransactionRecord[] {
    return [...this.#records.values()].filter((record) => record.stoppedAt === undefined);
  }

  /** The running transaction with this CSMS transactionId (RemoteStopTransaction, §5.12). */
  byTransactionId(transactionId: number): TransactionRecord | undefined {
    return this.running().find((record) => record.transactionId === transactionId);
  }

  /** Starts a transaction: stored with its StartTransaction before anything else happens. */
  async start(request: StartRequest): Promise<TransactionRecord> {
    const core = this.#core;
    const reading = await core.outputs.read(request.connectorId);
    this.#lastLocalId += 1;
    const record: TransactionRecord = {
      localId: this.#lastLocalId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      parentIdTag: request.idTagInfo.parentIdTag,
      meterStart: Math.round(reading.energyWh),
      startedAt: core.now(),
      reservationId: request.reservationId,
      transactionId: undefined,
      stoppedAt: undefined,
    };
    const timestamp = new Date(record.startedAt).toISOString();
    // §3.16.6 (errata 3.14): the start values of the measurands the StopTransaction carries.
    const begin = meterValueOf(this.#stopItems(), reading, 'Transaction.Begin', timestamp);
    const { store, station } = core;
    await core.queue.enqueue(
      'StartTransaction',
      {
        connectorId: record.connectorId,
        idTag: record.idTag,
        meterStart: record.meterStart,
        timestamp,
        ...(record.reservationId === undefined ? {} : { reservationId: record.reservationId }),
      },
      record.localId,
      () => {
        insertTransaction(store, station, record);
        putState(store, station, 'transactions.lastLocalId', record.localId);
        if (begin !== undefined) appendTransactionData(store, station, record.localId, begin);
        request.alongside?.(record);
      },
    );
    this.#records.set(record.localId, record);
    return record;
  }

  /**
   * Stops a running transaction: stored with its StopTransaction. Resolves with meterStop,
   * never below meterStart (errata 3.78: registers are monotonic).
   */
  async stop(record: TransactionRecord, request: StopRequest): Promise<number> {
    const core = this.#core;
    const reading = await core.outputs.read(record.connectorId);
    const stoppedAt = core.now();
    const timestamp = new Date(stoppedAt).toISOString();
    const end = meterValueOf(this.#stopItems(), reading, 'Transaction.End', timestamp);
    const collected = loadTransactionData(core.store, core.station, record.localId);
    const transactionData = thinTransactionData(
      end === undefined ? collected : [...collected, end],
      core.config.get('StopTransactionMaxMeterValues'),
    );
    const payload: Omit<StopTransactionRequest, 'transactionId'> = {
      meterStop: Math.max(record.meterStart, Math.round(reading.energyWh)),
      timestamp,
      reason: request.reason,
      ...(request.idTag === undefined ? {} : { idTag: request.idTag }),
      ...(transactionData.length === 0 ? {} : { transactionData }),
    };
    const { store, station } = core;
    await core.queue.enqueue('StopTransaction', payload, record.localId, () =>
      markStopped(store, station, record.localId, stoppedAt),
    );
    this.#records.set(record.localId, { ...record, stoppedAt });
    return payload.meterStop;
  }

  /** Stores a meter value for the transaction's StopTransaction (StopTxnSampledData / StopTxnAlignedData). */
  collect(record: TransactionRecord, value: MeterValue): Promise<void> {
    const { store, station } = this.#core;
    return store.write(() => appendTransactionData(store, station, record.localId, value));
  }

  #stopItems(): string[] {
    const config = this.#core.config;
    return [...new Set([...config.get('StopTxnSampledData'), ...config.get('StopTxnAlignedData')])];
  }

  #delivered(message: QueuedMessage, response: unknown): void {
    const { store, station } = this.#core;
    if (message.localTransaction === undefined) return;
    if (message.action === 'StartTransaction') {
      setTransactionId(
        store,
        station,
        message.localTransaction,
        (response as StartTransactionResponse).transactionId,
      );
    } else if (message.action === 'StopTransaction') {
      deleteTransaction(store, station, message.localTransaction);
    }
  }

  #discarded(message: QueuedMessage): void {
    const { store, station } = this.#core;
    if (message.localTransaction === undefined) return;
    // Errata 3.18: a start the CSMS never took makes the transaction's later messages carry -1.
    if (message.action === 'StartTransaction')
      setTransactionId(store, station, message.localTransaction, -1);
    else if (message.action === 'StopTransaction')
      deleteTransaction(store, station, message.localTransaction);
  }

  #settled(message: QueuedMessage, response: unknown): void {
    const localId = message.localTransaction;
    const record = localId === undefined ? undefined : this.#records.get(localId);
    if (record === undefined) return;
    const core = this.#core;
    if (message.action === 'StartTransaction') {
      const answer = response as StartTransactionResponse | undefined;
      const updated = { ...record, transactionId: answer?.transactionId ?? -1 };
      this.#records.set(record.localId, updated);
      if (answer !== undefined) {
        void core.authorizer.record(record.idTag, answer.idTagInfo).catch(() => {});
        core.events.emit('transactionConfirmed', {
          connectorId: record.connectorId,
          transactionId: answer.transactionId,
          idTagInfo: answer.idTagInfo,
          stopped: updated.stoppedAt !== undefined,
        });
      }
    } else if (message.action === 'StopTransaction') {
      this.#records.delete(record.localId);
      const info = (response as StopTransactionResponse | undefined)?.idTagInfo;
      const stoppedBy = (message.payload as { idTag?: string }).idTag ?? record.idTag;
      if (info !== undefined) void core.authorizer.record(stoppedBy, info).catch(() => {});
    }
  }
}
