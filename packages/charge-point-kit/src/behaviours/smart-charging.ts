import { RpcError } from '@ocpp-kit/rpc-core';
import type { Behaviour } from '../core/behaviour.js';
import type { ChargingLimits } from '../core/charging-limits.js';
import type { KitCore } from '../core/kit-core.js';

/**
 * Smart Charging (§3.13, §5.5, §5.7, §5.16): SetChargingProfile, ClearChargingProfile and
 * GetCompositeSchedule on the charge point's profiles; transactions bind and release their
 * TxProfiles; the limit in force follows every change.
 */
export function smartChargingBehaviour(core: KitCore, limits: ChargingLimits): Behaviour {
  const { connectors } = core;

  core.router.on('SetChargingProfile', async (request) => {
    // Errata 3.39: an invalid connectorId is a CALLERROR, not a Rejected.
    if (request.connectorId !== 0 && !connectors.has(request.connectorId)) {
      throw new RpcError(
        'PropertyConstraintViolation',
        `connectorId ${request.connectorId} does not exist; this charge point has connectors 0-${connectors.count} (errata 3.39)`,
      );
    }
    const result = await limits.install(request);
    if (result.status === 'Rejected') {
      core.logger.info('smartCharging.rejected', {
        connectorId: request.connectorId,
        chargingProfileId: request.csChargingProfiles.chargingProfileId,
        reason: result.reason,
      });
    }
    return { status: result.status };
  });

  core.router.on('ClearChargingProfile', async (request) => ({
    status: (await limits.clear(request)).status,
  }));

  core.router.on('GetCompositeSchedule', (request) => limits.composite(request));

  core.events.on('transactionConfirmed', ({ connectorId, transactionId, stopped }) => {
    if (stopped) return;
    limits
      .confirmed(connectorId, transactionId)
      .catch((error: unknown) => core.events.emit('error', { error: error as Error }));
  });
  core.events.on('transactionStopped', () => {
    limits.ended().catch((error: unknown) => core.events.emit('error', { error: error as Error }));
  });

  limits.apply();
  return { name: 'smart-charging', stop: () => limits.stop() };
}
