// §4.2 BootNotification: Accepted, Pending (the CSMS configures first) or Rejected, from the record.
import type { RegistrationStatus } from '@ocpp-kit/messages';
import type { CsmsHandler } from '../core/handler.js';
import type { KitServices } from '../core/kit-services.js';
import type { ChargePointSession } from '../core/session.js';
import type { ChargePointRecord } from '../registry/charge-point-directory.js';

function proposedStatus(
  record: ChargePointRecord | undefined,
  session: ChargePointSession<unknown>,
  provisioning: boolean,
): RegistrationStatus {
  if (record === undefined || record.registration === 'Blocked') return 'Rejected';
  if (record.registration === 'PendingRegistration') return 'Pending';
  return provisioning && !session.provisioned ? 'Pending' : 'Accepted';
}

export function bootHandler<State>(
  kit: KitServices<State>,
): CsmsHandler<'BootNotification', State> {
  return async (request, { session, identity }) => {
    const record = await kit.directory.find(identity);
    const proposed = proposedStatus(record, session, kit.provision !== undefined);
    const status = (await kit.boot?.({ session, request, record, proposed })) ?? proposed;
    await kit.directory.recordBoot(identity, request, status);
    kit.logger.info(`boot.${status.toLowerCase()}`, { identity });
    // After the answer: a listener that calls the charge point must not overtake it.
    kit.afterAnswer(async () => kit.emit('boot', { session, request, status }));
    if (
      status === 'Pending' &&
      record?.registration === 'Registered' &&
      kit.provision !== undefined &&
      !session.provisioned
    ) {
      const provision = kit.provision;
      kit.afterAnswer(() => provisionThenAccept(kit, session, provision));
    }
    return {
      status,
      currentTime: new Date(kit.clock()).toISOString(),
      // §4.2: Accepted -> the heartbeat interval; otherwise the wait before the next boot.
      interval: status === 'Accepted' ? kit.heartbeatIntervalSeconds : kit.bootRetryIntervalSeconds,
    };
  };
}

/**
 * §4.2 Pending: "The Central System MAY send request messages to retrieve information from the
 * Charge Point or change its configuration", then asks for a new boot (TriggerMessage, §5.17),
 * which is Accepted. A charge point that refuses the trigger boots again after the interval.
 */
async function provisionThenAccept<State>(
  kit: KitServices<State>,
  session: ChargePointSession<State>,
  provision: (session: ChargePointSession<State>) => Promise<void>,
): Promise<void> {
  try {
    await provision(session);
  } catch (error) {
    kit.logger.warn('boot.provisioning-failed', { identity: session.identity, error });
    kit.emit('provisioningFailed', { session, error });
    return;
  }
  session.provisioned = true;
  if (!session.connected) return;
  try {
    await session.call('TriggerMessage', { requestedMessage: 'BootNotification' });
  } catch (error) {
    kit.logger.info('boot.trigger-failed', { identity: session.identity, error });
  }
}
