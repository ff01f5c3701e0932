import type { EventEmitter } from 'node:events';
import type { ocpp16 } from '@ocpp-kit/messages';
import type { CallRequest, CallResponse, CheckSendable, Router } from '@ocpp-kit/rpc-core';
import { CertificateStore } from '@ocpp-kit/security';
import type { ConfigurationStore } from '../config/configuration-store.js';
import { ChargePointKitError } from '../errors.js';
import { TransactionQueue } from '../queue/transaction-queue.js';
import { certificateDocument } from '../storage/certificate-document.js';
import type { KitStore } from '../storage/kit-store.js';
import { AuthorizationCache } from './authorization-cache.js';
import { Authorizer } from './authorizer.js';
import { ChargingLimits } from './charging-limits.js';
import type { Connection } from './connection.js';
import { Connectors } from './connectors.js';
import type { ChargePointEvents, Registration } from './events.js';
import type { HardwareAdapter } from './hardware.js';
import { LocalList } from './local-list.js';
import type { KitLogger } from './logger.js';
import { Outputs } from './outputs.js';
import { SecurityEvents } from './security-events.js';
import type { Timers } from './timers.js';
import { Sessions } from './transactions/sessions.js';

type Ocpp16 = typeof ocpp16;

/** How a behaviour sends a CALL of its own (not a transaction-related one: those queue). */
export interface KitCallOptions {
  /** §4.2: while Pending, a message the CSMS asked for with TriggerMessage may go out. */
  readonly triggered?: boolean;
}

/** What the wiring hands the core: the shared parts as they stand on it, plus its settings. */
export type KitCoreParts = Pick<
  KitCore,
  | 'station'
  | 'config'
  | 'store'
  | 'connection'
  | 'router'
  | 'hardware'
  | 'events'
  | 'timers'
  | 'clock'
  | 'logger'
> & {
  readonly connectorCount: number;
  /** Entries the Authorization Cache holds before evicting (§3.5.1). */
  readonly authorizationCacheSize: number;
  /** Errata 3.11: allow charging before the CSMS ever Accepted this charge point. */
  readonly chargeBeforeAccepted: boolean;
  /** The Smart Charging profile is supported (its configuration keys exist). */
  readonly smartCharging: boolean;
};

/**
 * What every behaviour gets: configuration, storage, the connection, the queue, the router it
 * registers its handlers on, the hardware, events, time and the log; plus the one rule all
 * outgoing CALLs obey (§4.2: nothing but BootNotification before Accepted).
 */
export class KitCore {
  /** The durable queue of transaction-related messages, delivered while accepted (§3.7). */
  readonly queue: TransactionQueue;
  /** Every connector's facts and the status derived from them (§4.9). */
  readonly connectors: Connectors;
  /** Local list, cache and CSMS: who may charge (§3.5, §4.1). */
  readonly authorizer: Authorizer;
  /** The stored transactions and their messages (§3.7, §4.8, §4.10). */
  readonly sessions: Sessions;
  /** The security log and the SecurityEventNotifications it owes (whitepaper §8, A04). */
  readonly securityEvents: SecurityEvents;
  /** The connectors' power electronics: energised or not, and the limit in force. */
  readonly outputs: Outputs;
  /** The charging profiles and the limits they put in force (§3.13); absent without SmartCharging. */
  readonly limits: ChargingLimits | undefined;
  readonly station: string;
  readonly config: ConfigurationStore;
  readonly store: KitStore;
  readonly connection: Connection;
  readonly router: Router<Ocpp16, 'ChargePoint', undefined>;
  readonly hardware: HardwareAdapter;
  readonly events: EventEmitter<ChargePointEvents>;
  readonly timers: Timers;
  readonly clock: () => number;
  readonly logger: KitLogger;
  /** Set by the boot behaviour from BootNotification.conf. */
  registration: Registration = 'Unknown';
  /** Whether the CSMS ever Accepted this charge point (stored by the boot behaviour; errata 3.11). */
  everAccepted = false;
  /** `clock()` at the last answered CALL (HeartbeatInterval counts inactivity, §9.1.10). */
  lastExchangeAt = 0;
  #clockOffsetMs = 0;
  #certificates: CertificateStore | undefined;

  constructor(parts: KitCoreParts) {
    this.station = parts.station;
    this.config = parts.config;
    this.store = parts.store;
    this.connection = parts.connection;
    this.router = parts.router;
    this.hardware = parts.hardware;
    this.events = parts.events;
    this.timers = parts.timers;
    this.clock = parts.clock;
    this.logger = parts.logger;
    this.connectors = new Connectors(parts.connectorCount, parts.events);
    this.authorizer = new Authorizer(
      this,
      new AuthorizationCache(parts.store, parts.station, parts.authorizationCacheSize),
      new LocalList(parts.store, parts.station),
      { chargeBeforeAccepted: parts.chargeBeforeAccepted },
    );
    const { config, logger } = parts;
    this.queue = new TransactionQueue({
      store: parts.store,
      station: parts.station,
      timers: parts.timers,
      send: (action, payload, messageId) => this.call(action, payload as never, { messageId }),
      attempts: () => config.get('TransactionMessageAttempts'),
      retryIntervalSeconds: () => config.get('TransactionMessageRetryInterval'),
      onError: (error) => parts.events.emit('error', { error: error as Error }),
      onFailure: ({ message, error, retryInMs }) =>
        logger.warn(retryInMs === undefined ? 'queue.discarded' : 'queue.retry', {
          action: message.action,
          messageId: message.messageId,
          error: error.code,
          retryInMs,
        }),
    });
    this.sessions = new Sessions(this);
    this.outputs = new Outputs(parts.hardware, logger);
    this.securityEvents = new SecurityEvents(this);
    this.limits = parts.smartCharging ? new ChargingLimits(this) : undefined;
    parts.events.on('accepted', () => this.queue.resume());
    parts.events.on('disconnected', () => this.queue.pause());
  }

  /**
   * The installed roots and the charge point's own certificates (whitepaper M03-M05, A02),
   * opened by `openCertificates` when the charge point starts.
   */
  get certificates(): CertificateStore {
    if (this.#certificates === undefined)
      throw new ChargePointKitError('CLOSED', 'The certificate store opens with start()');
    return this.#certificates;
  }

  /** Opens the certificate store on the kit's database (once). */
  async openCertificates(): Promise<void> {
    if (this.#certificates !== undefined) return;
    const { config } = this;
    this.#certificates = await CertificateStore.open({
      storage: certificateDocument(this.store, this.station),
      maxLength: config.get('CertificateStoreMaxLength'),
      additionalRootCertificateCheck: config.get('AdditionalRootCertificateCheck'),
      clock: () => this.now(),
    });
    for (const problem of this.#certificates.problems)
      this.logger.warn('certificates.unreadable', {
        entry: problem.entry,
        message: problem.message,
      });
  }

  /** Connected and accepted: every message may go out. */
  get accepted(): boolean {
    return this.registration === 'Accepted' && this.connection.open;
  }

  /** The time in epoch ms, on the CSMS's clock once it has told us (§4.2, §4.6 currentTime). */
  now(): number {
    return this.clock() + this.#clockOffsetMs;
  }

  /** `now()` as the ISO 8601 UTC timestamps of the messages. */
  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** Adopts the CSMS's currentTime (§4.2: RECOMMENDED to synchronise with it). */
  adoptTime(currentTime: string): void {
    const csms = Date.parse(currentTime);
    if (!Number.isFinite(csms)) return;
    const offset = csms - this.clock();
    this.securityEvents.clockMoved(offset - this.#clockOffsetMs);
    this.#clockOffsetMs = offset;
    // The clock moved: a different limit may be in force, the next change at another time.
    this.limits?.apply();
  }

  /**
   * Sends a CALL now, within MessageTimeout (errata 3.83). Rejects with `NOT_ACCEPTED` when the
   * registration forbids it (§4.2) and with rpc-core's `NotConnected` when offline, so a
   * behaviour can fall back to its offline rule.
   */
  call<A extends string>(
    action: CheckSendable<Ocpp16, 'ChargePoint', A>,
    payload: CallRequest<Ocpp16, 'ChargePoint', A>,
    options: KitCallOptions & { readonly messageId?: string } = {},
  ): Promise<CallResponse<Ocpp16, 'ChargePoint', A>> {
    const allowed =
      action === 'BootNotification' ||
      this.registration === 'Accepted' ||
      (this.registration === 'Pending' && options.triggered === true);
    if (!allowed) {
      return Promise.reject(
        new ChargePointKitError(
          'NOT_ACCEPTED',
          `'${String(action)}' was not sent: the CSMS has not accepted this charge point (registration ${this.registration}, §4.2)`,
        ),
      );
    }
    const timeoutMs = this.config.get('MessageTimeout') * 1000;
    const answered = this.connection.call(action, payload, {
      timeoutMs,
      ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
    });
    return answered.then((response) => {
      this.lastExchangeAt = this.clock();
      return response;
    });
  }
}
