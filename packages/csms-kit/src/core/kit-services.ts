// What the default handlers get from the central system: the ports, the policy and the events.
import type { BootNotificationRequest, RegistrationStatus } from '@ocpp-kit/messages';
import type { Authorizer } from '../helpers/authorization.js';
import type { CertificateSigner } from '../helpers/certificate-signing.js';
import type { TransactionLedger } from '../helpers/transaction-ledger.js';
import type {
  ChargePointDirectory,
  ChargePointRecord,
} from '../registry/charge-point-directory.js';
import type { CsmsEvents } from './csms-events.js';
import type { CsmsLogger } from './logger.js';
import type { ChargePointSession } from './session.js';

/** What the boot policy sees; `proposed` is the kit's answer from the record (see README). */
export interface BootContext<State> {
  readonly session: ChargePointSession<State>;
  readonly request: BootNotificationRequest;
  readonly record: ChargePointRecord | undefined;
  readonly proposed: RegistrationStatus;
}

/** Decides a BootNotification's status; `undefined` keeps the proposed one. */
export type BootPolicy<State> = (
  context: BootContext<State>,
) => RegistrationStatus | undefined | Promise<RegistrationStatus | undefined>;

export interface KitServices<State> {
  readonly directory: ChargePointDirectory;
  readonly authorizer: Authorizer;
  readonly ledger: TransactionLedger;
  readonly clock: () => number;
  readonly heartbeatIntervalSeconds: number;
  readonly bootRetryIntervalSeconds: number;
  readonly boot: BootPolicy<State> | undefined;
  readonly provision: ((session: ChargePointSession<State>) => Promise<void>) | undefined;
  readonly certificates: CertificateSigner | undefined;
  readonly logger: CsmsLogger;
  emit<E extends keyof CsmsEvents<State>>(event: E, ...args: CsmsEvents<State>[E]): void;
  /** Runs `task` once the current CALL's answer is written (a CALL sent from a handler would overtake it). */
  afterAnswer(task: () => Promise<void>): void;
}
