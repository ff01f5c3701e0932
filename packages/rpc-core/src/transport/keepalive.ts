// WebSocketPingInterval checks; the ping cycle itself is `SocketLink.pingOrTerminate`.
import { RpcError } from '../errors.js';

/** Validates a WebSocketPingInterval in milliseconds (0 disables pings). */
export function checkPingInterval(ms: number, option: string): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RpcError(
      'InvalidOptions',
      `${option} must be a finite number of milliseconds >= 0 (0 disables)`,
    );
  }
  return ms;
}
