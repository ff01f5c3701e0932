// Sockets that have not completed their WebSocket upgrade: each gets a deadline from TCP accept
// and their number is capped, so slow or idle peers cannot hold sockets or memory.
import type { Socket } from 'node:net';

export type PendingRefusal = 'timeout' | 'tooMany';

/** The TCP socket under a request's socket: a TLS socket wraps it (`_parent`, as Node sets it). */
function rawSocketOf(socket: Socket): Socket {
  const parent = (socket as { _parent?: unknown })._parent;
  return parent !== null && typeof parent === 'object' ? (parent as Socket) : socket;
}

/** A socket's peer address, also once Node has destroyed a TLS socket over its TCP one. */
export function remoteAddressOf(socket: Socket): string | undefined {
  return socket.remoteAddress ?? rawSocketOf(socket).remoteAddress;
}

export class PendingHandshakes {
  readonly #timeoutMs: number;
  readonly #max: number;
  readonly #onRefused: (remoteAddress: string | undefined, why: PendingRefusal) => void;
  readonly #pending = new Map<
    Socket,
    { readonly deadline: number; timer: NodeJS.Timeout | undefined }
  >();

  /** One listener for every socket (`this` is the socket), removed at `done`: nothing per socket. */
  readonly #onClose: (this: Socket) => void;

  constructor(
    timeoutMs: number,
    max: number,
    onRefused: (remoteAddress: string | undefined, why: PendingRefusal) => void,
  ) {
    this.#timeoutMs = timeoutMs;
    this.#max = max;
    this.#onRefused = onRefused;
    const pending = this;
    this.#onClose = function (this: Socket) {
      pending.done(this);
    };
  }

  get size(): number {
    return this.#pending.size;
  }

  /** A socket was accepted (or an upgrade request arrived on a server we do not own). */
  track(socket: Socket): void {
    const raw = rawSocketOf(socket);
    if (this.#pending.has(raw)) return;
    if (this.#pending.size >= this.#max) {
      const address = raw.remoteAddress;
      raw.destroy();
      this.#onRefused(address, 'tooMany');
      return;
    }
    const address = raw.remoteAddress;
    const timer = setTimeout(() => {
      this.#pending.delete(raw);
      raw.destroy();
      this.#onRefused(address, 'timeout');
    }, this.#timeoutMs);
    this.#pending.set(raw, { deadline: Date.now() + this.#timeoutMs, timer });
    raw.on('close', this.#onClose);
  }

  /**
   * The request is being decided: the decision takes over the deadline (and answers 503 when it
   * passes), so the socket is no longer destroyed under it. Returns the time left.
   */
  hold(socket: Socket): number {
    const entry = this.#pending.get(rawSocketOf(socket));
    if (entry === undefined) return this.#timeoutMs;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    return Math.max(0, entry.deadline - Date.now());
  }

  /** The upgrade completed, or the socket is gone. */
  done(socket: Socket): void {
    const raw = rawSocketOf(socket);
    const entry = this.#pending.get(raw);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.#pending.delete(raw);
    raw.off('close', this.#onClose);
  }

  clear(): void {
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
    this.#pending.clear();
  }
}
