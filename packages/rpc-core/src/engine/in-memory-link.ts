import type { Side } from '@ocpp-kit/messages';
import type { RpcSession } from './session.js';
import type { AnyProtocol, FrameSink } from './types.js';

/** Two sessions joined by `linkInMemory`; `unlink` detaches both as a lost connection would. */
export interface InMemoryLink {
  unlink(reason?: unknown): void;
}

/**
 * Joins a charge point session and a central system session without a network: each frame is
 * delivered on a later microtask, as a socket would, so both engines run exactly as over a
 * transport. Meant for tests and benchmarks of code built on rpc-core.
 */
export function linkInMemory<D extends AnyProtocol, A extends Side, B extends Side>(
  a: RpcSession<D, A, unknown>,
  b: RpcSession<D, B, unknown>,
): InMemoryLink {
  let open = true;
  const unlink = (reason?: unknown): void => {
    if (!open) return;
    open = false;
    a.detach(reason);
    b.detach(reason);
  };
  const sinkTo = (peer: Pick<RpcSession<D, Side, unknown>, 'receive'>): FrameSink => ({
    send(text) {
      if (open)
        queueMicrotask(() => {
          if (open) peer.receive(text);
        });
    },
    close(_code, reason) {
      unlink(new Error(reason));
    },
  });
  a.attach(sinkTo(b));
  b.attach(sinkTo(a));
  return { unlink };
}
