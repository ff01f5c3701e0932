import type { ocpp16 } from '@ocpp-kit/messages';
import { type CallRequest, isCallErrorCode, RpcError } from '@ocpp-kit/rpc-core';
import { loadState, putState } from '../storage/state-table.js';
import type { KitCore } from './kit-core.js';

/** Whether a failed CALL was answered (a CALLERROR reached us) rather than lost on the way. */
export function answered(error: unknown): boolean {
  return error instanceof RpcError && isCallErrorCode(error.code);
}

/** The progress notifications of the file jobs (§4.4, §4.5, whitepaper L01, N01). */
export type ReportAction =
  | 'FirmwareStatusNotification'
  | 'DiagnosticsStatusNotification'
  | 'SignedFirmwareStatusNotification'
  | 'LogStatusNotification';

type PayloadOf<A extends ReportAction> = CallRequest<typeof ocpp16, 'ChargePoint', A>;

interface Stored<A extends ReportAction> {
  readonly payload: PayloadOf<A>;
  readonly delivered: boolean;
}

/**
 * The last progress notification of one kind: stored before it is sent (with the job's own
 * state, in one write), sent at once when accepted, else once the CSMS accepts the charge point
 * again, so a status reported offline or before a power loss still arrives. A CALLERROR is an
 * answer; only a lost one is sent again.
 */
export class StatusReports<A extends ReportAction> {
  readonly #core: KitCore;
  readonly #action: A;
  readonly #name: string;
  #last: Stored<A> | undefined;

  constructor(core: KitCore, action: A) {
    this.#core = core;
    this.#action = action;
    this.#name = `report.${action}`;
    const stored = loadState(core.store, core.station, this.#name) as Stored<A> | undefined;
    this.#last =
      typeof stored === 'object' && stored !== null && typeof stored.payload === 'object'
        ? stored
        : undefined;
    core.events.on('accepted', () => void this.#deliver());
  }

  /** The payload last reported, delivered or not. */
  get last(): PayloadOf<A> | undefined {
    return this.#last?.payload;
  }

  /** Stores `payload` (and `alongside`, the job's own SQL, in the same write), then sends it. */
  async report(payload: PayloadOf<A>, alongside?: () => void): Promise<void> {
    const stored: Stored<A> = { payload, delivered: false };
    const { store, station } = this.#core;
    await store.write(() => {
      alongside?.();
      putState(store, station, this.#name, stored);
    });
    this.#last = stored;
    await this.#deliver();
  }

  async #deliver(): Promise<void> {
    const last = this.#last;
    if (last === undefined || last.delivered || !this.#core.accepted) return;
    try {
      await this.#core.call(this.#action as never, last.payload as never);
    } catch (error) {
      this.#core.logger.debug('report.failed', { action: this.#action, error: String(error) });
      if (!answered(error)) return;
    }
    if (this.#last !== last) return;
    const delivered: Stored<A> = { payload: last.payload, delivered: true };
    this.#last = delivered;
    const { store, station } = this.#core;
    await store
      .write(() => putState(store, station, this.#name, delivered))
      .catch((error: unknown) => this.#core.events.emit('error', { error: error as Error }));
  }
}
