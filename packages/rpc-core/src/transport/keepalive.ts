// WebSocket ping with dead-peer detection (OCPP-J 1.6 §5.3, errata §3.11: "a WebSocket ping
// should detect [a half open connection] and cause a WebSocket to be closed").
import { RpcError } from '../errors.js';
import { closeCodes } from './close-codes.js';

/** One peer under watch: `alive` is set by a pong (see `SocketLink`). */
export interface Watched {
  alive: boolean;
  ping(): void;
  terminate(code: number, reason: string): void;
}

/**
 * One sweep of the ping cycle: a peer that has not answered the previous sweep's ping is
 * terminated, the others are pinged. Returns whether the peer is still up.
 */
export function pingOrTerminate(peer: Watched): boolean {
  if (!peer.alive) {
    peer.terminate(closeCodes.abnormal, 'No pong within the ping interval');
    return false;
  }
  peer.alive = false;
  peer.ping();
  return true;
}

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
