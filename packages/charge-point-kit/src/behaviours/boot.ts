import type { BootNotificationRequest } from '@ocpp-kit/messages';
import { RpcError } from '@ocpp-kit/rpc-core';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';
import { loadState, putState } from '../storage/state-table.js';

/** §4.2: with interval 0 the charge point picks a wait that does not flood the CSMS. */
export const fallbackBootIntervalSeconds = 60;

/** Stored boot facts: whether this charge point was ever Accepted (errata 3.11 advice). */
interface BootState {
  readonly everAccepted: boolean;
}

/**
 * Boot (§4.2, §4.2.1, errata 3.11): a BootNotification on every connection until Accepted; while
 * Pending it answers the CSMS but sends nothing unasked and boots again after `interval`; when
 * Rejected it closes the connection and stays silent for `interval` (it then cannot answer the
 * CSMS, as the spec requires). Accepted adopts currentTime and sets HeartbeatInterval.
 */
export function bootBehaviour(
  core: KitCore,
  boot: BootNotificationRequest,
): Behaviour & { readonly trigger: () => void } {
  const retry = new Timer(core.timers);
  let inFlight = false;
  let acceptedOnce = false;
  core.everAccepted =
    (loadState(core.store, core.station, 'boot') as BootState | undefined)?.everAccepted === true;

  const send = async (): Promise<void> => {
    if (inFlight || !core.connection.open || core.registration === 'Accepted') return;
    inFlight = true;
    retry.cancel();
    try {
      const response = await core.call('BootNotification', boot);
      core.registration = response.status;
      const intervalSeconds = response.interval;
      core.logger.info('boot.answered', { status: response.status, interval: intervalSeconds });
      core.events.emit('registration', { status: response.status, intervalSeconds });
      const waitMs = (intervalSeconds > 0 ? intervalSeconds : fallbackBootIntervalSeconds) * 1000;
      if (response.status === 'Accepted') {
        core.adoptTime(response.currentTime);
        if (intervalSeconds > 0) await core.config.set('HeartbeatInterval', intervalSeconds);
        if (!core.everAccepted) {
          await core.store.write(() =>
            putState(core.store, core.station, 'boot', { everAccepted: true }),
          );
          core.everAccepted = true;
        }
        acceptedOnce = true;
        core.events.emit('accepted', { afterBoot: true });
      } else if (response.status === 'Pending') {
        retry.arm(waitMs, () => void send());
      } else {
        await core.connection.pause(waitMs);
      }
    } catch (error) {
      // Offline: the next connection boots again. A CALLERROR or no answer: retry later.
      const offline =
        error instanceof RpcError &&
        (error.code === 'NotConnected' || error.code === 'ConnectionLost');
      core.logger.warn('boot.failed', { error: String(error) });
      if (!offline) retry.arm(fallbackBootIntervalSeconds * 1000, () => void send());
    } finally {
      inFlight = false;
    }
  };

  core.events.on('connected', () => {
    if (core.registration === 'Accepted' && acceptedOnce) {
      core.events.emit('accepted', { afterBoot: false });
      return;
    }
    void send();
  });
  core.events.on('disconnected', () => {
    // A Pending charge point boots again on its next connection.
    if (core.registration === 'Pending') core.registration = 'Unknown';
    retry.cancel();
  });

  return {
    name: 'boot',
    // TriggerMessage BootNotification (errata 3.35): only while not Accepted.
    trigger: () => void send(),
    stop: () => retry.cancel(),
  };
}
