import type { ChargingProfile, IdTagInfo } from '@ocpp-kit/messages';
import type { StopRequest } from './sessions.js';

/** What became of an idTag presented at the charge point. */
export type PresentResult =
  /** Authorized: the transaction starts now (plugged) or when the cable is plugged in. */
  | { readonly outcome: 'Authorized'; readonly connectorId: number }
  /** It stopped the transaction it started (or one of its group, §3.10). */
  | { readonly outcome: 'Stopped'; readonly connectorId: number }
  /** Not authorized, or no connector can take it; `idTagInfo` says why when the CSMS did. */
  | {
      readonly outcome: 'Rejected';
      readonly idTagInfo?: IdTagInfo;
      readonly reason: PresentRejection;
    };

export type PresentRejection = 'NotAuthorized' | 'NoConnector' | 'NotAllowedToStop' | 'Reserved';

/**
 * The user-facing transaction flow, shared by the behaviours that start and stop transactions
 * (the transactions behaviour implements it; remote control and reservations use it).
 */
export interface TransactionFlow {
  /**
   * An authorized start on a connector: prepares it and starts once plugged (ConnectionTimeOut).
   * False, doing nothing, when the connector is reserved for another idTag (§5.13).
   * `chargingProfile`: RemoteStartTransaction's TxProfile, installed with the start (§5.16.2).
   */
  begin(
    connectorId: number,
    idTag: string,
    idTagInfo: IdTagInfo,
    chargingProfile?: ChargingProfile,
  ): boolean;
  /** Whether a reservation lets `idTag` use the connector (its parentIdTag not known yet). */
  admits(connectorId: number, idTag: string): boolean;
  /** Stops the running transaction of a connector; false when none runs. */
  stop(connectorId: number, request: StopRequest): Promise<boolean>;
  /** Stops every running transaction with `reason`, each stored before this resolves. */
  stopAll(reason: StopRequest['reason']): Promise<void>;
}

/** Who may use a reserved connector (§5.13); the reservations behaviour implements it. */
export interface ReservationGate {
  /**
   * Whether `idTag` (of `parentIdTag`) may start on the connector now, and the reservation it
   * redeems (sent as StartTransaction.req reservationId, §4.8).
   */
  admit(
    connectorId: number,
    idTag: string,
    parentIdTag: string | undefined,
  ): { readonly allowed: boolean; readonly reservationId?: number };
}

/** No reservations: everyone may use every connector. */
export const noReservations: ReservationGate = { admit: () => ({ allowed: true }) };
