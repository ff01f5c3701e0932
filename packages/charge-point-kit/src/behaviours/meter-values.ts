import type { ReadingContext } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { meterValueOf } from '../core/metering/sampled-values.js';
import { Timer } from '../core/timers.js';

const dayMs = 86_400_000;

/**
 * Meter values (§3.16, §4.7, errata 3.14, 3.15): during a transaction, MeterValuesSampledData
 * every MeterValueSampleInterval seconds from its start; for every connector,
 * MeterValuesAlignedData at each ClockAlignedDataInterval boundary from midnight (UTC); the
 * StopTxn*Data of both kept for the StopTransaction. All of it goes through the durable queue
 * (§3.7: periodic and clock-aligned MeterValues are transaction-related).
 */
export function meterValuesBehaviour(core: KitCore): Behaviour {
  const { config, sessions, connectors } = core;
  const sampling = new Map<number, Timer>();
  const aligned = new Timer(core.timers);

  const record = async (
    connectorId: number,
    context: ReadingContext,
    liveItems: readonly string[],
    stopItems: readonly string[],
    at: number,
  ) => {
    const running = sessions.active(connectorId);
    const reading = await core.outputs.read(connectorId);
    const timestamp = new Date(at).toISOString();
    const live = meterValueOf(liveItems, reading, context, timestamp);
    if (live !== undefined) {
      await core.queue.enqueue(
        'MeterValues',
        { connectorId, meterValue: [live] },
        running?.localId,
      );
    }
    const forStop =
      running === undefined ? undefined : meterValueOf(stopItems, reading, context, timestamp);
    if (running !== undefined && forStop !== undefined) await sessions.collect(running, forStop);
  };

  const guarded = (what: string, connectorId: number, work: Promise<void>): void => {
    work.catch((error: unknown) => core.logger.error(what, { connectorId, error: String(error) }));
  };

  // A timer may fire a little before the clock shows its boundary (Date is not the timers'
  // monotonic clock): the next boundary counts from the one just served, never serving it twice.
  const armSampling = (connectorId: number, served?: number): void => {
    const running = sessions.active(connectorId);
    const intervalMs = config.get('MeterValueSampleInterval') * 1000;
    let timer = sampling.get(connectorId);
    if (running === undefined || intervalMs === 0) {
      timer?.cancel();
      return;
    }
    if (timer === undefined) {
      timer = new Timer(core.timers);
      sampling.set(connectorId, timer);
    }
    // §9.1.19: periodically from the start of the transaction, without drifting.
    const now = core.now();
    const from = Math.max(now, served ?? now);
    const due = from + intervalMs - (Math.max(0, from - running.startedAt) % intervalMs);
    timer.arm(due - now, () => {
      guarded(
        'meterValues.sample',
        connectorId,
        record(
          connectorId,
          'Sample.Periodic',
          config.get('MeterValuesSampledData'),
          config.get('StopTxnSampledData'),
          core.now(),
        ),
      );
      armSampling(connectorId, due);
    });
  };

  const armAligned = (served?: number): void => {
    const intervalMs = config.get('ClockAlignedDataInterval') * 1000;
    if (intervalMs === 0) {
      aligned.cancel();
      return;
    }
    const now = core.now();
    const from = Math.max(now, served ?? now);
    const sinceMidnight = from % dayMs;
    const boundary =
      from -
      sinceMidnight +
      Math.min(dayMs, Math.ceil((sinceMidnight + 1) / intervalMs) * intervalMs);
    aligned.arm(boundary - now, () => {
      for (const connectorId of connectors.ids()) {
        guarded(
          'meterValues.aligned',
          connectorId,
          record(
            connectorId,
            'Sample.Clock',
            config.get('MeterValuesAlignedData'),
            config.get('StopTxnAlignedData'),
            boundary,
          ),
        );
      }
      armAligned(boundary);
    });
  };

  core.events.on('transactionStarted', ({ connectorId }) => armSampling(connectorId));
  core.events.on('transactionStopped', ({ connectorId }) => sampling.get(connectorId)?.cancel());
  core.config.onChange(({ key }) => {
    if (key === 'MeterValueSampleInterval') for (const id of connectors.ids()) armSampling(id);
    if (key === 'ClockAlignedDataInterval') armAligned();
  });
  armAligned();

  return {
    name: 'meter-values',
    stop: () => {
      aligned.cancel();
      for (const timer of sampling.values()) timer.cancel();
    },
  };
}
