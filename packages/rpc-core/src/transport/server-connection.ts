// A connected charge point as the Central System's API shows it; `accepted-connection.ts` is
// the server's implementation (it owns the ws socket, which never appears in this type).
import type { DetailedPeerCertificate } from 'node:tls';
import type {
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  CheckSendable,
} from '../engine/types.js';
import type { SecurityProfile } from './security-profile.js';

/**
 * A connected charge point as the Central System sees it (`client` event, `server.connections`).
 * `call` sends a typed CALL; the session's queue, timeouts and validation apply.
 */
export interface ServerConnection<D extends AnyProtocol, State = undefined> {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  /** Profile 3: the charge point's verified certificate. */
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  /** What the server's `state` factory made for this connection; handlers see it as `context.state`. */
  readonly state: State;
  /** True while we do not read from this charge point because it has not read our output. */
  readonly stalled: boolean;
  /** Our CALLs written and awaiting their answer (0 or 1, OCPP-J §4.1.1) plus those queued. */
  readonly pendingCalls: number;
  /** Sends a CALL to the charge point; see `RpcSession.call`. */
  call<A extends string>(
    action: CheckSendable<D, 'CentralSystem', A>,
    payload: CallRequest<D, 'CentralSystem', A>,
    options?: CallOptions,
  ): Promise<CallResponse<D, 'CentralSystem', A>>;
  /** Closes the WebSocket with a close frame; `disconnect` on the server fires when it is done. */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close handshake (`disconnect` reports 1006). */
  terminate(): void;
}
