import type { ChangeAvailabilityResponse } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { ChargePointKitError } from '../errors.js';
import { loadState, putState } from '../storage/state-table.js';

/** Stored availability wishes: of the charge point (0) and of each connector (1..n). */
interface AvailabilityState {
  readonly station: boolean;
  readonly connectors: readonly boolean[];
}

/**
 * ChangeAvailability (§5.2): Operative or Inoperative for one connector or, with 0, the charge
 * point and all connectors; Scheduled while a connector is in use, in force when the use ends.
 * The wish is stored before the answer, so it holds across a reboot.
 */
export function availabilityBehaviour(core: KitCore): Behaviour {
  const { connectors, store, station } = core;
  const stored = loadState(store, station, 'availability') as AvailabilityState | undefined;
  if (stored !== undefined) {
    if (typeof stored.station !== 'boolean' || !Array.isArray(stored.connectors)) {
      throw new ChargePointKitError(
        'STORAGE_CORRUPT',
        `Stored availability of ${station} is malformed`,
      );
    }
    connectors.updateStation({ wantedOperative: stored.station });
    for (const id of connectors.ids()) {
      const wanted = stored.connectors[id - 1] ?? true;
      connectors.update(id, { wantedOperative: wanted === true });
    }
  }

  core.router.on(
    'ChangeAvailability',
    async ({ connectorId, type }): Promise<ChangeAvailabilityResponse> => {
      if (connectorId !== 0 && !connectors.has(connectorId)) return { status: 'Rejected' };
      const operative = type === 'Operative';
      const affected = connectorId === 0 ? connectors.ids() : [connectorId];
      const next: AvailabilityState = {
        station: connectorId === 0 ? operative : connectors.stationWantedOperative,
        connectors: connectors
          .ids()
          .map((id) => (affected.includes(id) ? operative : connectors.facts(id).wantedOperative)),
      };
      await store.write(() => putState(store, station, 'availability', next));
      if (connectorId === 0) connectors.updateStation({ wantedOperative: operative });
      let scheduled = false;
      for (const id of affected) {
        connectors.update(id, { wantedOperative: operative });
        // In force at once unless a use must end first (settled by the connectors).
        if (connectors.facts(id).operative !== operative) scheduled = true;
      }
      return { status: scheduled ? 'Scheduled' : 'Accepted' };
    },
  );

  return { name: 'availability' };
}
