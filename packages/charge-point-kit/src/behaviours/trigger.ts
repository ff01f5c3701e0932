import type {
  DiagnosticsStatus,
  FirmwareStatus,
  MessageTrigger,
  TriggerMessageResponse,
} from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { meterValueOf } from '../core/metering/sampled-values.js';

/** What the trigger behaviour asks of the behaviours that own those messages. */
export interface TriggerTargets {
  /** Sends a BootNotification now (allowed while not Accepted, errata 3.35). */
  readonly boot: () => void;
  /** Sends the current StatusNotification of a connector (or 0) now. */
  readonly status: (connectorId: number) => void;
  /** The current FirmwareStatusNotification / DiagnosticsStatusNotification status (§4.4, §4.5). */
  readonly firmwareStatus: () => FirmwareStatus;
  readonly diagnosticsStatus: () => DiagnosticsStatus;
}

/**
 * TriggerMessage (§5.17, errata 3.35, 3.40, 3.46): answered first, the message sent after;
 * BootNotification Rejected once Accepted; MeterValues the most recent MeterValuesSampledData
 * (context Trigger, sent at once, not queued); without connectorId, for every connector.
 */
export function triggerBehaviour(core: KitCore, targets: TriggerTargets): Behaviour {
  const { connectors, config, sessions } = core;
  const later = (work: () => unknown): void => {
    core.timers.setTimeout(() => {
      Promise.resolve()
        .then(work)
        .catch((error: unknown) => core.logger.warn('trigger.failed', { error: String(error) }));
    }, 0);
  };

  const meterValues = async (connectorId: number): Promise<void> => {
    const reading = await core.outputs.read(connectorId);
    const value = meterValueOf(
      config.get('MeterValuesSampledData'),
      reading,
      'Trigger',
      core.timestamp(),
    );
    if (value === undefined) return;
    const transactionId = sessions.active(connectorId)?.transactionId;
    await core.call(
      'MeterValues',
      {
        connectorId,
        meterValue: [value],
        ...(transactionId === undefined || transactionId < 0 ? {} : { transactionId }),
      },
      { triggered: true },
    );
  };

  core.router.on('TriggerMessage', ({ requestedMessage, connectorId }): TriggerMessageResponse => {
    const requested: MessageTrigger = requestedMessage;
    if (connectorId !== undefined && connectorId !== 0 && !connectors.has(connectorId))
      return { status: 'Rejected' };
    const each = connectorId === undefined ? connectors.ids() : [connectorId];
    switch (requested) {
      case 'BootNotification':
        if (core.registration === 'Accepted') return { status: 'Rejected' };
        later(targets.boot);
        return { status: 'Accepted' };
      case 'StatusNotification':
        later(() => {
          for (const id of connectorId === undefined ? [0, ...each] : each) targets.status(id);
        });
        return { status: 'Accepted' };
      case 'MeterValues':
        // No meter of the charge point as a whole here: connector 0 has no readings.
        if (connectorId === 0) return { status: 'Rejected' };
        later(async () => {
          for (const id of each) await meterValues(id);
        });
        return { status: 'Accepted' };
      case 'Heartbeat':
        later(async () => {
          const { currentTime } = await core.call('Heartbeat', {}, { triggered: true });
          core.adoptTime(currentTime);
        });
        return { status: 'Accepted' };
      case 'FirmwareStatusNotification':
        later(() =>
          core.call(
            'FirmwareStatusNotification',
            { status: targets.firmwareStatus() },
            { triggered: true },
          ),
        );
        return { status: 'Accepted' };
      case 'DiagnosticsStatusNotification':
        later(() =>
          core.call(
            'DiagnosticsStatusNotification',
            { status: targets.diagnosticsStatus() },
            { triggered: true },
          ),
        );
        return { status: 'Accepted' };
    }
  });

  return { name: 'trigger' };
}
