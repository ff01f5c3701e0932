import type { IdTagInfo } from '@ocpp-kit/messages';
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

export type PresentRejection = 'NotAuthorized' | 'NoConnector' | 'NotAllowedToStop';

/**
 * The user-facing transaction flow, shared by the behaviours that start and stop transactions
 * (the transactions behaviour implements it; remote control and reservations use it).
 */
export interface TransactionFlow {
  /** An authorized start on a connector: prepares it and starts once plugged (ConnectionTimeOut). */
  begin(
    connectorId: number,
    idTag: string,
    idTagInfo: IdTagInfo,
    options?: { readonly reservationId?: number },
  ): void;
  /** Stops the running transaction of a connector; false when none runs. */
  stop(connectorId: number, request: StopRequest): Promise<boolean>;
}
