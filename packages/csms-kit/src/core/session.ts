// One connected charge point as the application sees it: typed calls, its registration, its
// connectors' last status and the state the application keeps for it.
import type {
  ActionsSentBy,
  BootNotificationRequest,
  ocpp16,
  RegistrationStatus,
  RequestOf,
  ResponseOf,
  StatusNotificationRequest,
} from '@ocpp-kit/messages';
import type { CallOptions, SecurityProfile, ServerConnection } from '@ocpp-kit/rpc-core';
import { CsmsKitError } from '../errors.js';
import type { ChargePointRecord } from '../registry/charge-point-directory.js';
import { TriggerAllowances } from './trigger-allowances.js';

/** A CALL the Central System sends (chapter 5 and the whitepaper's CSMS-initiated messages). */
export type CsmsCommand = ActionsSentBy<'CentralSystem'>;

/** What the rpc-core connection carries as its state: the kit's session. */
export type KitConnection = ServerConnection<typeof ocpp16, ChargePointSession<unknown>>;

/** What a connection is known by before its session exists. */
export interface SessionInfo {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly remoteAddress: string | undefined;
  /** Profile 3: the client certificate's subject CN. */
  readonly certificateCommonName: string | undefined;
}

/** §4.2.1: "While in pending state, [these] Central System initiated messages are not allowed". */
const forbiddenWhilePending: ReadonlySet<string> = new Set([
  'RemoteStartTransaction',
  'RemoteStopTransaction',
]);

export class ChargePointSession<State = undefined> {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly remoteAddress: string | undefined;
  readonly certificateCommonName: string | undefined;
  /** Epoch ms of the WebSocket upgrade. */
  readonly connectedAt: number;
  /** The application's data for this charge point (`CentralSystemOptions.state`). */
  readonly state: State;
  /** @internal Triggered messages a charge point that is not Accepted may send (§4.2, §5.17). */
  readonly triggers: TriggerAllowances;
  /** @internal `provision` completed on this connection: its next boot is Accepted. */
  provisioned = false;
  /** @internal A BootNotification was requested after a CALL came before any boot. */
  bootRequested = false;
  readonly #connectors = new Map<number, StatusNotificationRequest>();
  readonly #stats = { received: 0, refused: 0, sent: 0, failed: 0 };
  #connection: KitConnection | undefined;
  #registration: RegistrationStatus | undefined;
  #boot: BootNotificationRequest | undefined;
  #closed = false;

  /** @internal Built by the central system at each accepted handshake. */
  constructor(
    info: SessionInfo,
    record: ChargePointRecord | undefined,
    state: State,
    now: number,
    triggerWindowMs: number,
  ) {
    this.identity = info.identity;
    this.securityProfile = info.securityProfile;
    this.remoteAddress = info.remoteAddress;
    this.certificateCommonName = info.certificateCommonName;
    this.connectedAt = now;
    this.state = state;
    this.triggers = new TriggerAllowances(triggerWindowMs);
    // §4.2: a charge point boots once per (re)boot, not per connection; a reconnect keeps the
    // registration its last boot got, unless the record was blocked or unregistered since.
    if (record?.registration === 'Registered' && record.lastBootStatus === 'Accepted') {
      this.#registration = 'Accepted';
    }
  }

  /**
   * The status of the last BootNotification.conf on this connection, or `Accepted` carried over
   * from the previous connection; `undefined` until the charge point boots.
   */
  get registration(): RegistrationStatus | undefined {
    return this.#registration;
  }

  get accepted(): boolean {
    return this.#registration === 'Accepted';
  }

  /** The BootNotification.req of this connection, if it booted on it. */
  get boot(): BootNotificationRequest | undefined {
    return this.#boot;
  }

  /** The last StatusNotification.req per connector id (0 is the charge point itself). */
  get connectors(): ReadonlyMap<number, StatusNotificationRequest> {
    return this.#connectors;
  }

  /** False once the connection closed; a reconnect makes a new session. */
  get connected(): boolean {
    return this.#connection !== undefined && !this.#closed;
  }

  /**
   * CALLs on this connection: `received` from the charge point (answered), `refused` before any
   * handler (not accepted yet), `sent` by us, `failed` of those (CALLERROR, timeout, lost).
   */
  get stats(): {
    readonly received: number;
    readonly refused: number;
    readonly sent: number;
    readonly failed: number;
  } {
    return { ...this.#stats };
  }

  /** Our CALLs awaiting an answer plus those queued behind them (OCPP-J §4.1.1: one at a time). */
  get pendingCalls(): number {
    return this.#connection?.pendingCalls ?? 0;
  }

  /**
   * Sends a CALL and resolves to the charge point's typed response. Rejects with `RpcError`
   * (a CALLERROR from the charge point, `Timeout`, `ConnectionLost`, `InvalidOutgoingPayload`,
   * ...) or `CsmsKitError` `NOT_ALLOWED` / `NOT_CONNECTED`.
   */
  async call<A extends CsmsCommand>(
    action: A,
    payload: RequestOf<A>,
    options?: CallOptions,
  ): Promise<ResponseOf<A>> {
    const connection = this.#connection;
    if (connection === undefined || this.#closed) {
      throw new CsmsKitError(
        'NOT_CONNECTED',
        `Charge point '${this.identity}' disconnected; '${action}' was not sent`,
      );
    }
    this.#checkAllowed(action);
    const trigger = this.triggers.expect(action, payload);
    this.#stats.sent += 1;
    try {
      const response = await (
        connection.call as (a: string, p: unknown, o?: CallOptions) => Promise<unknown>
      )(action, payload, options);
      trigger?.settle((response as { status?: unknown }).status === 'Accepted');
      return response as ResponseOf<A>;
    } catch (error) {
      trigger?.settle(false);
      this.#stats.failed += 1;
      throw error;
    }
  }

  /** Closes the WebSocket (1000 unless given); a charge point reconnects by itself. */
  close(code = 1000, reason = ''): void {
    this.#connection?.close(code, reason);
  }

  #checkAllowed(action: string): void {
    if (this.#registration === 'Rejected') {
      throw new CsmsKitError(
        'NOT_ALLOWED',
        `Charge point '${this.identity}' was Rejected at boot: send nothing until it is accepted (§4.2.1)`,
      );
    }
    if (this.#registration === 'Pending' && forbiddenWhilePending.has(action)) {
      throw new CsmsKitError(
        'NOT_ALLOWED',
        `${action} is not allowed while '${this.identity}' is Pending: accept its BootNotification first (§4.2.1)`,
      );
    }
  }

  /** @internal */
  attach(connection: KitConnection): void {
    this.#connection = connection;
  }

  /** @internal */
  detach(): void {
    this.#closed = true;
  }

  /** @internal The answer the kit gave to a BootNotification on this connection. */
  booted(request: BootNotificationRequest, status: RegistrationStatus): void {
    this.#boot = request;
    this.#registration = status;
  }

  /** @internal */
  counted(outcome: 'received' | 'refused'): void {
    this.#stats[outcome] += 1;
  }

  /** @internal */
  statusReported(request: StatusNotificationRequest): void {
    this.#connectors.set(request.connectorId, request);
  }
}
