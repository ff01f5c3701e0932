import type {
  DiagnosticsStatus,
  ExtendedMessageTrigger,
  FirmwareStatus,
  LogStatusNotificationRequest,
  MessageTrigger,
  SignedFirmwareStatusNotificationRequest,
  TriggerMessageResponse,
  TriggerMessageStatus,
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
  /** SignedFirmwareStatusNotification.req and LogStatusNotification.req of the job under way (or Idle). */
  readonly signedFirmwareStatus: () => SignedFirmwareStatusNotificationRequest;
  readonly logStatus: () => LogStatusNotificationRequest;
  /** Starts a CSR (A02); false when it cannot (no CpoName). */
  readonly signCertificate: () => boolean;
}

/**
 * TriggerMessage (§5.17, errata 3.35, 3.40, 3.46) and ExtendedTriggerMessage (whitepaper 5.5):
 * answered first, the message sent after;
 * BootNotification Rejected once Accepted; MeterValues the most recent MeterValuesSampledData
 * (context Trigger, sent at once, not queued); without connectorId, for every connector.
 */
export function triggerBehaviour(
  core: KitCore,
  targets: TriggerTargets,
  options: { readonly remoteTrigger: boolean },
): Behaviour {
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

  /** The messages both triggers know (§5.17, whitepaper 5.5); undefined for the others. */
  const common = (
    requested: MessageTrigger | ExtendedMessageTrigger,
    connectorId: number | undefined,
  ): TriggerMessageStatus | undefined => {
    const each = connectorId === undefined ? connectors.ids() : [connectorId];
    switch (requested) {
      case 'BootNotification':
        if (core.registration === 'Accepted') return 'Rejected';
        later(targets.boot);
        return 'Accepted';
      case 'StatusNotification':
        later(() => {
          for (const id of connectorId === undefined ? [0, ...each] : each) targets.status(id);
        });
        return 'Accepted';
      case 'MeterValues':
        // No meter of the charge point as a whole here: connector 0 has no readings.
        if (connectorId === 0) return 'Rejected';
        later(async () => {
          for (const id of each) await meterValues(id);
        });
        return 'Accepted';
      case 'Heartbeat':
        later(async () => {
          const { currentTime } = await core.call('Heartbeat', {}, { triggered: true });
          core.adoptTime(currentTime);
        });
        return 'Accepted';
      default:
        return undefined;
    }
  };

  const unknownConnector = (connectorId: number | undefined) =>
    connectorId !== undefined && connectorId !== 0 && !connectors.has(connectorId);

  if (options.remoteTrigger) {
    core.router.on(
      'TriggerMessage',
      ({ requestedMessage, connectorId }): TriggerMessageResponse => {
        if (unknownConnector(connectorId)) return { status: 'Rejected' };
        const status = common(requestedMessage, connectorId);
        if (status !== undefined) return { status };
        if (requestedMessage === 'FirmwareStatusNotification') {
          later(() =>
            core.call(
              'FirmwareStatusNotification',
              { status: targets.firmwareStatus() },
              { triggered: true },
            ),
          );
        } else {
          later(() =>
            core.call(
              'DiagnosticsStatusNotification',
              { status: targets.diagnosticsStatus() },
              { triggered: true },
            ),
          );
        }
        return { status: 'Accepted' };
      },
    );
  }

  // Whitepaper 5.5: the signed firmware and log statuses, and a new charge point certificate (A02).
  core.router.on('ExtendedTriggerMessage', ({ requestedMessage, connectorId }) => {
    if (unknownConnector(connectorId)) return { status: 'Rejected' };
    const status = common(requestedMessage, connectorId);
    if (status !== undefined) return { status };
    switch (requestedMessage) {
      case 'FirmwareStatusNotification':
        later(() =>
          core.call('SignedFirmwareStatusNotification', targets.signedFirmwareStatus(), {
            triggered: true,
          }),
        );
        return { status: 'Accepted' };
      case 'LogStatusNotification':
        later(() => core.call('LogStatusNotification', targets.logStatus(), { triggered: true }));
        return { status: 'Accepted' };
      default:
        // SignChargePointCertificate: Rejected while CpoName is unset (A02 prerequisite).
        return { status: targets.signCertificate() ? 'Accepted' : 'Rejected' };
    }
  });

  return { name: 'trigger' };
}
