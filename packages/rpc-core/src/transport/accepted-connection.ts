// The server's side of one accepted connection: the ws socket bound to its RpcSession.
import type { DetailedPeerCertificate } from 'node:tls';
import type { WebSocket } from 'ws';
import type { RpcSessionEventName, RpcSessionEvents, SessionEventTap } from '../engine/events.js';
import type { RpcSessionOptions } from '../engine/options.js';
import { RpcSession } from '../engine/session.js';
import type {
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  CheckSendable,
} from '../engine/types.js';
import { closeCodes } from './close-codes.js';
import type { OutputLimits } from './output-limits.js';
import type { SecurityProfile } from './security-profile.js';
import type { ServerConnection } from './server-connection.js';
import { type LinkHandlers, SocketLink } from './socket-link.js';

/** What the server re-emits session events on (`OcppServer` itself). */
export interface EventSink {
  listenerCount(event: string): number;
  emit(event: string, payload: object): boolean;
}

/** What the server knows about an accepted upgrade. */
export interface AcceptedUpgrade<D extends AnyProtocol, State> {
  readonly socket: WebSocket;
  readonly limits: OutputLimits;
  readonly handlers: LinkHandlers<AcceptedConnection<D, State>>;
  /** Checked by the server's constructor, so the session constructor does not throw. */
  readonly session: RpcSessionOptions<D, 'CentralSystem', State>;
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  readonly events: EventSink;
}

/**
 * The server's side of a `ServerConnection`: it owns the session and the socket link, and is
 * its session's event tap (the server hears every session with no closure per connection).
 */
export class AcceptedConnection<D extends AnyProtocol, State>
  implements ServerConnection<D, State>, SessionEventTap
{
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  readonly session: RpcSession<D, 'CentralSystem', State>;
  readonly link: SocketLink<AcceptedConnection<D, State>>;
  readonly #events: EventSink;

  constructor(upgrade: AcceptedUpgrade<D, State>) {
    this.identity = upgrade.identity;
    this.securityProfile = upgrade.securityProfile;
    this.certificate = upgrade.certificate;
    this.remoteAddress = upgrade.remoteAddress;
    this.#events = upgrade.events;
    this.link = new SocketLink<AcceptedConnection<D, State>>(
      upgrade.socket,
      upgrade.limits,
      upgrade.handlers,
      this,
    );
    this.session = new RpcSession({ ...upgrade.session, eventTap: this });
  }

  get state(): State {
    return this.session.state;
  }

  get stalled(): boolean {
    return this.link.stalled;
  }

  get pendingCalls(): number {
    return this.session.pendingCalls;
  }

  call<A extends string>(
    action: CheckSendable<D, 'CentralSystem', A>,
    payload: CallRequest<D, 'CentralSystem', A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, 'CentralSystem', A>> {
    return this.session.call(action, payload, options);
  }

  close(code: number = closeCodes.normal, reason = ''): void {
    this.link.close(code, reason);
  }

  terminate(): void {
    this.link.terminate();
  }

  listening(event: RpcSessionEventName): boolean {
    return this.#events.listenerCount(event) > 0;
  }

  emit<E extends RpcSessionEventName>(event: E, payload: RpcSessionEvents[E]): void {
    this.#events.emit(event, { ...payload, connection: this });
  }
}
