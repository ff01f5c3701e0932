// The central system's events; every listener takes one event object (see docs/architecture.md).
import type {
  BootNotificationRequest,
  RegistrationStatus,
  RequestOf,
  ResponseOf,
  SignCertificateRequest,
  StopTransactionRequest,
} from '@ocpp-kit/messages';
import type { HandshakeRejectedEvent } from '@ocpp-kit/rpc-core';
import type { LedgerStart } from '../helpers/transaction-ledger.js';
import type { StoredTransaction, TransactionEndResult } from '../helpers/transaction-store.js';
import type { ChargePointAction } from './handler.js';
import type { ChargePointSession } from './session.js';

interface SessionEvent<State> {
  readonly session: ChargePointSession<State>;
}

/** Every CALL a charge point sent and how it was answered, discriminated on `action`. */
export type ChargePointRequestEvent<State> = {
  [A in ChargePointAction]: SessionEvent<State> & {
    readonly action: A;
    readonly messageId: string;
    readonly request: RequestOf<A>;
    readonly response: ResponseOf<A>;
  };
}[ChargePointAction];

export interface CsmsEvents<State> {
  /** A charge point connected; its session can `call`. */
  connect: [event: SessionEvent<State>];
  /** Its connection closed (for any reason, including a replacement by a newer one). */
  disconnect: [event: SessionEvent<State> & { readonly code: number; readonly reason: string }];
  /** A BootNotification was answered with `status` (fired once the answer is sent). */
  boot: [
    event: SessionEvent<State> & {
      readonly request: BootNotificationRequest;
      readonly status: RegistrationStatus;
    },
  ];
  /** Every CALL from a charge point, after it was answered (not for refused ones). */
  request: [event: ChargePointRequestEvent<State>];
  /** A StartTransaction created a transaction (resends do not fire this again). */
  transactionStarted: [
    event: SessionEvent<State> & {
      readonly transaction: StoredTransaction;
      readonly response: LedgerStart['response'];
    },
  ];
  /** A StopTransaction was recorded (`result.status` tells a first stop from a resend or an orphan). */
  transactionStopped: [
    event: SessionEvent<State> & {
      readonly request: StopTransactionRequest;
      readonly result: TransactionEndResult;
    },
  ];
  /** A CSR was signed and CertificateSigned sent (`response` is the charge point's answer), or it failed. */
  certificateSigned: [
    event: SessionEvent<State> & {
      readonly request: SignCertificateRequest;
      readonly result:
        | {
            readonly status: 'Sent';
            readonly certificateChain: string;
            readonly certificateStatus: 'Accepted' | 'Rejected';
          }
        | { readonly status: 'Failed'; readonly error: unknown };
    },
  ];
  /** Configuring a Pending charge point (`provision`) threw; its next boot tries again. */
  provisioningFailed: [event: SessionEvent<State> & { readonly error: unknown }];
  /** A CALL was refused before any handler ran, e.g. SecurityError before it was accepted. */
  refused: [
    event: SessionEvent<State> & {
      readonly action: string;
      readonly messageId: string;
      readonly reason: string;
    },
  ];
  /** An upgrade was refused (unknown identity, credentials, profile, certificate). */
  handshakeRejected: [event: HandshakeRejectedEvent & { readonly securityProfile: number }];
}
