// One ws socket as both transports drive it: bounded unread output, pong-only liveness and the
// close code this side actually sent.
import type { RawData, WebSocket } from 'ws';
import type { FrameSink } from '../engine/types.js';
import { closeCodes } from './close-codes.js';
import type { CloseInfo, OutputLimits } from './output-limits.js';

/** What ws attaches to a receiver error: the close code it then sends (1002, 1007, 1009). */
function receiverCloseCode(error: Error): number | undefined {
  for (const key of Object.getOwnPropertySymbols(error)) {
    if (key.description === 'status-code') {
      const code = (error as unknown as Record<symbol, unknown>)[key];
      return typeof code === 'number' ? code : undefined;
    }
  }
  return undefined;
}

/**
 * What a `SocketLink` hands to its owner. One handlers object serves every link of a server:
 * each call names the link's owner, so an idle connection holds no closures of its own.
 */
export interface LinkHandlers<Owner> {
  /** One text frame from the peer, in order (held back while the output is stalled). */
  readonly text: (owner: Owner, text: string) => void;
  /** Reading was paused: the peer's unread output passed `maxBufferedBytes`. */
  readonly stall: (owner: Owner, bufferedBytes: number) => void;
}

const linkOf = Symbol('SocketLink');
type Linked = WebSocket & { [linkOf]: SocketLink<unknown> };

export class SocketLink<Owner> implements FrameSink {
  // Shared ws listeners (`this` is the socket), so no closure exists per connection.
  static readonly #onMessage = function (this: WebSocket, data: RawData, isBinary: boolean): void {
    const link = (this as Linked)[linkOf];
    if (isBinary) {
      // OCPP-J uses text frames only; RFC 6455 §7.4.1 code 1003 refuses binary data.
      link.close(closeCodes.unsupportedData, 'OCPP-J accepts text frames only');
      return;
    }
    const text = data.toString();
    if (link.#unflushed === 0) link.#handlers.text(link.#owner, text);
    else if (link.#held === undefined) link.#held = [text];
    else link.#held.push(text);
  };
  static readonly #onPong = function (this: WebSocket): void {
    (this as Linked)[linkOf].#alive = true;
  };
  static readonly #onError = function (this: WebSocket, error: Error): void {
    // ws closes by itself after a bad frame; remember the code it sent with ws's reason.
    const code = receiverCloseCode(error);
    if (code !== undefined) (this as Linked)[linkOf].#sent ??= { code, reason: error.message };
  };

  readonly socket: WebSocket;
  readonly #limits: OutputLimits;
  readonly #handlers: LinkHandlers<Owner>;
  readonly #owner: Owner;
  /**
   * Frames ws had already read when we paused (at most one socket read plus one partial frame):
   * handled once the peer catches up, so a burst cannot queue replies behind the stall.
   */
  #held: string[] | undefined;
  /** Set by a pong only: a peer's own frames prove it writes, not that it reads (errata 3.11). */
  #alive = true;
  #sent: { readonly code: number; readonly reason: string } | undefined;
  /** Frames written while stalled whose flush we still wait for. */
  #unflushed = 0;
  #stallTimer: NodeJS.Timeout | undefined;
  /** The flush callback, made on the first stall: an idle connection holds no extra closure. */
  #flushed: (() => void) | undefined;

  constructor(
    socket: WebSocket,
    limits: OutputLimits,
    handlers: LinkHandlers<Owner>,
    owner: Owner,
  ) {
    this.socket = socket;
    this.#limits = limits;
    this.#handlers = handlers;
    this.#owner = owner;
    (socket as Linked)[linkOf] = this as SocketLink<unknown>;
    socket.on('message', SocketLink.#onMessage);
    socket.on('pong', SocketLink.#onPong);
    socket.on('error', SocketLink.#onError);
  }

  /** True while we do not read from the peer because it has not read our output. */
  get stalled(): boolean {
    return this.#unflushed > 0;
  }

  /** FrameSink: one text frame to the peer (dropped once the socket is closing). */
  send(text: string): void {
    const socket = this.socket;
    if (socket.readyState !== 1) return;
    if (
      this.#unflushed === 0 &&
      socket.bufferedAmount + text.length <= this.#limits.maxBufferedBytes
    ) {
      socket.send(text);
      return;
    }
    // Over the bound: stop reading (the peer's CALLs would only add replies) until it catches up.
    this.#unflushed += 1;
    this.#flushed ??= (): void => {
      this.#unflushed -= 1;
      if (this.#unflushed === 0) this.#unstall();
    };
    socket.send(text, this.#flushed);
    if (this.#unflushed === 1) this.#stall();
  }

  close(code: number = closeCodes.normal, reason = ''): void {
    this.#sent ??= { code, reason };
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection; `code` and `reason` are what `closeInfo` reports. */
  terminate(code: number = closeCodes.abnormal, reason = ''): void {
    this.#sent ??= { code, reason };
    this.socket.terminate();
  }

  /**
   * One sweep of the ping cycle (OCPP-J 1.6 §5.3, errata §3.11: a ping "should detect [a half
   * open connection]"): a peer that has not answered the previous sweep's ping is terminated,
   * else it is pinged. Returns whether the peer is still up.
   */
  pingOrTerminate(): boolean {
    if (!this.#alive) {
      this.terminate(closeCodes.abnormal, 'No pong within the ping interval');
      return false;
    }
    this.#alive = false;
    this.socket.ping();
    return true;
  }

  /**
   * The owner's `close` handler calls this once: stops the drain timer and combines ws's close
   * event with what we sent (ws reports 1006 when no close frame came back).
   */
  closed(code: number, reason: string): CloseInfo {
    clearTimeout(this.#stallTimer);
    const sent = this.#sent;
    return sent === undefined
      ? { code, reason, closedBy: 'peer' }
      : { code: sent.code, reason: sent.reason, closedBy: 'local' };
  }

  #stall(): void {
    this.socket.pause();
    this.#handlers.stall(this.#owner, this.socket.bufferedAmount);
    const { drainTimeoutMs } = this.#limits;
    if (drainTimeoutMs === 0) return;
    this.#stallTimer = setTimeout(() => {
      // The close frame queues behind the unread output, so the socket is dropped at once.
      const reason = `Peer did not read its messages within ${drainTimeoutMs} ms`;
      this.#sent ??= { code: closeCodes.policyViolation, reason };
      this.socket.close(closeCodes.policyViolation, reason);
      this.socket.terminate();
    }, drainTimeoutMs);
  }

  #unstall(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
    if (this.socket.readyState !== 1) return;
    // Held frames first, in order; one of them may stall the output again.
    const held = this.#held;
    while (held !== undefined && held.length > 0 && this.#unflushed === 0) {
      if (this.socket.readyState !== 1) return;
      this.#handlers.text(this.#owner, held.shift() as string);
    }
    if (this.#unflushed === 0) this.socket.resume();
  }
}
