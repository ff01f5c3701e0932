import type { EventEmitter } from 'node:events';
import { ocpp16 } from '@ocpp-kit/messages';
import {
  type BackoffOptions,
  backoffDelay,
  type CallRequest,
  type CallResponse,
  type CheckSendable,
  type ClientTlsOptions,
  createClient,
  defaultBackoff,
  type OcppClient,
  type Router,
  RpcError,
  type SecurityProfile,
} from '@ocpp-kit/rpc-core';
import type { ChargePointEvents } from './events.js';
import type { KitLogger } from './logger.js';
import { Timer, type Timers } from './timers.js';

type Ocpp16 = typeof ocpp16;

/** Where and how to connect, read again at every connect (the security profile may change, A05). */
export interface Endpoint {
  /** CSMS endpoints, tried in turn when a connect fails. */
  readonly urls: readonly string[];
  readonly securityProfile: SecurityProfile;
  readonly tls?: ClientTlsOptions;
}

export interface ConnectionOptions {
  readonly identity: string;
  readonly endpoint: () => Endpoint;
  /** The AuthorizationKey bytes at the time of connecting (profiles 1/2). */
  readonly authorizationKey: () => Uint8Array | undefined;
  readonly router: Router<Ocpp16, 'ChargePoint', undefined>;
  /** WebSocketPingInterval in seconds at the time of connecting. */
  readonly pingIntervalSeconds: () => number;
  readonly reconnect?: BackoffOptions;
  readonly timers: Timers;
  readonly events: EventEmitter<ChargePointEvents>;
  readonly logger: KitLogger;
  /** A frame from the CSMS that is not valid OCPP-J (the reason). */
  readonly onBadMessage?: (reason: string) => void;
}

/**
 * Keeps one charge point connected to its CSMS: connects, retries a failed connect with backoff
 * (rpc-core reconnects an established connection itself), rotates through the CSMS URLs, and
 * can drop and renew the connection (a Rejected boot, a new AuthorizationKey). It knows nothing
 * of OCPP actions; behaviours call through it.
 */
export class Connection {
  readonly #options: ConnectionOptions;
  readonly #retry: Timer;
  readonly #backoff: Required<BackoffOptions>;
  #client: OcppClient<Ocpp16> | undefined;
  #urlIndex = 0;
  #attempt = 0;
  #running = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#retry = new Timer(options.timers);
    this.#backoff = { ...defaultBackoff, ...options.reconnect };
  }

  /** The WebSocket is open now. */
  get open(): boolean {
    return this.#client?.status === 'open';
  }

  /** Starts connecting (and keeps at it until `stop`). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#connect();
  }

  /** Closes for good. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#retry.cancel();
    await this.#drop();
  }

  /** Closes now and connects again after `ms` (§4.2: a Rejected charge point keeps silent). */
  async pause(ms: number): Promise<void> {
    this.#retry.cancel();
    await this.#drop();
    if (this.#running) this.#retry.arm(ms, () => this.#connect());
  }

  /** Reconnects at once with the current settings (e.g. a changed AuthorizationKey). */
  async renew(): Promise<void> {
    await this.pause(0);
  }

  setPingInterval(seconds: number): void {
    this.#client?.setPingInterval(seconds * 1000);
  }

  /** A CALL on the open connection; `NotConnected` when there is none. */
  call<A extends string>(
    action: CheckSendable<Ocpp16, 'ChargePoint', A>,
    payload: CallRequest<Ocpp16, 'ChargePoint', A>,
    options: { readonly timeoutMs: number; readonly messageId?: string },
  ): Promise<CallResponse<Ocpp16, 'ChargePoint', A>> {
    const client = this.#client;
    if (client === undefined || client.status !== 'open') {
      return Promise.reject(
        new RpcError('NotConnected', `Not connected to the CSMS; '${String(action)}' was not sent`),
      );
    }
    return client.call(action, payload, options);
  }

  #connect(): void {
    if (!this.#running) return;
    const { events, logger } = this.#options;
    let client: OcppClient<Ocpp16>;
    let url: string;
    try {
      const endpoint = this.#options.endpoint();
      url = endpoint.urls[this.#urlIndex % endpoint.urls.length] as string;
      client = this.#createClient(url, endpoint);
    } catch (error) {
      // A configuration error (profile vs URL, TLS files): retrying cannot fix it.
      this.#running = false;
      events.emit('error', { error: error as Error });
      return;
    }
    this.#client = client;
    client.on('open', ({ reconnect }) => {
      if (this.#client !== client) return;
      this.#attempt = 0;
      logger.info('connection.open', { url, reconnect });
      events.emit('connected', { url, reconnect });
    });
    client.on('close', ({ code, reason }) => {
      if (this.#client !== client) return;
      logger.info('connection.closed', { code, reason });
      events.emit('disconnected', { code, reason });
    });
    // Whitepaper §8 InvalidMessages: a frame from the CSMS that is not valid OCPP-J.
    client.on('badMessage', ({ reason, messageId }) =>
      this.#options.onBadMessage?.(`${reason}${messageId === undefined ? '' : ` (${messageId})`}`),
    );
    client.connect().catch((error: unknown) => {
      if (this.#client !== client || !this.#running) return;
      this.#client = undefined;
      this.#urlIndex += 1;
      const retryInMs = backoffDelay(this.#attempt, this.#backoff);
      this.#attempt += 1;
      logger.warn('connection.failed', { url, error: String(error), retryInMs });
      events.emit('connectFailed', { url, error: error as Error, retryInMs });
      this.#retry.arm(retryInMs, () => this.#connect());
    });
  }

  #createClient(url: string, endpoint: Endpoint): OcppClient<Ocpp16> {
    const { identity, router, reconnect } = this.#options;
    const { securityProfile, tls } = endpoint;
    const authorizationKey =
      securityProfile === 1 || securityProfile === 2 ? this.#options.authorizationKey() : undefined;
    return createClient({
      protocol: ocpp16,
      url,
      identity,
      securityProfile,
      router,
      pingIntervalMs: this.#options.pingIntervalSeconds() * 1000,
      // Calls are made only while open; the kit's queues hold what waits for a connection.
      session: { queueWhileDetached: false },
      ...(reconnect === undefined ? {} : { reconnect }),
      ...(tls === undefined ? {} : { tls }),
      ...(authorizationKey === undefined ? {} : { authorizationKey }),
    });
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    const wasOpen = client.status === 'open';
    await client.close();
    if (wasOpen)
      this.#options.events.emit('disconnected', {
        code: 1000,
        reason: 'Closed by the charge point',
      });
  }
}
