import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';

/**
 * Heartbeat (§4.6, §9.1.10): after HeartbeatInterval seconds without an answered CALL, a
 * Heartbeat; its currentTime keeps the clock in step. Other traffic postpones it (allowed, not
 * required). 0 sends none.
 */
export function heartbeatBehaviour(core: KitCore): Behaviour {
  const timer = new Timer(core.timers);

  const arm = (): void => {
    const intervalMs = core.config.get('HeartbeatInterval') * 1000;
    if (intervalMs === 0 || !core.accepted) {
      timer.cancel();
      return;
    }
    const idleMs = core.clock() - core.lastExchangeAt;
    timer.arm(intervalMs - Math.min(idleMs, intervalMs), () => void beat());
  };

  const beat = async (): Promise<void> => {
    const intervalMs = core.config.get('HeartbeatInterval') * 1000;
    if (core.clock() - core.lastExchangeAt < intervalMs) {
      arm();
      return;
    }
    try {
      const { currentTime } = await core.call('Heartbeat', {});
      core.adoptTime(currentTime);
    } catch (error) {
      core.logger.debug('heartbeat.failed', { error: String(error) });
      // Answered or not, the next one waits a full interval.
      core.lastExchangeAt = core.clock();
    }
    arm();
  };

  core.events.on('accepted', arm);
  core.events.on('disconnected', () => timer.cancel());
  core.config.onChange(({ key }) => {
    if (key === 'HeartbeatInterval') arm();
  });
  return { name: 'heartbeat', stop: () => timer.cancel() };
}
