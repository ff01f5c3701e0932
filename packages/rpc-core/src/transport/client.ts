// The Charge Point side: a WebSocket client (OCPP-J 1.6 §3.1) with security profiles 0-3,
// reconnect with backoff, and ping-based dead-peer detection.
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import {
  authorizationKeyLength,
  encodeBasicAuthorization,
} from '@ocpp-kit/security/authorization-key';
import { WebSocket, type ClientOptions as WsClientOptions } from 'ws';
import type { RpcSessionEventName, RpcSessionEvents } from '../engine/events.js';
import { createRouter, type Router } from '../engine/router.js';
import { RpcSession, type RpcSessionOptions } from '../engine/session.js';
import type {
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  CheckSendable,
  FrameSink,
} from '../engine/types.js';
import { notSent, RpcError } from '../errors.js';
import {
  type BackoffOptions,
  backoffDelay,
  type ResolvedBackoff,
  replacedDelay,
  resolveBackoff,
} from './backoff.js';
import { closeCodes, connectionLost } from './close-codes.js';
import { connectionUrl } from './identity.js';
import { checkPingInterval } from './keepalive.js';
import { type CloseInfo, type OutputLimits, resolveOutputLimits } from './output-limits.js';
import {
  type ClientTlsOptions,
  clientTlsOptions,
  type SecurityProfile,
  securityProfiles,
  TlsConfigurationProblem,
  usesBasicAuth,
  usesTls,
} from './security-profile.js';
import { type LinkHandlers, SocketLink } from './socket-link.js';
import {
  classifyTlsFailure,
  type HandshakeFailureDetails,
  type TlsVersionRange,
  tlsErrorCode,
} from './tls-security-event.js';

/** Engine options of the client's session. */
export type ClientSessionOptions<D extends AnyProtocol, State> = Omit<
  RpcSessionOptions<D, 'ChargePoint', State>,
  'protocol' | 'side' | 'identity' | 'router' | 'state'
>;

export interface ClientOptions<D extends AnyProtocol, State = undefined> {
  /** The generated protocol descriptor (e.g. `ocpp16`); its `subprotocol` is required. */
  readonly protocol: D;
  /** The OCPP-J endpoint URL (`ws://` for profiles 0/1, `wss://` for 2/3); identity is appended. */
  readonly url: string | URL;
  /** The charge point identity (OCPP-J §3.1.1), percent-encoded into the URL. */
  readonly identity: string;
  /** Whitepaper §2.1. The client never connects with a lower profile (A00.FR.001/002). */
  readonly securityProfile: SecurityProfile;
  /** Profiles 1/2: the AuthorizationKey bytes (16-20, A00.FR.205), sent as the Basic password. */
  readonly authorizationKey?: Uint8Array;
  /** Profiles 2/3: trusted roots (`ca`), and for 3 the charge point `cert` and `key`. */
  readonly tls?: ClientTlsOptions;
  /** Reconnect after an established connection drops; `false` disables. Defaults: see `BackoffOptions`. */
  readonly reconnect?: BackoffOptions | false;
  /** WebSocketPingInterval in ms; no pong or frame within one interval drops the connection. 0 disables. Default 60000. */
  readonly pingIntervalMs?: number;
  /** Time for TCP + TLS + HTTP upgrade. Default 10000 ms. */
  readonly handshakeTimeoutMs?: number;
  /** Largest accepted WebSocket message in bytes. Default 1 MiB. */
  readonly maxPayloadBytes?: number;
  /**
   * Unread output (bytes ws and the kernel hold) above which the client stops reading the Central
   * System until it catches up (`stalled` event). Default 1 MiB.
   */
  readonly maxBufferedBytes?: OutputLimits['maxBufferedBytes'];
  /** A connection stalled this long is closed with 1008 (then reconnects). 0 never closes. Default 30000 ms. */
  readonly drainTimeoutMs?: OutputLimits['drainTimeoutMs'];
  /** User data for handlers (`context.state`, `client.state`); it lives across reconnects. */
  readonly state?: State;
  /** Engine options (timeouts, queue, validation, ...). */
  readonly session?: ClientSessionOptions<D, State>;
  /**
   * Handlers for the Central System's CALLs; default a new, empty router (`client.router`). Pass
   * one router to several clients in turn, e.g. one rebuilt with a new AuthorizationKey.
   */
  readonly router?: Router<D, 'ChargePoint', State>;
}

/** Where the connection is: `client.status`. */
export type ClientStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The WebSocket is open and the session attached. */
export interface OpenEvent {
  /** This connection follows a dropped one (the session and its queue carried over). */
  readonly reconnect: boolean;
}

/** A (re)connect attempt failed; `handshakeSecurityEvent(error)` names a TLS security event. */
export interface ConnectFailedEvent {
  readonly error: RpcError;
  /** The attempt was a reconnect (not `connect()`, which also rejects with `error`). */
  readonly reconnect: boolean;
}

/** A reconnect attempt is scheduled. */
export interface ReconnectingEvent {
  readonly attempt: number;
  readonly delayMs: number;
  /** After a close with 4001 (replaced by another connection with our identity). */
  readonly replaced: boolean;
}

/** How the connection ended (the code we sent when we closed first) and what happens next. */
export interface ClientCloseEvent extends CloseInfo {
  /** A reconnect is scheduled. */
  readonly reconnecting: boolean;
}

/** Why the client stopped reconnecting for good. */
export interface GaveUpEvent {
  /** Reconnect attempts made in a row (`reconnect.maxAttempts`). */
  readonly attempts: number;
  /** What the last attempt failed with. */
  readonly error: RpcError | undefined;
}

/** Every session event (`badMessage`, `frameIn`, `callFailed`, ...), re-emitted by the client. */
export type ClientSessionEvents = {
  [E in RpcSessionEventName]: [event: RpcSessionEvents[E]];
};

/** Every listener takes one event object, as on `OcppServer` and `RpcSession`. */
export interface OcppClientEvents extends ClientSessionEvents {
  open: [event: OpenEvent];
  /** The WebSocket closed. */
  close: [event: ClientCloseEvent];
  reconnecting: [event: ReconnectingEvent];
  connectFailed: [event: ConnectFailedEvent];
  /**
   * Terminal: `reconnect.maxAttempts` attempts failed. Queued calls rejected with `GaveUp`, and
   * new ones do until `connect()` is called again.
   */
  gaveUp: [event: GaveUpEvent];
  /** The Central System did not read our output (over `maxBufferedBytes`); we stopped reading it. */
  stalled: [event: { readonly bufferedBytes: number }];
}

const defaults = {
  pingIntervalMs: 60_000,
  handshakeTimeoutMs: 10_000,
  maxPayloadBytes: 1024 * 1024,
};

/** An OCPP-J client: `createClient(options)`, `await client.connect()`, `client.call(...)`. */
export class OcppClient<
  D extends AnyProtocol,
  State = undefined,
> extends EventEmitter<OcppClientEvents> {
  /** Handlers for the CALLs the Central System sends. */
  readonly router: Router<D, 'ChargePoint', State>;
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly #options: ClientOptions<D, State>;
  readonly #url: URL;
  /**
   * What every connection attempt passes to `ws`; its resolved `minVersion` / `maxVersion` are the
   * TLS versions this client enables, which decide whether a version failure is an event.
   */
  readonly #wsOptions: WsClientOptions;
  readonly #backoff: ResolvedBackoff | undefined;
  readonly #outputLimits: OutputLimits;
  #socket: WebSocket | undefined;
  #link: SocketLink<undefined> | undefined;
  readonly #linkHandlers: LinkHandlers<undefined> = {
    text: (_, text) => this.#session.receive(text),
    stall: (_, bufferedBytes) => {
      if (this.listenerCount('stalled') > 0) this.emit('stalled', { bufferedBytes });
    },
  };
  /** The RPC session; it lives across reconnects (queued calls survive, see README). */
  readonly #session: RpcSession<D, 'ChargePoint', State>;
  #status: ClientStatus = 'idle';
  #attempt = 0;
  /** Closes with 4001 in a row; ended by any other close. */
  #replacements = 0;
  #lastError: RpcError | undefined;
  #gaveUp: RpcError | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #pingIntervalMs: number;
  /** What the session writes to: the current socket, whichever reconnect it is. */
  readonly #sink: FrameSink = {
    send: (text) => this.#link?.send(text),
    close: (code, reason) => this.#link?.close(code, reason),
  };

  constructor(options: ClientOptions<D, State>) {
    super();
    const profile = options.securityProfile;
    if (!securityProfiles.includes(profile)) {
      throw new RpcError('InvalidOptions', 'SecurityProfile must be 0, 1, 2 or 3');
    }
    this.#options = options;
    this.identity = options.identity;
    this.securityProfile = profile;
    this.#url = connectionUrl(options.url, options.identity);
    const scheme = usesTls(profile) ? 'wss:' : 'ws:';
    if (this.#url.protocol !== scheme) {
      // A00.FR.001: one profile at a time; never fall back to a weaker transport.
      throw new RpcError(
        'SecurityProfileMismatch',
        `Security profile ${profile} connects with ${scheme}//, not ${this.#url.protocol}//`,
      );
    }
    const headers: Record<string, string> = {};
    if (usesBasicAuth(profile)) {
      const key = options.authorizationKey;
      if (
        key === undefined ||
        key.length < authorizationKeyLength.min ||
        key.length > authorizationKeyLength.max
      ) {
        throw new RpcError(
          'InvalidOptions',
          `Security profile ${profile} needs authorizationKey: ${authorizationKeyLength.min}-${authorizationKeyLength.max} bytes (A00.FR.205)`,
        );
      }
      // Built from bytes: ws's `auth` option would mangle a binary password.
      headers.Authorization = encodeBasicAuthorization(options.identity, key);
    }
    // All resolved TLS options go to ws; typed by the versions only (ws and node:tls type
    // checkServerIdentity differently), which `#wsOptions` keeps for classifying failures.
    let tls: Pick<ConnectionOptions, 'minVersion' | 'maxVersion'> = {};
    if (usesTls(profile)) {
      const resolved = clientTlsOptions(profile, options.tls);
      if (resolved instanceof TlsConfigurationProblem) {
        throw new RpcError('TlsConfiguration', resolved.message);
      }
      tls = resolved;
    } else if (options.tls !== undefined) {
      throw new RpcError(
        'SecurityProfileMismatch',
        `Security profile ${profile} runs without TLS; remove the tls option or use profile 2/3`,
      );
    }
    this.#pingIntervalMs = checkPingInterval(
      options.pingIntervalMs ?? defaults.pingIntervalMs,
      'pingIntervalMs',
    );
    this.#backoff = options.reconnect === false ? undefined : resolveBackoff(options.reconnect);
    this.#outputLimits = resolveOutputLimits(options);
    this.#wsOptions = {
      ...tls,
      headers,
      perMessageDeflate: false,
      followRedirects: false,
      handshakeTimeout: options.handshakeTimeoutMs ?? defaults.handshakeTimeoutMs,
      maxPayload: options.maxPayloadBytes ?? defaults.maxPayloadBytes,
    };
    this.router =
      options.router ?? createRouter<D, 'ChargePoint', State>(options.protocol, 'ChargePoint');
    this.#session = new RpcSession<D, 'ChargePoint', State>({
      ...options.session,
      protocol: options.protocol,
      side: 'ChargePoint',
      identity: options.identity,
      router: this.router,
      state: options.state,
      eventTap: {
        listening: (event) => this.listenerCount(event) > 0,
        // The session's event payloads are exactly the client's (`ClientSessionEvents`).
        emit: (event, payload) => (this as EventEmitter).emit(event, payload),
      },
    } as RpcSessionOptions<D, 'ChargePoint', State>);
  }

  /** Where the connection is: idle, connecting, open, reconnecting or closed. */
  get status(): ClientStatus {
    return this.#status;
  }

  /** The `state` option; handlers see it as `context.state`. */
  get state(): State {
    return this.#session.state;
  }

  /** CALLs written and awaiting their answer (0 or 1, OCPP-J §4.1.1) plus those queued. */
  get pendingCalls(): number {
    return this.#session.pendingCalls;
  }

  /** The connection URL: endpoint + `/` + percent-encoded identity (OCPP-J §3.1.1). */
  get url(): string {
    return this.#url.href;
  }

  /**
   * Opens the connection. Rejects with `AuthenticationFailed` (HTTP 401/403),
   * `HandshakeFailed` (other status, subprotocol not selected, TLS or network failure; the
   * cause is attached, and `details.securityEvent` names the whitepaper event a TLS failure
   * calls for, see `handshakeSecurityEvent`) — a failed first connect is not retried. Later
   * drops reconnect.
   */
  connect(): Promise<void> {
    if (this.#status === 'open') return Promise.resolve();
    if (this.#status === 'connecting' || this.#status === 'reconnecting') {
      return Promise.reject(
        new RpcError(
          'ConnectInProgress',
          'connect() is already in progress; await the first call or listen for open',
        ),
      );
    }
    this.#attempt = 0;
    this.#gaveUp = undefined;
    return this.#open(false);
  }

  /**
   * Sends a CALL; see `RpcSession.call`. Queued while reconnecting (OCPP-J §4.1.1 order kept);
   * after `gaveUp`, rejects with `GaveUp` until `connect()` is called again.
   */
  call<A extends string>(
    action: CheckSendable<D, 'ChargePoint', A>,
    payload: CallRequest<D, 'ChargePoint', A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, 'ChargePoint', A>> {
    const gaveUp = this.#gaveUp;
    if (gaveUp !== undefined && this.#status === 'idle') {
      return Promise.reject(notSent(gaveUp, action));
    }
    return this.#session.call(action, payload, options);
  }

  /** Changes WebSocketPingInterval at run time (e.g. after ChangeConfiguration); 0 disables. */
  setPingInterval(ms: number): void {
    this.#pingIntervalMs = checkPingInterval(ms, 'pingIntervalMs');
    if (this.#status === 'open') this.#startPinging();
  }

  /**
   * Closes with a close frame (default 1000), stops reconnecting and closes the session: every
   * pending call rejects with `Closed`, the outstanding one too (the Central System may have
   * processed it). Resolves when the socket is closed.
   */
  async close(code: number = closeCodes.normal, reason = ''): Promise<void> {
    this.#status = 'closed';
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#stableTimer);
    this.#stopPinging();
    this.#session.close(new RpcError('Closed', 'close() was called'));
    const socket = this.#socket;
    const link = this.#link;
    if (socket !== undefined && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else if (link !== undefined && link.socket === socket) link.close(code, reason);
        else socket.close(code, reason);
        setTimeout(() => socket.terminate(), 2_000).unref();
      });
    }
  }

  #open(reconnect: boolean): Promise<void> {
    this.#status = reconnect ? 'reconnecting' : 'connecting';
    const subprotocol = this.#options.protocol.subprotocol;
    const socket = new WebSocket(this.#url, [subprotocol], this.#wsOptions);
    this.#socket = socket;
    let status: number | undefined;
    let opened = false;
    return new Promise<void>((resolve, reject) => {
      socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        status = response.statusCode;
        response.resume();
        socket.terminate();
      });
      socket.on('error', (error) => {
        if (opened) return;
        const failure = handshakeError(error, status, subprotocol, this.#wsOptions);
        this.#lastError = failure;
        if (this.listenerCount('connectFailed') > 0) {
          this.emit('connectFailed', { error: failure, reconnect });
        }
        reject(failure);
      });
      socket.once('open', () => {
        if (this.#status === 'closed') {
          socket.close(closeCodes.normal, '');
          reject(new RpcError('Closed', 'close() was called while connecting'));
          return;
        }
        // ws already refuses a missing or foreign subprotocol; this keeps the rule local.
        if (socket.protocol !== subprotocol) {
          socket.terminate();
          return;
        }
        opened = true;
        this.#status = 'open';
        // The attempt count starts again only once this connection proved stable (errata 3.4).
        const backoff = this.#backoff;
        if (backoff !== undefined) {
          this.#stableTimer = setTimeout(() => {
            this.#attempt = 0;
          }, backoff.resetAfterMs);
          this.#stableTimer.unref();
        }
        this.#wire(socket);
        this.#session.attach(this.#sink);
        this.#startPinging();
        this.emit('open', { reconnect });
        resolve();
      });
      socket.once('close', (code, reasonBytes) => {
        if (!opened) {
          reject(
            new RpcError(
              'HandshakeFailed',
              `The connection closed during the handshake (code ${code})`,
            ),
          );
        }
        if (socket !== this.#socket) return;
        clearTimeout(this.#stableTimer);
        this.#stopPinging();
        const retry =
          this.#status !== 'closed' && this.#backoff !== undefined && (opened || reconnect);
        let replaced = false;
        if (opened) {
          const info = (this.#link as SocketLink<undefined>).closed(code, reasonBytes.toString());
          replaced = info.closedBy === 'peer' && info.code === closeCodes.replaced;
          this.#replacements = replaced ? this.#replacements + 1 : 0;
          this.#session.detach(connectionLost(info.code, info.reason));
          this.emit('close', { ...info, reconnecting: retry });
        }
        if (retry) this.#scheduleReconnect(replaced);
        else if (this.#status !== 'closed') this.#status = 'idle';
      });
    });
  }

  #wire(socket: WebSocket): void {
    this.#link = new SocketLink(socket, this.#outputLimits, this.#linkHandlers, undefined);
  }

  #scheduleReconnect(replaced: boolean): void {
    const backoff = this.#backoff as ResolvedBackoff;
    if (!replaced && this.#attempt >= backoff.maxAttempts) {
      this.#giveUp(backoff);
      return;
    }
    const delayMs = replaced
      ? replacedDelay(this.#replacements, backoff)
      : backoffDelay(this.#attempt, backoff);
    if (!replaced) this.#attempt++;
    this.#status = 'reconnecting';
    this.emit('reconnecting', { attempt: this.#attempt, delayMs, replaced });
    this.#reconnectTimer = setTimeout(() => {
      this.#open(true).catch(() => {
        // The failed attempt's 'close' schedules the next one.
      });
    }, delayMs);
  }

  #giveUp(backoff: ResolvedBackoff): void {
    this.#status = 'idle';
    const error = new RpcError(
      'GaveUp',
      `The client gave up after ${this.#attempt} reconnect attempts (reconnect.maxAttempts ${backoff.maxAttempts}); call connect() to try again`,
      { cause: this.#lastError },
    );
    this.#gaveUp = error;
    this.#session.rejectQueued(error);
    this.emit('gaveUp', { attempts: this.#attempt, error: this.#lastError });
  }

  #startPinging(): void {
    this.#stopPinging();
    const link = this.#link;
    if (this.#pingIntervalMs === 0 || link === undefined) return;
    this.#pingTimer = setInterval(() => link.pingOrTerminate(), this.#pingIntervalMs);
    this.#pingTimer.unref();
  }

  #stopPinging(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }
}

/**
 * Maps a failed opening handshake to the transport's error codes. A TLS failure that calls for
 * a security event (A00.FR.309/315/322, A00.FR.413/419/426) carries it in `details`; the
 * socket is already gone, which is the required termination.
 */
function handshakeError(
  error: Error,
  status: number | undefined,
  subprotocol: string,
  tlsVersions: TlsVersionRange,
): RpcError {
  if (status === 401 || status === 403) {
    const details: HandshakeFailureDetails = { status };
    return new RpcError(
      'AuthenticationFailed',
      `The Central System refused the credentials (HTTP ${status}); check identity, AuthorizationKey or certificate`,
      { cause: error, details },
    );
  }
  if (status !== undefined) {
    const details: HandshakeFailureDetails = { status };
    return new RpcError('HandshakeFailed', `The Central System answered HTTP ${status}`, {
      cause: error,
      details,
    });
  }
  if (/subprotocol/i.test(error.message)) {
    return new RpcError(
      'HandshakeFailed',
      `The Central System did not select subprotocol ${subprotocol} (OCPP-J §3.1.2)`,
      { cause: error },
    );
  }
  const tlsError = tlsErrorCode(error);
  const securityEvent =
    tlsError === undefined ? undefined : classifyTlsFailure(tlsError, tlsVersions);
  if (tlsError !== undefined && securityEvent !== undefined) {
    const details: HandshakeFailureDetails = { securityEvent, tlsError };
    return new RpcError(
      'HandshakeFailed',
      `Could not connect: ${error.message} (${securityEvent})`,
      {
        cause: error,
        details,
      },
    );
  }
  return new RpcError('HandshakeFailed', `Could not connect: ${error.message}`, { cause: error });
}

/** Creates an OCPP-J client; see `ClientOptions`. */
export function createClient<D extends AnyProtocol, State = undefined>(
  options: ClientOptions<D, State>,
): OcppClient<D, State> {
  return new OcppClient<D, State>(options);
}
