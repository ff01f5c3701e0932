import type { Reason, ResetType } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import type { TransactionFlow } from '../core/transactions/transaction-flow.js';

/** How long a reset waits for the StopTransactions to be delivered before rebooting anyway. */
export const resetDeliveryWaitMs = 10_000;

/**
 * Reset (§5.14, errata 3.36): answered first; then every running transaction is stopped
 * (SoftReset / HardReset) and its StopTransaction stored, delivered if the CSMS takes it within
 * a short wait (else it stays queued for after the reboot), and the adapter reboots, retried
 * ResetRetries times if it throws. Availability and every other state persist.
 */
export function resetBehaviour(core: KitCore, flow: TransactionFlow): Behaviour {
  let resetting = false;

  const reset = async (type: ResetType): Promise<void> => {
    const reason: Reason = type === 'Soft' ? 'SoftReset' : 'HardReset';
    await flow.stopAll(reason);
    const deadline = core.clock() + resetDeliveryWaitMs;
    while (core.queue.length > 0 && core.accepted && core.clock() < deadline) {
      await new Promise<void>((resolve) => core.timers.setTimeout(resolve, 100));
    }
    // §8: ResetOrReboot is critical; stored before the reboot, sent after it if not before.
    await core.securityEvents
      .record('ResetOrReboot', `${type} reset`)
      .catch((error: unknown) =>
        core.logger.error('reset.securityEvent', { error: String(error) }),
      );
    core.events.emit('reset', { type });
    const attempts = 1 + core.config.get('ResetRetries');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await core.hardware.reboot(type);
        return;
      } catch (error) {
        core.logger.error('reset.failed', { type, attempt, error: String(error) });
      }
    }
    resetting = false;
  };

  core.router.on('Reset', ({ type }) => {
    if (resetting) return { status: 'Rejected' };
    resetting = true;
    // §5.14: the answer goes out before anything is stopped.
    core.timers.setTimeout(() => void reset(type), 0);
    return { status: 'Accepted' };
  });

  return { name: 'reset' };
}
