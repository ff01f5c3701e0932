import type { ChargePointStatus, StatusNotificationRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import { transitionPath } from '../core/connector-status.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';

interface Reported {
  readonly status: ChargePointStatus;
  readonly errorCode: StatusNotificationRequest['errorCode'];
}

/**
 * StatusNotification (§4.9, errata 3.19, 3.22): every status change of the charge point (0) and
 * its connectors is reported once it held for MinimumStatusDuration; after an Accepted boot all
 * of them are; after a reconnection those that changed meanwhile. A step the §4.9 table does not
 * allow is reported through the shortest allowed path.
 */
export function statusNotificationBehaviour(core: KitCore): Behaviour {
  const { connectors } = core;
  const reported = new Map<number, Reported>();
  const changedAt = new Map<number, number>();
  const stable = new Map<number, Timer>();
  const sending = new Set<number>();
  const again = new Set<number>();

  const report = async (connectorId: number, force: boolean): Promise<void> => {
    if (!core.accepted) return;
    if (sending.has(connectorId)) {
      again.add(connectorId);
      return;
    }
    sending.add(connectorId);
    try {
      const status = connectors.status(connectorId);
      const fault = connectors.fault(connectorId);
      const errorCode = fault?.errorCode ?? 'NoError';
      const last = reported.get(connectorId);
      if (!force && last?.status === status && last.errorCode === errorCode) return;
      const path =
        last === undefined || connectorId === 0 || force
          ? [status]
          : transitionPath(last.status, status);
      for (const step of path.length === 0 ? [status] : path) {
        const final = step === status;
        const request: StatusNotificationRequest = {
          connectorId,
          status: step,
          errorCode: final ? errorCode : 'NoError',
          timestamp: new Date(changedAt.get(connectorId) ?? core.now()).toISOString(),
          ...(final && fault?.info !== undefined ? { info: fault.info } : {}),
          ...(final && fault?.vendorId !== undefined ? { vendorId: fault.vendorId } : {}),
          ...(final && fault?.vendorErrorCode !== undefined
            ? { vendorErrorCode: fault.vendorErrorCode }
            : {}),
        };
        await core.call('StatusNotification', request);
        reported.set(connectorId, { status: step, errorCode: request.errorCode });
      }
    } catch (error) {
      // Offline or not answered: the next acceptance reports what is current.
      core.logger.debug('status.failed', { connectorId, error: String(error) });
    } finally {
      sending.delete(connectorId);
      if (again.delete(connectorId)) void report(connectorId, false);
    }
  };

  core.events.on('status', ({ connectorId }) => {
    changedAt.set(connectorId, core.now());
    const seconds = core.config.get('MinimumStatusDuration');
    if (seconds === 0) {
      void report(connectorId, false);
      return;
    }
    let timer = stable.get(connectorId);
    if (timer === undefined) {
      timer = new Timer(core.timers);
      stable.set(connectorId, timer);
    }
    timer.arm(seconds * 1000, () => void report(connectorId, false));
  });

  core.events.on('accepted', ({ afterBoot }) => {
    for (const connectorId of [0, ...connectors.ids()]) void report(connectorId, afterBoot);
  });

  return {
    name: 'status-notification',
    stop: () => {
      for (const timer of stable.values()) timer.cancel();
    },
  };
}
