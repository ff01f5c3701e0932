// WebSocket close codes the transport sends, and the error a lost connection gives pending calls.
import { RpcError } from '../errors.js';

/** RFC 6455 §7.4.1 close codes used by the transport. */
export const closeCodes = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  /** No close frame was exchanged (RFC 6455 §7.1.5), e.g. a peer dropped for not answering pings. */
  abnormal: 1006,
  invalidPayload: 1007,
  /** Too many bad frames, or a peer that does not read what we send. */
  policyViolation: 1008,
  messageTooBig: 1009,
  /** The server could not set up or serve the connection (RFC 6455 §7.4.1). */
  internalError: 1011,
  /** Application code: a newer connection with the same identity took over. */
  replaced: 4001,
} as const;

/** The error pending and in-flight calls see when the socket goes away. */
export function connectionLost(code: number, reason: string): RpcError {
  return new RpcError(
    'ConnectionLost',
    `The WebSocket closed (code ${code}${reason === '' ? '' : `, ${reason}`}) before the call completed`,
    { details: { code, reason } },
  );
}
