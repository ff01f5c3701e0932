import type { ChargePointStatus, StatusNotificationRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import { type ConnectorFault, transitionPath } from '../core/connector-status.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';

/** A status as it was when it changed. */
interface Snapshot {
  readonly status: ChargePointStatus;
  readonly fault: ConnectorFault | undefined;
  readonly at: number;
  /** Sent even when it equals the last one reported (errata 3.22, after a boot). */
  readonly force: boolean;
}

/** Changes that wait per connector while one is being sent; beyond it the oldest go. */
const maxWaiting = 16;

/**
 * StatusNotification (§4.9, errata 3.19, 3.22): every status change of the charge point (0) and
 * its connectors is reported, in order, once it held for MinimumStatusDuration; after an
 * Accepted boot all of them are; after a reconnection those that changed meanwhile. A step the
 * §4.9 table does not allow is reported through the shortest allowed path.
 */
export function statusNotificationBehaviour(
  core: KitCore,
): Behaviour & { readonly report: (connectorId: number) => void } {
  const { connectors } = core;
  const reported = new Map<number, { status: ChargePointStatus; errorCode: string }>();
  const waiting = new Map<number, Snapshot[]>();
  const stable = new Map<number, Timer>();
  const sending = new Set<number>();

  const snapshot = (connectorId: number, force: boolean): Snapshot => ({
    status: connectors.status(connectorId),
    fault: connectors.fault(connectorId),
    at: core.now(),
    force,
  });

  const enqueue = (connectorId: number, change: Snapshot): void => {
    const list = waiting.get(connectorId) ?? [];
    list.push(change);
    if (list.length > maxWaiting) list.splice(0, list.length - maxWaiting);
    waiting.set(connectorId, list);
    void drain(connectorId);
  };

  const send = async (connectorId: number, change: Snapshot): Promise<void> => {
    const errorCode = change.fault?.errorCode ?? 'NoError';
    const last = reported.get(connectorId);
    if (!change.force && last?.status === change.status && last.errorCode === errorCode) return;
    const path =
      last === undefined || connectorId === 0 || change.force
        ? [change.status]
        : transitionPath(last.status, change.status);
    for (const step of path.length === 0 ? [change.status] : path) {
      const final = step === change.status;
      const fault = final ? change.fault : undefined;
      const request: StatusNotificationRequest = {
        connectorId,
        status: step,
        errorCode: fault?.errorCode ?? 'NoError',
        timestamp: new Date(change.at).toISOString(),
        ...(fault?.info === undefined ? {} : { info: fault.info }),
        ...(fault?.vendorId === undefined ? {} : { vendorId: fault.vendorId }),
        ...(fault?.vendorErrorCode === undefined ? {} : { vendorErrorCode: fault.vendorErrorCode }),
      };
      await core.call('StatusNotification', request);
      reported.set(connectorId, { status: step, errorCode: request.errorCode });
    }
  };

  const drain = async (connectorId: number): Promise<void> => {
    if (sending.has(connectorId) || !core.accepted) return;
    sending.add(connectorId);
    try {
      const list = waiting.get(connectorId) ?? [];
      for (let change = list.shift(); change !== undefined; change = list.shift()) {
        await send(connectorId, change);
      }
    } catch (error) {
      // Offline or not answered: the next acceptance reports what is current then.
      waiting.delete(connectorId);
      core.logger.debug('status.failed', { connectorId, error: String(error) });
    } finally {
      sending.delete(connectorId);
    }
  };

  core.events.on('status', ({ connectorId }) => {
    if (!core.accepted) return;
    const seconds = core.config.get('MinimumStatusDuration');
    if (seconds === 0) {
      enqueue(connectorId, snapshot(connectorId, false));
      return;
    }
    let timer = stable.get(connectorId);
    if (timer === undefined) {
      timer = new Timer(core.timers);
      stable.set(connectorId, timer);
    }
    // §9.1.20: only a status that held this long is reported.
    timer.arm(seconds * 1000, () => enqueue(connectorId, snapshot(connectorId, false)));
  });

  core.events.on('accepted', ({ afterBoot }) => {
    for (const connectorId of [0, ...connectors.ids()])
      enqueue(connectorId, snapshot(connectorId, afterBoot));
  });

  return {
    name: 'status-notification',
    // TriggerMessage StatusNotification: the current status, sent even if unchanged.
    report: (connectorId) => enqueue(connectorId, snapshot(connectorId, true)),
    stop: () => {
      for (const timer of stable.values()) timer.cancel();
    },
  };
}
