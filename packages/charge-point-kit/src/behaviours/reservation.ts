import type { ReserveNowRequest, ReserveNowResponse } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';
import { Timer } from '../core/timers.js';
import type { ReservationGate } from '../core/transactions/transaction-flow.js';
import { ChargePointKitError } from '../errors.js';
import { loadState, putState } from '../storage/state-table.js';

interface Reservation {
  readonly reservationId: number;
  /** 0: any connector (ReserveConnectorZeroSupported). */
  readonly connectorId: number;
  readonly idTag: string;
  readonly parentIdTag: string | undefined;
  /** Epoch ms. */
  readonly expiresAt: number;
}

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Reservations (§3.11, §5.1, §5.13): ReserveNow for a connector or, with
 * ReserveConnectorZeroSupported, for any; Occupied / Faulted / Unavailable / Rejected as the
 * connector is; replaced by reservationId; ended by the reserved idTag's (or its group's)
 * transaction, by expiry, by CancelReservation, or when the connector turns Faulted or
 * Unavailable. Stored, so a reboot keeps them.
 */
export function reservationBehaviour(
  core: KitCore,
): Behaviour & { readonly gate: ReservationGate } {
  const { connectors, store, station, config } = core;
  const reservations = new Map<number, Reservation>();
  const expiry = new Timer(core.timers);

  const stored = loadState(store, station, 'reservations');
  if (stored !== undefined) {
    if (!Array.isArray(stored))
      throw new ChargePointKitError(
        'STORAGE_CORRUPT',
        `Stored reservations of ${station} are malformed`,
      );
    for (const r of stored as Reservation[]) reservations.set(r.reservationId, r);
  }

  const reflect = (): void => {
    for (const id of connectors.ids()) {
      const reserved = [...reservations.values()].some((r) => r.connectorId === id);
      if (connectors.facts(id).reserved !== reserved) connectors.update(id, { reserved });
    }
    const next = Math.min(...[...reservations.values()].map((r) => r.expiresAt));
    if (Number.isFinite(next)) expiry.arm(next - core.now(), expire);
    else expiry.cancel();
  };

  const save = async (): Promise<void> => {
    const list = [...reservations.values()];
    await store.write(() => putState(store, station, 'reservations', list));
  };

  const remove = async (predicate: (r: Reservation) => boolean): Promise<boolean> => {
    const gone = [...reservations.values()].filter(predicate);
    if (gone.length === 0) return false;
    for (const r of gone) reservations.delete(r.reservationId);
    await save();
    reflect();
    return true;
  };

  const expire = (): void => {
    const now = core.now();
    void remove((r) => r.expiresAt <= now).catch((error: unknown) =>
      core.logger.error('reservation.expire', { error: String(error) }),
    );
  };

  /** Connectors free for anyone: Available and not reserved. */
  const free = (): number[] =>
    connectors.ids().filter((id) => connectors.status(id) === 'Available');

  const verdict = (request: ReserveNowRequest): ReserveNowResponse['status'] => {
    const { connectorId } = request;
    if (connectorId !== 0 && !connectors.has(connectorId)) return 'Rejected';
    if (Date.parse(request.expiryDate) <= core.now()) return 'Rejected';
    const stationStatus = connectors.status(0);
    if (stationStatus === 'Faulted') return 'Faulted';
    if (stationStatus === 'Unavailable') return 'Unavailable';
    if (connectorId === 0) {
      if (
        !config.has('ReserveConnectorZeroSupported') ||
        !config.get('ReserveConnectorZeroSupported')
      )
        return 'Rejected';
      const anyConnector = [...reservations.values()].filter((r) => r.connectorId === 0).length;
      if (free().length > anyConnector) return 'Accepted';
      // None free: Faulted or Unavailable when that is why, else taken (§5.13).
      const statuses = connectors.ids().map((id) => connectors.status(id));
      if (statuses.every((s) => s === 'Faulted')) return 'Faulted';
      if (statuses.every((s) => s === 'Faulted' || s === 'Unavailable')) return 'Unavailable';
      return 'Occupied';
    }
    const status = connectors.status(connectorId);
    if (status === 'Faulted') return 'Faulted';
    if (status === 'Unavailable') return 'Unavailable';
    return status === 'Available' ? 'Accepted' : 'Occupied';
  };

  core.router.on('ReserveNow', async (request) => {
    const previous = reservations.get(request.reservationId);
    // §5.13: a known reservationId is replaced; judge the new one without the old.
    if (previous !== undefined) {
      reservations.delete(request.reservationId);
      reflect();
    }
    const status = verdict(request);
    if (status !== 'Accepted') {
      if (previous !== undefined) {
        reservations.set(previous.reservationId, previous);
        reflect();
      }
      return { status };
    }
    reservations.set(request.reservationId, {
      reservationId: request.reservationId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      parentIdTag: request.parentIdTag,
      expiresAt: Date.parse(request.expiryDate),
    });
    await save();
    reflect();
    return { status };
  });

  core.router.on('CancelReservation', async ({ reservationId }) => ({
    status: (await remove((r) => r.reservationId === reservationId)) ? 'Accepted' : 'Rejected',
  }));

  // §5.13 (3): a Faulted or Unavailable connector (or charge point) ends its reservations.
  core.events.on('status', ({ connectorId, status }) => {
    if (status !== 'Faulted' && status !== 'Unavailable') return;
    void remove((r) => connectorId === 0 || r.connectorId === connectorId).catch(() => {});
  });

  // §5.13 (1): the reserved idTag's transaction ends the reservation it redeemed.
  core.events.on('transactionStarted', ({ reservationId }) => {
    if (reservationId !== undefined)
      void remove((r) => r.reservationId === reservationId).catch(() => {});
  });

  const gate: ReservationGate = {
    admit(connectorId, idTag, parentIdTag) {
      const matches = (r: Reservation) => same(r.idTag, idTag) || same(r.parentIdTag, parentIdTag);
      const own = [...reservations.values()].find((r) => r.connectorId === connectorId);
      if (own !== undefined)
        return matches(own)
          ? { allowed: true, reservationId: own.reservationId }
          : { allowed: false };
      const anyConnector = [...reservations.values()].filter((r) => r.connectorId === 0);
      const mine = anyConnector.find(matches);
      if (mine !== undefined) return { allowed: true, reservationId: mine.reservationId };
      // Connector-0 reservations keep enough connectors free for their idTags (§5.13).
      const freeNow = free();
      const takesAFreeOne = freeNow.includes(connectorId);
      return { allowed: !takesAFreeOne || freeNow.length - 1 >= anyConnector.length };
    },
  };

  reflect();
  return { name: 'reservation', gate, stop: () => expiry.cancel() };
}
