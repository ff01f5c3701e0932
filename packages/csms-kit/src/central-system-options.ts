import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { ocpp16 } from '@ocpp-kit/messages';
import type {
  AuthenticateResult,
  SecurityProfile,
  ServerOptions,
  ServerTlsOptions,
} from '@ocpp-kit/rpc-core';
import type { CsmsHandshakeContext, UnknownChargePointPolicy } from './core/authentication.js';
import type { BootPolicy } from './core/kit-services.js';
import type { CsmsLogger } from './core/logger.js';
import type { ChargePointSession, SessionInfo } from './core/session.js';
import type { IdTagProvider } from './helpers/authorization.js';
import type { CertificateSigner } from './helpers/certificate-signing.js';
import type { TransactionStore } from './helpers/transaction-store.js';
import type { ChargePointDirectory } from './registry/charge-point-directory.js';
import type { SessionRegistry } from './registry/session-registry.js';

/** One WebSocket endpoint; one security profile each (whitepaper A00.FR.001, A00.FR.006). */
export interface ListenerOptions {
  readonly securityProfile: SecurityProfile;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port; see `listen()`'s result). */
  readonly port?: number;
  /** The OCPP-J path; charge points connect to `<path>/<identity>`. Default `/`. */
  readonly path?: string;
  /** Profiles 2/3: the server certificates; `ca` for profile 3's client certificates. */
  readonly tls?: ServerTlsOptions;
  /** Attach to this `node:http`/`node:https` server instead of creating one. */
  readonly server?: HttpServer | HttpsServer;
}

/** rpc-core server options the kit passes through unchanged (limits, timeouts, keepalive). */
export type TransportOptions = Pick<
  ServerOptions<typeof ocpp16, unknown>,
  | 'handshakeTimeoutMs'
  | 'maxPendingHandshakes'
  | 'maxBufferedBytes'
  | 'drainTimeoutMs'
  | 'maxPayloadBytes'
  | 'maxBadMessages'
  | 'pingIntervalMs'
  | 'maxIdentityLength'
>;

export interface CentralSystemOptions<State = undefined> {
  readonly listeners: readonly ListenerOptions[];
  /** Known charge points. Default: an empty `MemoryDirectory`. */
  readonly chargePoints?: ChargePointDirectory;
  /** What to do with an identity the directory does not know. Default `reject`. */
  readonly unknownChargePoints?: UnknownChargePointPolicy;
  /** Profile 3 and CSR signing: the O every charge point certificate carries (A00.FR.404). */
  readonly cpoName?: string;
  /** IdTag records for Authorize and transactions. Default: none (every tag `Invalid`). */
  readonly idTags?: IdTagProvider;
  /** Where transactions are kept. Default: a `MemoryTransactionStore`. */
  readonly transactions?: TransactionStore;
  /** Where sessions are found and calls routed. Default: this process (`InProcessRegistry`). */
  readonly registry?: SessionRegistry;
  /** BootNotification.conf `interval` when Accepted. Default 300 s. */
  readonly heartbeatIntervalSeconds?: number;
  /** BootNotification.conf `interval` when Pending or Rejected. Default 60 s. */
  readonly bootRetryIntervalSeconds?: number;
  /** Overrides the status the kit proposes for a boot. */
  readonly boot?: BootPolicy<State>;
  /**
   * Configures each registered charge point before accepting it: its first boot on a connection
   * is answered Pending, this runs, then a TriggerMessage asks for the boot that is Accepted.
   */
  readonly provision?: (session: ChargePointSession<State>) => Promise<void>;
  /** Signs SignCertificate CSRs; without it they are Rejected (A02.FR.12). */
  readonly certificates?: CertificateSigner;
  /** The application's per-session state, made at each connection. */
  readonly state?: (info: SessionInfo) => State;
  /** Runs after the kit's own checks; `false` refuses with 401 (403 on profile 3). */
  readonly authenticate?: (
    context: CsmsHandshakeContext,
  ) => AuthenticateResult | Promise<AuthenticateResult>;
  /** Timeout of every CALL to a charge point. Default 30000 ms. */
  readonly callTimeoutMs?: number;
  /** How long a TriggerMessage lets a not-yet-accepted charge point send what it asked for. Default 60000 ms. */
  readonly triggerWindowMs?: number;
  readonly transport?: TransportOptions;
  readonly clock?: () => number;
  readonly logger?: CsmsLogger;
}
