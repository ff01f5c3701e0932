// One accepted charge point connection on the server: the ws socket bound to its RpcSession.
import type { DetailedPeerCertificate } from 'node:tls';
import type { WebSocket } from 'ws';
import type { RpcSession } from '../engine/session.js';
import type {
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  FrameSink,
  SendableAction,
} from '../engine/types.js';
import { RpcError } from '../errors.js';
import type { Watched } from './keepalive.js';
import type { SecurityProfile } from './security-profile.js';

/** RFC 6455 §7.4.1 close codes used by the transport. */
export const closeCodes = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  policyViolation: 1008,
  /** The server could not set up or serve the connection (RFC 6455 §7.4.1). */
  internalError: 1011,
  /** Application code: a newer connection with the same identity took over. */
  replaced: 4001,
} as const;

/**
 * A connected charge point as the Central System sees it. `call` sends a typed CALL; the
 * session's queue, timeouts and validation apply.
 */
export class ServerConnection<D extends AnyProtocol, State = undefined>
  implements FrameSink, Watched
{
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  /** Profile 3: the charge point's verified certificate. */
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  readonly session: RpcSession<D, 'CentralSystem', State>;
  readonly socket: WebSocket;
  alive = true;

  constructor(
    socket: WebSocket,
    session: RpcSession<D, 'CentralSystem', State>,
    identity: string,
    securityProfile: SecurityProfile,
    certificate: DetailedPeerCertificate | undefined,
    remoteAddress: string | undefined,
  ) {
    this.socket = socket;
    this.session = session;
    this.identity = identity;
    this.securityProfile = securityProfile;
    this.certificate = certificate;
    this.remoteAddress = remoteAddress;
  }

  /** Sends a CALL to the charge point; see `RpcSession.call`. */
  call<A extends SendableAction<D, 'CentralSystem'>>(
    action: A,
    payload: CallRequest<D, 'CentralSystem', A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, 'CentralSystem', A>> {
    return this.session.call(action, payload, options);
  }

  /** FrameSink: one text frame to the peer (dropped once the socket is closing). */
  send(text: string): void {
    if (this.socket.readyState === 1) this.socket.send(text);
  }

  /** Closes the WebSocket with a close frame; `close` on the server fires when it is done. */
  close(code: number = closeCodes.normal, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.socket.terminate();
  }
}

/** The error pending and in-flight calls see when the socket goes away. */
export function connectionLost(code: number, reason: string): RpcError {
  return new RpcError(
    'ConnectionLost',
    `The WebSocket closed (code ${code}${reason === '' ? '' : `, ${reason}`}) before the call completed`,
    { details: { code, reason } },
  );
}
