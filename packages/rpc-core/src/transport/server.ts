// The Central System side: a WebSocket server (OCPP-J 1.6 §3) with security profiles 0-3.
import { EventEmitter } from 'node:events';
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type TLSSocket, Server as TlsServer } from 'node:tls';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RpcSessionEventName, RpcSessionEvents } from '../engine/events.js';
import { createRouter, type Router } from '../engine/router.js';
import type { RpcSessionOptions } from '../engine/session.js';
import { checkSessionOptions } from '../engine/session-settings.js';
import type { AnyProtocol } from '../engine/types.js';
import { RpcError } from '../errors.js';
import { AcceptedConnection, type EventSink } from './accepted-connection.js';
import { closeCodes, connectionLost } from './close-codes.js';
import {
  type AuthenticateResult,
  decideHandshake,
  type HandshakeAcceptance,
  type HandshakeContext,
  type HandshakePolicy,
  type HandshakeRejection,
} from './handshake.js';
import { defaultMaxIdentityLength } from './identity.js';
import { checkPingInterval } from './keepalive.js';
import { type CloseInfo, type OutputLimits, resolveOutputLimits } from './output-limits.js';
import { PendingHandshakes, type PendingRefusal, remoteAddressOf } from './pending-handshakes.js';
import {
  missingSuiteCertificates,
  type SecurityProfile,
  type ServerTlsOptions,
  securityProfiles,
  serverTlsOptions,
  TlsConfigurationProblem,
  usesBasicAuth,
  usesTls,
} from './security-profile.js';
import type { ServerConnection } from './server-connection.js';
import type { LinkHandlers } from './socket-link.js';
import { tlsErrorCode } from './tls-security-event.js';

/** Engine options applied to every connection's session. */
export type ServerSessionOptions<D extends AnyProtocol, State> = Omit<
  RpcSessionOptions<D, 'CentralSystem', State>,
  'protocol' | 'side' | 'identity' | 'router' | 'state'
>;

export interface ServerOptions<D extends AnyProtocol, State = undefined> {
  /** The generated protocol descriptor (e.g. `ocpp16`); its `subprotocol` is negotiated. */
  readonly protocol: D;
  /** Whitepaper §2.1; one profile per server/port (A00.FR.001, A00.FR.006). */
  readonly securityProfile: SecurityProfile;
  /** The OCPP-J endpoint path; charge points connect to `<path>/<identity>`. Default `/`. */
  readonly path?: string;
  /**
   * A `node:http` (profiles 0/1) or `node:https` (profiles 2/3) server to attach to. Without
   * it, `listen()` creates one (using `tls` for profiles 2/3).
   */
  readonly server?: HttpServer | HttpsServer;
  /** Profiles 2/3 when the server is created here: certificates (RSA and ECDSA), `ca` for 3. */
  readonly tls?: ServerTlsOptions;
  /** Profiles 1/2: the identity's AuthorizationKey bytes, compared in constant time. */
  readonly authorizationKey?: (
    identity: string,
  ) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Profile 3: the CPO name a client certificate's O must equal (A00.FR.404). */
  readonly cpoName?: string;
  /** Profile 3: whether a certificate CN belongs to the identity (A00.FR.405). Default: equal. */
  readonly matchCommonName?: (commonName: string, identity: string) => boolean;
  /** Runs last, before the upgrade completes; `false` answers 401 (403 in profile 3). */
  readonly authenticate?: (
    context: HandshakeContext,
  ) => AuthenticateResult | Promise<AuthenticateResult>;
  /** A second connection for a connected identity: replace the old one (default) or refuse (409). */
  readonly duplicateIdentity?: 'replace' | 'reject';
  /**
   * Time from TCP accept to the completed upgrade (TLS, HTTP request, authentication). On a
   * `server` you pass in, it counts from the upgrade request. Default 10000 ms.
   */
  readonly handshakeTimeoutMs?: number;
  /** Sockets at once that have not completed their upgrade; more are dropped at accept. Default 1000. */
  readonly maxPendingHandshakes?: number;
  /**
   * Unread output per connection (bytes ws and the kernel hold) above which the server stops
   * reading that charge point until it catches up (`stalled` event). Default 1 MiB.
   */
  readonly maxBufferedBytes?: OutputLimits['maxBufferedBytes'];
  /** A connection stalled this long is closed with 1008. 0 never closes. Default 30000 ms. */
  readonly drainTimeoutMs?: OutputLimits['drainTimeoutMs'];
  /** Largest accepted WebSocket message in bytes; larger closes with 1009. Default 1 MiB. */
  readonly maxPayloadBytes?: number;
  /** Bad frames (as the engine counts them) before the connection is closed with 1008. Default 10. */
  readonly maxBadMessages?: number;
  /** WebSocketPingInterval in ms; a peer silent for a whole interval is dropped. 0 disables. Default 60000. */
  readonly pingIntervalMs?: number;
  /** Longest identity accepted. Default 48. */
  readonly maxIdentityLength?: number;
  /** Per-connection session state for handlers (`context.state`). */
  readonly state?: (connection: ConnectionInfo) => State;
  /** Engine options for every session (timeouts, queue, validation, ...). */
  readonly session?: ServerSessionOptions<D, State>;
}

/** What is known about a connection before its session exists. */
export interface ConnectionInfo {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly certificate: HandshakeAcceptance['certificate'];
  readonly remoteAddress: string | undefined;
}

/** A refused connection attempt; `stage` tells how far it got. */
export type HandshakeRejectedEvent =
  | (HandshakeRejection & {
      /** Refused with an HTTP status before the upgrade (or closed right after it, see README). */
      readonly stage: 'http';
      readonly url: string | undefined;
      readonly remoteAddress: string | undefined;
    })
  | {
      /** Dropped before an upgrade: `maxPendingHandshakes` reached, or `handshakeTimeoutMs` passed. */
      readonly stage: 'connection';
      readonly reason: string;
      readonly remoteAddress: string | undefined;
    }
  | {
      /** The TLS handshake failed (profiles 2/3): e.g. no or an untrusted client certificate. */
      readonly stage: 'tls';
      readonly reason: string;
      /** OpenSSL's error code, for techInfo. */
      readonly tlsError: string | undefined;
      /** Profile 3 certificate failures call for it (A00.FR.407/408). */
      readonly securityEvent: 'InvalidChargePointCertificate' | undefined;
      readonly remoteAddress: string | undefined;
    };

export interface ConnectionFailedEvent {
  readonly identity: string;
  readonly remoteAddress: string | undefined;
  /** What the `state` factory threw. */
  readonly error: unknown;
  /** The close code the peer got after its upgrade (101) completed: 1011 Internal Error. */
  readonly closeCode: typeof closeCodes.internalError;
}

/** The connection an event is about. */
export interface ConnectionEvent<D extends AnyProtocol, State> {
  readonly connection: ServerConnection<D, State>;
}

/** How a connection ended: the code we sent when we closed first, else the charge point's. */
export type DisconnectEvent<D extends AnyProtocol, State> = ConnectionEvent<D, State> & CloseInfo;

export interface StalledEvent<D extends AnyProtocol, State> extends ConnectionEvent<D, State> {
  /** Unread output when reading was paused. */
  readonly bufferedBytes: number;
}

/** A session event of one connection, as the server re-emits it. */
export type ServerSessionEvent<
  E extends RpcSessionEventName,
  D extends AnyProtocol,
  State,
> = RpcSessionEvents[E] & ConnectionEvent<D, State>;

/** Every session event (`badMessage`, `frameIn`, `callFailed`, ...) of every connection. */
export type ServerSessionEvents<D extends AnyProtocol, State> = {
  [E in RpcSessionEventName]: [event: ServerSessionEvent<E, D, State>];
};

/** Every listener takes one event object; connection events carry `connection`. */
export interface OcppServerEvents<D extends AnyProtocol, State>
  extends ServerSessionEvents<D, State> {
  /** A charge point connected; its session is attached and can `call`. */
  client: [event: ConnectionEvent<D, State>];
  /** A connection closed (for any reason, including replacement). */
  disconnect: [event: DisconnectEvent<D, State>];
  /** An upgrade was refused (bad identity, credentials, certificate, subprotocol, timeout, peer gone). */
  handshakeRejected: [event: HandshakeRejectedEvent];
  /** An accepted upgrade (101) whose `state` factory threw; that connection was closed with 1011. */
  connectionFailed: [event: ConnectionFailedEvent];
  /**
   * A charge point did not read our output (over `maxBufferedBytes`): we stopped reading from it
   * until it does; after `drainTimeoutMs` it is closed with 1008.
   */
  stalled: [event: StalledEvent<D, State>];
}

const defaults = {
  path: '/',
  duplicateIdentity: 'replace',
  handshakeTimeoutMs: 10_000,
  maxPendingHandshakes: 1000,
  maxPayloadBytes: 1024 * 1024,
  maxBadMessages: 10,
  pingIntervalMs: 60_000,
} as const;

/** An OCPP-J server: `createServer(options)`, then `listen()` or attach to your own server. */
export class OcppServer<D extends AnyProtocol, State = undefined> extends EventEmitter<
  OcppServerEvents<D, State>
> {
  /** Handlers for the CALLs charge points send; shared by all connections. */
  readonly router: Router<D, 'CentralSystem', State>;
  readonly securityProfile: SecurityProfile;
  readonly #options: ServerOptions<D, State>;
  readonly #policy: HandshakePolicy;
  readonly #wss: WebSocketServer;
  readonly #connections = new Map<string, AcceptedConnection<D, State>>();
  /** Identities between an accepted handshake and the open socket (for `duplicateIdentity`). */
  readonly #handshaking = new Map<string, IncomingMessage>();
  readonly #accepted = new WeakMap<
    IncomingMessage,
    HandshakeAcceptance & { readonly abandoned: () => void }
  >();
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.#upgrade(request, socket, head);
  readonly #onAccept = (socket: Socket) => this.#pending.track(socket);
  readonly #onTlsError = (error: Error, socket: TLSSocket) => this.#tlsRefused(error, socket);
  readonly #pending: PendingHandshakes;
  readonly #outputLimits: OutputLimits;
  readonly #maxBadMessages: number;
  /** Shared by every connection's link (see `LinkHandlers`). */
  readonly #linkHandlers: LinkHandlers<AcceptedConnection<D, State>> = {
    text: (connection, text) => {
      const session = connection.session;
      session.receive(text);
      // The engine counts malformed frames; a peer that keeps sending them is cut off.
      if (session.badMessageCount >= this.#maxBadMessages) {
        connection.link.close(closeCodes.policyViolation, 'Too many bad messages');
      }
    },
    stall: (connection, bufferedBytes) => {
      if (this.listenerCount('stalled') > 0) this.emit('stalled', { connection, bufferedBytes });
    },
  };
  #server: HttpServer | HttpsServer | undefined;
  #ownsServer = false;
  #pingTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ServerOptions<D, State>) {
    super();
    if (!securityProfiles.includes(options.securityProfile)) {
      throw new RpcError('InvalidOptions', 'SecurityProfile must be 0, 1, 2 or 3');
    }
    const profile = options.securityProfile;
    if (usesBasicAuth(profile) && !options.authorizationKey && !options.authenticate) {
      throw new RpcError(
        'InvalidOptions',
        `Security profile ${profile} needs authorizationKey (or authenticate) to check the Basic password (A00.FR.202)`,
      );
    }
    if (profile === 3 && (options.cpoName === undefined || options.cpoName === '')) {
      throw new RpcError(
        'InvalidOptions',
        'Security profile 3 needs cpoName: client certificates must carry it in O (A00.FR.404)',
      );
    }
    checkPingInterval(options.pingIntervalMs ?? defaults.pingIntervalMs, 'pingIntervalMs');
    this.#outputLimits = resolveOutputLimits(options);
    this.#maxBadMessages = options.maxBadMessages ?? defaults.maxBadMessages;
    const maxPending = options.maxPendingHandshakes ?? defaults.maxPendingHandshakes;
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw new RpcError(
        'InvalidOptions',
        `maxPendingHandshakes must be an integer >= 1, got ${maxPending}`,
      );
    }
    this.#pending = new PendingHandshakes(
      options.handshakeTimeoutMs ?? defaults.handshakeTimeoutMs,
      maxPending,
      (remoteAddress, why) => this.#droppedBeforeUpgrade(remoteAddress, why),
    );
    this.#options = options;
    this.securityProfile = profile;
    this.router = createRouter<D, 'CentralSystem', State>(options.protocol, 'CentralSystem');
    // Surface bad engine options (InvalidOptions) here, not on every connection; this also
    // builds the per-action tables every connection's session then shares.
    checkSessionOptions({ ...options.session, protocol: options.protocol, side: 'CentralSystem' });
    this.#policy = {
      securityProfile: profile,
      basePath: options.path ?? defaults.path,
      maxIdentityLength: options.maxIdentityLength ?? defaultMaxIdentityLength,
      authorizationKey: options.authorizationKey,
      cpoName: options.cpoName,
      matchCommonName: options.matchCommonName ?? ((cn, identity) => cn === identity),
      authenticate: options.authenticate,
    };
    const subprotocol = options.protocol.subprotocol;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes ?? defaults.maxPayloadBytes,
      // OCPP-J §3.2: without an agreed subprotocol the response carries no header; we then close.
      handleProtocols: (offered) => (offered.has(subprotocol) ? subprotocol : false),
      verifyClient: (info, done) => {
        this.#verify(info.req).then(
          (rejection) =>
            rejection === undefined
              ? done(true)
              : done(false, rejection.status, rejection.reason, rejectionHeaders(rejection)),
          () => done(false, 503),
        );
      },
    });
    if (options.server !== undefined) this.#adopt(options.server, false);
  }

  /** Connected charge points by identity. */
  get connections(): ReadonlyMap<string, ServerConnection<D, State>> {
    return this.#connections;
  }

  /** The underlying HTTP(S) server, once attached or listening. */
  get httpServer(): HttpServer | HttpsServer | undefined {
    return this.#server;
  }

  /** Creates an HTTP(S) server for the profile (unless one was given) and listens. */
  async listen(options: { host?: string; port?: number } = {}): Promise<AddressInfo> {
    if (this.#closed) throw new RpcError('Closed', 'The server was closed; create a new one');
    const server = this.#server ?? this.#createOwnServer();
    if (!server.listening) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
    return server.address() as AddressInfo;
  }

  /**
   * Closes every connection (1001 Going Away), stops pinging and detaches from (or closes) the
   * HTTP server. Resolves when all sockets are gone.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pingTimer);
    const server = this.#server;
    server?.off('upgrade', this.#onUpgrade);
    server?.off('connection', this.#onAccept);
    server?.off('tlsClientError', this.#onTlsError);
    this.#pending.clear();
    const closing = [...this.#connections.values()].map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.link.socket.readyState === 3) resolve();
          else connection.link.socket.once('close', () => resolve());
          connection.close(closeCodes.goingAway, 'Server shutting down');
          setTimeout(() => connection.terminate(), 2_000).unref();
        }),
    );
    await Promise.all(closing);
    if (this.#ownsServer && server?.listening) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  #createOwnServer(): HttpServer | HttpsServer {
    const profile = this.securityProfile;
    const timeout = this.#options.handshakeTimeoutMs ?? defaults.handshakeTimeoutMs;
    let server: HttpServer | HttpsServer;
    if (usesTls(profile)) {
      const tls = serverTlsOptions(profile, this.#options.tls);
      if (tls instanceof TlsConfigurationProblem)
        throw new RpcError('TlsConfiguration', tls.message);
      const missing = missingSuiteCertificates(this.#options.tls);
      if (missing !== undefined) {
        // A misconfiguration, not a failure: some charge points may still connect, so warn.
        process.emitWarning(`security profile ${profile}: ${missing}`, {
          type: 'OcppKitWarning',
          code: 'OCPPKIT_TLS_SUITES',
        });
      }
      server = createHttpsServer({ ...tls, handshakeTimeout: timeout });
    } else {
      if (this.#options.tls !== undefined) {
        throw new RpcError(
          'SecurityProfileMismatch',
          `Security profile ${profile} runs without TLS; remove the tls option or use profile 2/3 (A00.FR.001)`,
        );
      }
      server = createHttpServer();
    }
    server.headersTimeout = timeout;
    server.requestTimeout = timeout;
    // Plain HTTP requests get 426: this endpoint only speaks WebSocket.
    server.on('request', (_request, response) => {
      response.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
    });
    this.#adopt(server, true);
    return server;
  }

  #adopt(server: HttpServer | HttpsServer, own: boolean): void {
    const wanted = usesTls(this.securityProfile);
    if (server instanceof TlsServer !== wanted) {
      throw new RpcError(
        'SecurityProfileMismatch',
        `Security profile ${this.securityProfile} needs a node:${wanted ? 'https' : 'http'} server (A00.FR.001)`,
      );
    }
    this.#server = server;
    this.#ownsServer = own;
    server.on('upgrade', this.#onUpgrade);
    // Our own server's every socket is meant for us: its deadline starts at TCP accept.
    if (own) server.on('connection', this.#onAccept);
    if (wanted) server.on('tlsClientError', this.#onTlsError);
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    // A server we do not own: the deadline and the cap apply from the upgrade request.
    if (!this.#ownsServer) this.#pending.track(request.socket);
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(request, socket, head, (ws, req) => this.#connected(ws, req));
  }

  async #verify(request: IncomingMessage): Promise<HandshakeRejection | undefined> {
    const timeoutMs = this.#pending.hold(request.socket);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HandshakeRejection>((resolve) => {
      timer = setTimeout(() => resolve({ status: 503, reason: 'Handshake timed out' }), timeoutMs);
    });
    const verdict = await Promise.race([decideHandshake(request, this.#policy), timeout]);
    clearTimeout(timer);
    if ('status' in verdict) return this.#rejected(request, verdict);
    if (
      (this.#options.duplicateIdentity ?? defaults.duplicateIdentity) === 'reject' &&
      (this.#connections.has(verdict.identity) || this.#handshaking.has(verdict.identity))
    ) {
      return this.#rejected(request, { status: 409, reason: 'This identity is already connected' });
    }
    // The peer left while we were deciding: its 'close' has fired already, so registering it
    // would keep the identity "handshaking" forever (and refuse it under 'reject').
    if (request.socket.destroyed) {
      return this.#rejected(request, { status: 400, reason: 'The peer left during the handshake' });
    }
    this.#handshaking.set(verdict.identity, request);
    // ws drops the socket silently if the peer leaves before the upgrade completes.
    const abandoned = () => this.#settleHandshake(verdict.identity, request);
    request.socket.once('close', abandoned);
    this.#accepted.set(request, { ...verdict, abandoned });
    return undefined;
  }

  #droppedBeforeUpgrade(remoteAddress: string | undefined, why: PendingRefusal): void {
    if (this.listenerCount('handshakeRejected') === 0) return;
    this.emit('handshakeRejected', {
      stage: 'connection',
      reason:
        why === 'timeout'
          ? `No completed upgrade within ${this.#options.handshakeTimeoutMs ?? defaults.handshakeTimeoutMs} ms (handshakeTimeoutMs)`
          : 'Too many connections still in their handshake (maxPendingHandshakes)',
      remoteAddress,
    });
  }

  #tlsRefused(error: Error, socket: TLSSocket): void {
    if (this.listenerCount('handshakeRejected') === 0) return;
    // A certificate that failed verification: Node destroys the socket with only "socket hang
    // up" as the error, the verdict is in authorizationError.
    const verifyError = socket.authorizationError;
    const refusedCertificate = typeof verifyError === 'string' ? verifyError : undefined;
    const tlsError = refusedCertificate ?? tlsErrorCode(error);
    // A profile 3 client without a certificate, or with one that does not chain to tls.ca.
    const certificateProblem =
      this.securityProfile === 3 &&
      (refusedCertificate !== undefined || /CERT/.test(tlsError ?? ''));
    this.emit('handshakeRejected', {
      stage: 'tls',
      reason:
        refusedCertificate === undefined
          ? error.message
          : `Client certificate refused: ${refusedCertificate} (A00.FR.407)`,
      tlsError,
      securityEvent: certificateProblem ? 'InvalidChargePointCertificate' : undefined,
      remoteAddress: remoteAddressOf(socket),
    });
  }

  #settleHandshake(identity: string, request: IncomingMessage): void {
    if (this.#handshaking.get(identity) === request) this.#handshaking.delete(identity);
  }

  #rejected(request: IncomingMessage, rejection: HandshakeRejection): HandshakeRejection {
    if (this.listenerCount('handshakeRejected') > 0) {
      this.emit('handshakeRejected', {
        ...rejection,
        stage: 'http',
        url: request.url,
        remoteAddress: request.socket.remoteAddress,
      });
    }
    return rejection;
  }

  #connected(ws: WebSocket, request: IncomingMessage): void {
    const accepted = this.#accepted.get(request);
    // ws only calls back after verifyClient accepted, so `accepted` is always set here.
    if (accepted === undefined) {
      ws.terminate();
      return;
    }
    request.socket.off('close', accepted.abandoned);
    this.#settleHandshake(accepted.identity, request);
    this.#pending.done(request.socket);
    if (ws.protocol !== this.#options.protocol.subprotocol || this.#closed) {
      ws.on('error', ignore);
      // OCPP-J §3.2: no agreed subprotocol -> handshake completed without one, then closed.
      this.#rejected(request, {
        status: 400,
        reason: `Subprotocol ${this.#options.protocol.subprotocol} not offered`,
      });
      ws.close(
        closeCodes.protocolError,
        `Subprotocol ${this.#options.protocol.subprotocol} required`,
      );
      return;
    }
    const info: ConnectionInfo = {
      identity: accepted.identity,
      securityProfile: this.securityProfile,
      certificate: accepted.certificate,
      remoteAddress: request.socket.remoteAddress,
    };
    let state: State;
    try {
      state = this.#options.state?.(info) as State;
    } catch (error) {
      // A throwing `state` factory must not take the process down from inside ws's upgrade
      // callback. The peer already has its 101, so this is no handshake refusal: close just
      // this connection with 1011 and keep serving.
      ws.on('error', ignore);
      ws.close(closeCodes.internalError, 'Internal error');
      if (this.listenerCount('connectionFailed') > 0) {
        this.emit('connectionFailed', {
          identity: info.identity,
          remoteAddress: info.remoteAddress,
          error,
          closeCode: closeCodes.internalError,
        });
      }
      return;
    }
    const connection = new AcceptedConnection<D, State>({
      socket: ws,
      limits: this.#outputLimits,
      handlers: this.#linkHandlers,
      session: {
        ...this.#options.session,
        protocol: this.#options.protocol,
        side: 'CentralSystem',
        identity: info.identity,
        router: this.router,
        state,
      } as RpcSessionOptions<D, 'CentralSystem', State>,
      ...info,
      events: this as unknown as EventSink,
    });
    const previous = this.#connections.get(info.identity);
    this.#connections.set(info.identity, connection);
    if (previous !== undefined) {
      previous.close(closeCodes.replaced, 'Replaced by a new connection with the same identity');
    }
    this.#wire(connection);
    connection.session.attach(connection.link);
    this.#startPinging();
    this.emit('client', { connection });
  }

  #wire(connection: AcceptedConnection<D, State>): void {
    const { session, link } = connection;
    const socket = link.socket;
    // `on`, not `once`: ws emits close once, and `once` would keep a wrapper per connection.
    socket.on('close', (code, reason) => {
      const info = link.closed(code, reason.toString());
      session.detach(connectionLost(info.code, info.reason));
      session.close();
      if (this.#connections.get(connection.identity) === connection) {
        this.#connections.delete(connection.identity);
      }
      if (this.#connections.size === 0) this.#stopPinging();
      this.emit('disconnect', { connection, ...info });
    });
  }

  #startPinging(): void {
    const interval = this.#options.pingIntervalMs ?? defaults.pingIntervalMs;
    if (interval === 0 || this.#pingTimer !== undefined) return;
    this.#pingTimer = setInterval(() => {
      for (const connection of this.#connections.values()) connection.link.pingOrTerminate();
    }, interval);
    this.#pingTimer.unref();
  }

  #stopPinging(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }
}

const ignore = () => {};

/**
 * RFC 7235 §3.1: a 401 "MUST" carry a `WWW-Authenticate` challenge, whatever the profile (an
 * `authenticate` hook may answer 401 on profile 0 or 3 too); OCPP-J authenticates with Basic.
 */
function rejectionHeaders(rejection: HandshakeRejection): Record<string, string> | undefined {
  if (rejection.status !== 401) return undefined;
  return { 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' };
}

/** Creates an OCPP-J server; see `ServerOptions`. */
export function createServer<D extends AnyProtocol, State = undefined>(
  options: ServerOptions<D, State>,
): OcppServer<D, State> {
  return new OcppServer<D, State>(options);
}
