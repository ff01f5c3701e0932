// Wiring only: one rpc-core server per listener, the kit's services, the handler table, the events.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { DetailedPeerCertificate } from 'node:tls';
import {
  chargePointToCentralSystemActions,
  ocpp16,
  type RequestOf,
  type ResponseOf,
} from '@ocpp-kit/messages';
import {
  type CallOptions,
  createServer,
  type HandlerContext,
  type OcppServer,
  parseCommand,
  RpcError,
  type SecurityProfile,
} from '@ocpp-kit/rpc-core';
import type { CentralSystemOptions, ListenerOptions } from './central-system-options.js';
import { type CallOutcome, outcomeOf } from './commands/call-outcome.js';
import { authenticator } from './core/authentication.js';
import type { CsmsEvents } from './core/csms-events.js';
import type { ChargePointAction, CsmsHandler, HandlerTable } from './core/handler.js';
import type { KitServices } from './core/kit-services.js';
import { silentCsmsLogger } from './core/logger.js';
import { ChargePointSession, type CsmsCommand } from './core/session.js';
import { CsmsKitError } from './errors.js';
import { defaultHandlers } from './handlers/default-handlers.js';
import { Authorizer, MemoryIdTags } from './helpers/authorization.js';
import { TransactionLedger } from './helpers/transaction-ledger.js';
import { MemoryTransactionStore } from './helpers/transaction-store.js';
import {
  type ChargePointDirectory,
  type ChargePointRecord,
  MemoryDirectory,
} from './registry/charge-point-directory.js';
import { InProcessRegistry, type SessionRegistry } from './registry/session-registry.js';

type KitServer = OcppServer<typeof ocpp16, ChargePointSession<unknown>>;
type AnyCsmsHandler = (request: unknown, context: unknown) => unknown;

/** Where one listener ended up. */
export interface ListeningAddress extends AddressInfo {
  readonly securityProfile: SecurityProfile;
}

const defaults = {
  heartbeatIntervalSeconds: 300,
  bootRetryIntervalSeconds: 60,
  callTimeoutMs: 30_000,
  triggerWindowMs: 60_000,
} as const;

/**
 * An OCPP 1.6-J Central System: `createCentralSystem(options)`, `handle()` what the application
 * answers itself, `listen()`, then `get(identity).call(...)` or `callMany(...)`.
 */
export class CentralSystem<State = undefined> extends EventEmitter<CsmsEvents<State>> {
  readonly directory: ChargePointDirectory;
  readonly ledger: TransactionLedger;
  readonly authorizer: Authorizer;
  readonly registry: SessionRegistry;
  readonly #options: CentralSystemOptions<State>;
  readonly #servers: { readonly listener: ListenerOptions; readonly server: KitServer }[];
  readonly #defaults: HandlerTable<State>;
  readonly #handlers = new Map<string, AnyCsmsHandler>();
  readonly #matched = new Map<string, ChargePointRecord>();
  readonly #kit: KitServices<State>;
  #closed = false;

  constructor(options: CentralSystemOptions<State>) {
    super();
    checkOptions(options);
    this.#options = options;
    this.directory = options.chargePoints ?? new MemoryDirectory();
    this.registry = options.registry ?? new InProcessRegistry();
    const transactions = options.transactions ?? new MemoryTransactionStore();
    const clock = options.clock ?? Date.now;
    this.authorizer = new Authorizer({
      idTags: options.idTags ?? new MemoryIdTags(),
      transactions,
      clock,
    });
    this.ledger = new TransactionLedger(transactions, this.authorizer);
    const logger = options.logger ?? silentCsmsLogger;
    this.#kit = {
      directory: this.directory,
      authorizer: this.authorizer,
      ledger: this.ledger,
      clock,
      heartbeatIntervalSeconds:
        options.heartbeatIntervalSeconds ?? defaults.heartbeatIntervalSeconds,
      bootRetryIntervalSeconds:
        options.bootRetryIntervalSeconds ?? defaults.bootRetryIntervalSeconds,
      boot: options.boot,
      provision: options.provision,
      certificates: options.certificates,
      logger,
      emit: (event, ...args) => {
        if (this.listenerCount(event) > 0) {
          (this.emit as (name: string, ...payload: unknown[]) => boolean)(event, ...args);
        }
      },
      afterAnswer: (task) => {
        setImmediate(() => {
          task().catch((error: unknown) => logger.error('csms.task-failed', { error }));
        });
      },
    };
    this.#defaults = defaultHandlers(this.#kit);
    this.#servers = options.listeners.map((listener) => ({
      listener,
      server: this.#createServer(listener),
    }));
  }

  /** Answers `action` with `handler` instead of the kit's default (see README). */
  handle<A extends ChargePointAction>(action: A, handler: CsmsHandler<A, State>): this {
    if (!chargePointToCentralSystemActions.includes(action)) {
      throw new CsmsKitError(
        'INVALID_OPTIONS',
        `'${String(action)}' is not sent by charge points; handle one of: ${chargePointToCentralSystemActions.join(', ')}`,
      );
    }
    this.#handlers.set(action, handler as unknown as AnyCsmsHandler);
    return this;
  }

  /** The kit's own handler of `action`, to wrap in an application handler. */
  defaultHandler<A extends ChargePointAction>(action: A): CsmsHandler<A, State> {
    return this.#defaults[action];
  }

  /** Starts every listener; resolves to their addresses, in the order given. */
  async listen(): Promise<ListeningAddress[]> {
    if (this.#closed)
      throw new CsmsKitError('CLOSED', 'The central system was closed; create a new one');
    const addresses: ListeningAddress[] = [];
    for (const { listener, server } of this.#servers) {
      const listen: { host?: string; port?: number } = {};
      if (listener.host !== undefined) listen.host = listener.host;
      if (listener.port !== undefined) listen.port = listener.port;
      const address = await server.listen(listen);
      addresses.push({ ...address, securityProfile: listener.securityProfile });
    }
    return addresses;
  }

  /** The session of a charge point connected to this node. */
  get(identity: string): ChargePointSession<State> | undefined {
    return this.registry.local(identity) as ChargePointSession<State> | undefined;
  }

  /** Sessions connected to this node. */
  *sessions(): IterableIterator<ChargePointSession<State>> {
    for (const session of this.registry.localSessions()) yield session as ChargePointSession<State>;
  }

  /** Sends a CALL to a charge point wherever it is connected (through the registry). */
  call<A extends CsmsCommand>(
    identity: string,
    action: A,
    payload: RequestOf<A>,
    options?: CallOptions,
  ): Promise<ResponseOf<A>> {
    return this.registry.route({
      identity,
      action,
      payload,
      ...(options === undefined ? {} : { options }),
    }) as Promise<ResponseOf<A>>;
  }

  /**
   * Sends one CALL to many charge points at once. The payload is checked once first (throws
   * `RpcError` `InvalidOutgoingPayload` naming the field, nothing sent); then each charge point
   * gets its own outcome: its response, its CALLERROR, or why no answer came.
   */
  async callMany<A extends CsmsCommand>(
    identities: Iterable<string>,
    action: A,
    payload: RequestOf<A>,
    options?: CallOptions,
  ): Promise<CallOutcome<A>[]> {
    parseCommand(ocpp16, 'CentralSystem', { action, payload });
    const unique = [...new Set(identities)];
    return Promise.all(
      unique.map((identity) =>
        outcomeOf<A>(identity, () => this.call(identity, action, payload, options)),
      ),
    );
  }

  /** Closes every connection (1001) and listener. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#servers.map(({ server }) => server.close()));
  }

  #createServer(listener: ListenerOptions): KitServer {
    const options = this.#options;
    const server: KitServer = createServer<typeof ocpp16, ChargePointSession<unknown>>({
      ...options.transport,
      protocol: ocpp16,
      securityProfile: listener.securityProfile,
      ...(listener.path === undefined ? {} : { path: listener.path }),
      ...(listener.tls === undefined ? {} : { tls: listener.tls }),
      ...(listener.server === undefined ? {} : { server: listener.server }),
      ...(options.cpoName === undefined ? {} : { cpoName: options.cpoName }),
      // The CN is checked against the record in `authenticate`, which may name another CN.
      matchCommonName: () => true,
      authenticate: authenticator({
        directory: this.directory,
        unknownChargePoints: options.unknownChargePoints ?? 'reject',
        authenticate: options.authenticate,
        matched: (record) => this.#matched.set(record.identity, record),
      }),
      state: (info) => {
        const record = this.#matched.get(info.identity);
        this.#matched.delete(info.identity);
        const sessionInfo = {
          identity: info.identity,
          securityProfile: info.securityProfile,
          remoteAddress: info.remoteAddress,
          certificateCommonName: commonNameOf(info.certificate),
        };
        const state = options.state?.(sessionInfo) as State;
        return new ChargePointSession<State>(
          sessionInfo,
          record,
          state,
          this.#kit.clock(),
          options.triggerWindowMs ?? defaults.triggerWindowMs,
        ) as ChargePointSession<unknown>;
      },
      session: { callTimeoutMs: options.callTimeoutMs ?? defaults.callTimeoutMs },
    });
    const on = server.router.on.bind(server.router) as unknown as (
      action: string,
      handler: (request: unknown, context: HandlerContext<ChargePointSession<unknown>>) => unknown,
    ) => void;
    for (const action of chargePointToCentralSystemActions) {
      on(action, (request, context) => this.#dispatch(action, request, context));
    }
    server.on('client', ({ connection }) => {
      const session = connection.state as ChargePointSession<State>;
      session.attach(connection);
      const previous = this.registry.local(session.identity);
      // The same identity on another listener: the newer connection wins, as within one.
      if (previous !== undefined && previous !== session)
        previous.close(4001, 'Replaced by a new connection');
      this.registry.add(session as ChargePointSession<unknown>);
      this.#kit.logger.info('session.connected', {
        identity: session.identity,
        securityProfile: session.securityProfile,
      });
      this.#kit.emit('connect', { session });
    });
    server.on('disconnect', ({ connection, code, reason }) => {
      const session = connection.state as ChargePointSession<State>;
      session.detach();
      this.registry.remove(session as ChargePointSession<unknown>);
      this.#kit.logger.info('session.disconnected', { identity: session.identity, code });
      this.#kit.emit('disconnect', { session, code, reason });
    });
    server.on('handshakeRejected', (event) => {
      this.#kit.logger.info('handshake.rejected', { stage: event.stage, reason: event.reason });
      this.#kit.emit('handshakeRejected', { ...event, securityProfile: listener.securityProfile });
    });
    return server;
  }

  async #dispatch(
    action: ChargePointAction,
    request: unknown,
    context: HandlerContext<ChargePointSession<unknown>>,
  ): Promise<unknown> {
    const session = context.state as ChargePointSession<State>;
    const { messageId } = context;
    if (
      action !== 'BootNotification' &&
      !session.accepted &&
      !session.triggers.allows(action, this.#kit.clock())
    ) {
      this.#refuse(session, action, messageId);
    }
    const handler = this.#handlers.get(action) ?? (this.#defaults[action] as AnyCsmsHandler);
    const response = await handler(request, {
      session,
      identity: session.identity,
      messageId,
      action,
      // Read on demand: building a CALL's signal costs more than most handlers do.
      get signal() {
        return context.signal;
      },
    });
    session.counted('received');
    if (action === 'BootNotification') {
      session.booted(
        request as RequestOf<'BootNotification'>,
        (response as ResponseOf<'BootNotification'>).status,
      );
    } else if (action === 'StatusNotification') {
      session.statusReported(request as RequestOf<'StatusNotification'>);
    }
    if (this.listenerCount('request') > 0) {
      this.emit('request', { session, action, messageId, request, response } as Parameters<
        CsmsEvents<State>['request'][0] extends infer E ? (event: E) => void : never
      >[0]);
    }
    return response;
  }

  /** OCPP-J errata 3.10 (§5.6): CALLs before the charge point is accepted get SecurityError. */
  #refuse(session: ChargePointSession<State>, action: string, messageId: string): never {
    const reason =
      session.registration === undefined
        ? `'${session.identity}' has not booted on this connection: send BootNotification first`
        : `'${session.identity}' is ${session.registration}: only BootNotification and triggered messages are answered until it is Accepted`;
    session.counted('refused');
    this.#kit.emit('refused', { session, action, messageId, reason });
    // A charge point that never booted since we last saw it (our restart, a lost record) is
    // asked to, once per connection, instead of being refused forever.
    if (session.registration === undefined && !session.bootRequested) {
      session.bootRequested = true;
      this.#kit.afterAnswer(async () => {
        if (session.connected) {
          await session
            .call('TriggerMessage', { requestedMessage: 'BootNotification' })
            .catch(() => undefined);
        }
      });
    }
    throw new RpcError('SecurityError', `${reason} (OCPP-J errata 3.10)`);
  }
}

function commonNameOf(certificate: DetailedPeerCertificate | undefined): string | undefined {
  const cn: string | string[] | undefined = certificate?.subject.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

function checkOptions<State>(options: CentralSystemOptions<State>): void {
  if (options.listeners.length === 0) {
    throw new CsmsKitError(
      'INVALID_OPTIONS',
      'listeners: give at least one { securityProfile, port }',
    );
  }
  const positive = (value: number | undefined, name: string, min: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new CsmsKitError(
        'INVALID_OPTIONS',
        `${name} must be an integer >= ${min}, got ${value}`,
      );
    }
  };
  positive(options.heartbeatIntervalSeconds, 'heartbeatIntervalSeconds', 1);
  positive(options.bootRetryIntervalSeconds, 'bootRetryIntervalSeconds', 0);
  positive(options.callTimeoutMs, 'callTimeoutMs', 1);
  positive(options.triggerWindowMs, 'triggerWindowMs', 1);
  if (options.listeners.some((l) => l.securityProfile === 3) && !options.cpoName) {
    throw new CsmsKitError(
      'INVALID_OPTIONS',
      'A security profile 3 listener needs cpoName: client certificates must carry it in O (A00.FR.404)',
    );
  }
}

/** Creates a central system; see `CentralSystemOptions`. */
export function createCentralSystem<State = undefined>(
  options: CentralSystemOptions<State>,
): CentralSystem<State> {
  return new CentralSystem<State>(options);
}
