// One accepted charge point connection on the server: the ws socket bound to its RpcSession.
import type { DetailedPeerCertificate } from 'node:tls';
import type { WebSocket } from 'ws';
import type { RpcSession } from '../engine/session.js';
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
import { type LinkHandlers, SocketLink } from './socket-link.js';

/**
 * A connected charge point as the Central System sees it. `call` sends a typed CALL; the
 * session's queue, timeouts and validation apply.
 */
export class ServerConnection<D extends AnyProtocol, State = undefined> {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  /** Profile 3: the charge point's verified certificate. */
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  readonly session: RpcSession<D, 'CentralSystem', State>;
  /** @internal The socket's flow control and close bookkeeping. */
  readonly link: SocketLink<ServerConnection<D, State>>;

  /** @internal Made by the server for an accepted upgrade. */
  constructor(
    socket: WebSocket,
    limits: OutputLimits,
    handlers: LinkHandlers<ServerConnection<D, State>>,
    session: RpcSession<D, 'CentralSystem', State>,
    identity: string,
    securityProfile: SecurityProfile,
    certificate: DetailedPeerCertificate | undefined,
    remoteAddress: string | undefined,
  ) {
    this.link = new SocketLink<ServerConnection<D, State>>(socket, limits, handlers, this);
    this.session = session;
    this.identity = identity;
    this.securityProfile = securityProfile;
    this.certificate = certificate;
    this.remoteAddress = remoteAddress;
  }

  /** @internal The ws socket (tests read its state). */
  get socket(): WebSocket {
    return this.link.socket;
  }

  /** True while we do not read from this charge point because it has not read our output. */
  get stalled(): boolean {
    return this.link.stalled;
  }

  /** Sends a CALL to the charge point; see `RpcSession.call`. */
  call<A extends string>(
    action: CheckSendable<D, 'CentralSystem', A>,
    payload: CallRequest<D, 'CentralSystem', A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, 'CentralSystem', A>> {
    return this.session.call(action, payload, options);
  }

  /** Closes the WebSocket with a close frame; `disconnect` on the server fires when it is done. */
  close(code: number = closeCodes.normal, reason = ''): void {
    this.link.close(code, reason);
  }

  /** Drops the TCP connection without a close handshake (`disconnect` reports 1006). */
  terminate(): void {
    this.link.terminate();
  }
}
