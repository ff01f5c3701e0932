// What a connection may leave unread, and how it ended: plain data shared by the client, the
// server and their SocketLink, kept apart from ws so the public declarations never import it.
import { RpcError } from '../errors.js';

/** Output bounds of one connection (see the README's "Limits"). */
export interface OutputLimits {
  /** Unread output (bytes ws and the kernel still hold) above which we stop reading the peer. */
  readonly maxBufferedBytes: number;
  /** A peer whose output stays stalled this long is dropped with 1008; 0 never drops. */
  readonly drainTimeoutMs: number;
}

export const defaultOutputLimits: OutputLimits = {
  maxBufferedBytes: 1024 * 1024,
  drainTimeoutMs: 30_000,
};

/** How a connection ended, as this side saw it. */
export interface CloseInfo {
  /** The code we sent when we closed first (also when no close frame got through), else the peer's. */
  readonly code: number;
  readonly reason: string;
  readonly closedBy: 'local' | 'peer';
}

/** Validates the `OutputLimits` of server or client options (absent = default); `InvalidOptions` names the option. */
export function resolveOutputLimits(options: {
  readonly maxBufferedBytes?: number | undefined;
  readonly drainTimeoutMs?: number | undefined;
}): OutputLimits {
  const limits = {
    maxBufferedBytes: options.maxBufferedBytes ?? defaultOutputLimits.maxBufferedBytes,
    drainTimeoutMs: options.drainTimeoutMs ?? defaultOutputLimits.drainTimeoutMs,
  };
  for (const [name, value, min] of [
    ['maxBufferedBytes', limits.maxBufferedBytes, 1],
    ['drainTimeoutMs', limits.drainTimeoutMs, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min || value > 2_147_483_647) {
      throw new RpcError(
        'InvalidOptions',
        `${name} must be an integer from ${min} to 2147483647, got ${value}`,
      );
    }
  }
  return limits;
}
