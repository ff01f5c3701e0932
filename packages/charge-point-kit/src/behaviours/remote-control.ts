import type { RemoteStartTransactionResponse } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import type { TransactionFlow } from '../core/transactions/transaction-flow.js';

const startable = new Set(['Available', 'Preparing', 'Finishing']);

/**
 * The CSMS starting, stopping and unlocking (§5.11, §5.12, §5.18, errata 3.32, 3.33, 3.87):
 * the answer says whether the request is accepted; the transaction follows as a local one
 * would, authorized first when AuthorizeRemoteTxRequests is true. Not while Pending (§4.2).
 */
export function remoteControlBehaviour(core: KitCore, flow: TransactionFlow): Behaviour {
  const { connectors, sessions, authorizer, config, hardware } = core;

  core.router.on(
    'RemoteStartTransaction',
    ({ connectorId, idTag, chargingProfile }): RemoteStartTransactionResponse => {
      if (core.registration !== 'Accepted') return { status: 'Rejected' };
      const target =
        connectorId ??
        connectors
          .ids()
          .find((id) => connectors.facts(id).plugged && connectors.status(id) === 'Preparing') ??
        connectors.ids().find((id) => connectors.status(id) === 'Available');
      if (target === undefined || !connectors.has(target)) return { status: 'Rejected' };
      const status = connectors.status(target);
      // §5.13: a reserved connector only for the reserved idTag.
      const reservedForIt = status === 'Reserved' && flow.admits(target, idTag);
      if (!startable.has(status) && !reservedForIt) return { status: 'Rejected' };
      if (sessions.active(target) !== undefined) return { status: 'Rejected' };
      // §5.16.2: the profile must be a TxProfile without transactionId that would install.
      const refusal =
        chargingProfile === undefined ? undefined : core.limits?.refusal(target, chargingProfile);
      if (refusal !== undefined) {
        core.logger.info('remoteStart.profileRefused', { connectorId: target, refusal });
        return { status: 'Rejected' };
      }
      // Without Smart Charging the profile has nothing to apply to; the start goes ahead.
      const profile = core.limits === undefined ? undefined : chargingProfile;
      void (async () => {
        if (!config.get('AuthorizeRemoteTxRequests')) {
          flow.begin(target, idTag, { status: 'Accepted' }, profile);
          return;
        }
        const authorization = await authorizer.authorize(idTag);
        if (authorization.accepted) flow.begin(target, idTag, authorization.idTagInfo, profile);
        else
          core.logger.info('remoteStart.notAuthorized', {
            connectorId: target,
            status: authorization.idTagInfo.status,
          });
      })().catch((error: unknown) =>
        core.logger.error('remoteStart.failed', { error: String(error) }),
      );
      return { status: 'Accepted' };
    },
  );

  core.router.on('RemoteStopTransaction', ({ transactionId }) => {
    if (core.registration !== 'Accepted') return { status: 'Rejected' };
    const record = sessions.byTransactionId(transactionId);
    if (record === undefined) return { status: 'Rejected' };
    void flow
      .stop(record.connectorId, { reason: 'Remote' })
      .catch((error: unknown) => core.logger.error('remoteStop.failed', { error: String(error) }));
    return { status: 'Accepted' };
  });

  core.router.on('UnlockConnector', async ({ connectorId }) => {
    // Errata 3.87: an unknown connector, like a missing lock, is NotSupported.
    if (!connectors.has(connectorId) || hardware.unlock === undefined)
      return { status: 'NotSupported' };
    // §5.18: a transaction on the connector is finished first.
    await flow.stop(connectorId, { reason: 'UnlockCommand' });
    try {
      return { status: await hardware.unlock(connectorId) };
    } catch (error) {
      core.logger.warn('hardware.unlock', { connectorId, error: String(error) });
      return { status: 'UnlockFailed' };
    }
  });

  return { name: 'remote-control' };
}
