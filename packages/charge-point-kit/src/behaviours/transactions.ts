import type { ChargingProfile, IdTagInfo } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';
import type { StopRequest } from '../core/transactions/sessions.js';
import type {
  PresentResult,
  ReservationGate,
  TransactionFlow,
} from '../core/transactions/transaction-flow.js';
import type { TransactionRecord } from '../storage/transaction-tables.js';

/** What the charge point does with transactions it finds running at start (after a power loss). */
export type AfterRestart = 'stop' | 'resume';

interface Pending {
  readonly idTag: string;
  readonly idTagInfo: IdTagInfo;
  readonly reservationId: number | undefined;
  /** RemoteStartTransaction's TxProfile for the transaction (§5.16.2). */
  readonly chargingProfile: ChargingProfile | undefined;
}

/**
 * Stops after which the kit does not unlock the cable itself: errata 3.5 (a refused idTag keeps
 * it locked), an EV-side disconnect (UnlockConnectorOnEVSideDisconnect decides) and
 * UnlockConnector (which unlocks by itself, §5.18).
 */
const keepsLocked = new Set(['DeAuthorized', 'EVDisconnected', 'UnlockCommand']);

/** How often energy is checked against MaxEnergyOnInvalidId (§9.1.14). */
export const maxEnergyPollMs = 5_000;

/**
 * Transactions as the driver lives them (§3.6, §4.8, §4.10, errata 3.17, 3.20): an idTag
 * presented, a cable plugged, ConnectionTimeOut, stop by the same idTag or its group (§3.10),
 * EV-side disconnects, an idTag the CSMS refuses after the start, and the transactions a power
 * loss interrupted.
 */
export function transactionsBehaviour(
  core: KitCore,
  options: { readonly afterRestart: AfterRestart; readonly reservations: ReservationGate },
) {
  const { connectors, sessions, authorizer, config, hardware, limits } = core;
  const pending = new Map<number, Pending>();
  const timeouts = new Map<number, Timer>();
  const starting = new Set<number>();
  const stopping = new Set<number>();
  const energyWatch = new Map<number, Timer>();

  const timeout = (connectorId: number): Timer => {
    let timer = timeouts.get(connectorId);
    if (timer === undefined) {
      timer = new Timer(core.timers);
      timeouts.set(connectorId, timer);
    }
    return timer;
  };

  // Energising changes how ChargePointMaxProfile is shared (§3.13.3): the limits follow at once.
  const output = (connectorId: number, energize: boolean): Promise<void> => {
    if (limits === undefined) return core.outputs.energize(connectorId, energize);
    core.outputs.hold(connectorId, energize);
    limits.apply();
    return core.outputs.flush(connectorId);
  };

  const armConnectionTimeout = (connectorId: number): void => {
    const seconds = config.get('ConnectionTimeOut');
    if (seconds === 0) return;
    timeout(connectorId).arm(seconds * 1000, () => {
      if (sessions.active(connectorId) !== undefined || starting.has(connectorId)) return;
      const plugged = connectors.facts(connectorId).plugged;
      pending.delete(connectorId);
      // B1: authorized but never plugged returns to Available; B6 (errata 3.20): plugged but
      // never authorized goes to Finishing, so no later idTag starts on that cable.
      connectors.update(connectorId, { preparing: false, finishing: plugged });
      core.logger.info('transaction.connectionTimeout', { connectorId });
    });
  };

  const startNow = async (connectorId: number): Promise<void> => {
    const wanted = pending.get(connectorId);
    if (
      wanted === undefined ||
      starting.has(connectorId) ||
      sessions.active(connectorId) !== undefined
    )
      return;
    starting.add(connectorId);
    timeout(connectorId).cancel();
    try {
      const record = await sessions.start({
        connectorId,
        idTag: wanted.idTag,
        idTagInfo: wanted.idTagInfo,
        ...(wanted.reservationId === undefined ? {} : { reservationId: wanted.reservationId }),
        ...(limits === undefined
          ? {}
          : { alongside: (started) => limits.storeStarted(started, wanted.chargingProfile) }),
      });
      pending.delete(connectorId);
      connectors.update(connectorId, {
        preparing: false,
        finishing: false,
        transaction: { evSuspended: false, evseSuspended: false },
      });
      await output(connectorId, true);
      core.events.emit('transactionStarted', {
        connectorId,
        idTag: record.idTag,
        meterStart: record.meterStart,
        resumed: false,
        reservationId: record.reservationId,
      });
    } catch (error) {
      void limits?.ended().catch(() => undefined);
      core.logger.error('transaction.startFailed', { connectorId, error: String(error) });
      core.events.emit('error', { error: error as Error });
    } finally {
      starting.delete(connectorId);
    }
  };

  const flow: TransactionFlow = {
    begin(connectorId, idTag, idTagInfo, chargingProfile) {
      const admission = options.reservations.admit(connectorId, idTag, idTagInfo.parentIdTag);
      if (!admission.allowed) return false;
      pending.set(connectorId, {
        idTag,
        idTagInfo,
        reservationId: admission.reservationId,
        chargingProfile,
      });
      connectors.update(connectorId, { preparing: true, finishing: false });
      if (connectors.facts(connectorId).plugged) void startNow(connectorId);
      else armConnectionTimeout(connectorId);
      return true;
    },

    async stopAll(reason) {
      for (const record of sessions.running()) await flow.stop(record.connectorId, { reason });
    },

    admits(connectorId, idTag) {
      return options.reservations.admit(connectorId, idTag, undefined).allowed;
    },

    async stop(connectorId, request: StopRequest) {
      const record = sessions.active(connectorId);
      if (record === undefined || stopping.has(connectorId)) return false;
      stopping.add(connectorId);
      try {
        energyWatch.get(connectorId)?.cancel();
        await output(connectorId, false);
        const meterStop = await sessions.stop(record, request);
        const plugged = connectors.facts(connectorId).plugged;
        connectors.update(connectorId, {
          transaction: undefined,
          finishing: plugged,
          preparing: false,
        });
        core.events.emit('transactionStopped', {
          connectorId,
          reason: request.reason,
          meterStop,
        });
        // §4.10: a normal end unlocks the cable; errata 3.5: a refused idTag keeps it locked.
        if (plugged && !keepsLocked.has(request.reason)) {
          await unlock(connectorId);
        }
        return true;
      } finally {
        stopping.delete(connectorId);
      }
    },
  };

  const unlock = async (connectorId: number): Promise<void> => {
    try {
      await hardware.unlock?.(connectorId);
    } catch (error) {
      core.logger.warn('hardware.unlock', { connectorId, error: String(error) });
    }
  };

  /** The connector an idTag presented without one is meant for. */
  const targetConnector = (connectorId: number | undefined): number | undefined => {
    if (connectorId !== undefined) return connectorId;
    if (connectors.count === 1) return 1;
    const ids = connectors
      .ids()
      .filter((id) => sessions.active(id) === undefined && !pending.has(id));
    const plugged = ids.find(
      (id) => connectors.facts(id).plugged && !connectors.facts(id).finishing,
    );
    return plugged ?? ids.find((id) => connectors.status(id) === 'Available');
  };

  const presentIdTag = async (idTag: string, connectorId?: number): Promise<PresentResult> => {
    const same = (record: TransactionRecord) => record.idTag.toLowerCase() === idTag.toLowerCase();
    const running =
      connectorId === undefined ? sessions.running().find(same) : sessions.active(connectorId);
    if (running !== undefined) {
      // §4.1: no Authorize.req when the idTag that started it stops it; §3.10 its group may.
      if (!(await authorizer.maySettle(running, idTag)))
        return { outcome: 'Rejected', reason: 'NotAllowedToStop' };
      await flow.stop(running.connectorId, { reason: 'Local', idTag });
      return { outcome: 'Stopped', connectorId: running.connectorId };
    }
    const target = targetConnector(connectorId);
    const usable =
      target !== undefined &&
      ['Available', 'Preparing', 'Finishing', 'Reserved'].includes(connectors.status(target));
    if (target === undefined || !usable) return { outcome: 'Rejected', reason: 'NoConnector' };
    const authorization = await authorizer.authorize(idTag);
    if (!authorization.accepted) {
      return { outcome: 'Rejected', reason: 'NotAuthorized', idTagInfo: authorization.idTagInfo };
    }
    // §5.13: a reserved connector takes only the reserved idTag or its group.
    if (!flow.begin(target, idTag, authorization.idTagInfo))
      return { outcome: 'Rejected', reason: 'Reserved' };
    return { outcome: 'Authorized', connectorId: target };
  };

  const plugged = (connectorId: number): void => {
    connectors.update(connectorId, { plugged: true });
    const record = sessions.active(connectorId);
    if (record !== undefined) {
      // StopTransactionOnEVSideDisconnect false: the EV is back and energy flows again (§4.10).
      connectors.update(connectorId, { transaction: { evSuspended: false, evseSuspended: false } });
      void output(connectorId, true);
      return;
    }
    if (pending.has(connectorId)) void startNow(connectorId);
    else armConnectionTimeout(connectorId);
  };

  const unplugged = (connectorId: number): void => {
    const record = sessions.active(connectorId);
    if (record === undefined) {
      timeout(connectorId).cancel();
      pending.delete(connectorId);
      connectors.update(connectorId, { plugged: false, finishing: false, preparing: false });
      return;
    }
    connectors.update(connectorId, { plugged: false });
    if (config.get('StopTransactionOnEVSideDisconnect')) {
      void flow.stop(connectorId, { reason: 'EVDisconnected' }).then(() => {
        connectors.update(connectorId, { finishing: false });
        if (config.get('UnlockConnectorOnEVSideDisconnect')) return unlock(connectorId);
        return undefined;
      });
      return;
    }
    // §4.10: the transaction stays; the cable stays locked; no energy until the EV is back.
    connectors.update(connectorId, { transaction: { evSuspended: true, evseSuspended: false } });
    void output(connectorId, false);
  };

  const evSuspended = (connectorId: number, suspended: boolean): void => {
    const facts = connectors.facts(connectorId);
    if (facts.transaction === undefined) return;
    connectors.update(connectorId, {
      transaction: { ...facts.transaction, evSuspended: suspended },
    });
  };

  // Errata 3.17: an idTag the StartTransaction.conf does not accept, on a transaction still running.
  core.events.on('transactionConfirmed', ({ connectorId, transactionId, idTagInfo, stopped }) => {
    if (stopped || idTagInfo.status === 'Accepted') return;
    if (sessions.active(connectorId)?.transactionId !== transactionId) return;
    const maxEnergy = config.has('MaxEnergyOnInvalidId') ? config.get('MaxEnergyOnInvalidId') : 0;
    const enforce = (): void => {
      if (config.get('StopTransactionOnInvalidId'))
        void flow.stop(connectorId, { reason: 'DeAuthorized' });
      else suspendByEvse(connectorId);
    };
    if (maxEnergy === 0) {
      enforce();
      return;
    }
    const record = sessions.active(connectorId);
    const watch = new Timer(core.timers);
    energyWatch.set(connectorId, watch);
    const check = async (): Promise<void> => {
      if (record === undefined || sessions.active(connectorId) !== record) return;
      const delivered =
        Math.round((await core.outputs.read(connectorId)).energyWh) - record.meterStart;
      if (delivered >= maxEnergy) enforce();
      else watch.arm(maxEnergyPollMs, () => void check());
    };
    void check();
  });

  const suspendByEvse = (connectorId: number): void => {
    const facts = connectors.facts(connectorId);
    if (facts.transaction === undefined) return;
    connectors.update(connectorId, { transaction: { ...facts.transaction, evseSuspended: true } });
    void output(connectorId, false);
  };

  /** §3.7 power loss: transactions found running at start are stopped (PowerLoss) or resumed. */
  const recover = async (): Promise<void> => {
    for (const record of sessions.running()) {
      if (options.afterRestart === 'stop') {
        const meterStop = await sessions.stop(record, { reason: 'PowerLoss' });
        core.logger.info('transaction.recoveredStop', {
          connectorId: record.connectorId,
          localId: record.localId,
        });
        core.events.emit('transactionStopped', {
          connectorId: record.connectorId,
          reason: 'PowerLoss',
          meterStop,
        });
        continue;
      }
      connectors.update(record.connectorId, {
        plugged: true,
        transaction: { evSuspended: false, evseSuspended: false },
      });
      await output(record.connectorId, true);
      core.events.emit('transactionStarted', {
        connectorId: record.connectorId,
        idTag: record.idTag,
        meterStart: record.meterStart,
        resumed: true,
        reservationId: undefined,
      });
    }
  };

  const behaviour: Behaviour = {
    name: 'transactions',
    stop: () => {
      for (const timer of [...timeouts.values(), ...energyWatch.values()]) timer.cancel();
    },
  };
  return { behaviour, flow, presentIdTag, plugged, unplugged, evSuspended, recover };
}
