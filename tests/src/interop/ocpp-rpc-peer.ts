// The ocpp-rpc 2.2.1 peer process (ocpp-rpc-peer.cjs) driven over IPC, and the exchanges of valid
// payloads per direction: shared by the interop tests of rpc-core and of the reference CSMS.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Direction, ocpp16 } from '@ocpp-kit/messages';
import { validPayloads } from '../../../packages/messages/src/test-fixtures/valid-payloads.js';

type Fixture = { request: object[]; response: object[] };
const fixtures = validPayloads as unknown as Record<string, Fixture>;
const peerScript = fileURLToPath(new URL('./ocpp-rpc-peer.cjs', import.meta.url));

/** Every (action, request, response) triple to exchange in one direction. */
export function exchanges(direction: Direction): [string, object, object][] {
  const out: [string, object, object][] = [];
  for (const [name, action] of ocpp16.actions) {
    if (!action.directions.includes(direction)) continue;
    const { request, response } = fixtures[name] as Fixture;
    const n = Math.max(request.length, response.length);
    for (let i = 0; i < n; i++) {
      out.push([
        name,
        request[i % request.length] as object,
        response[i % response.length] as object,
      ]);
    }
  }
  return out;
}

export interface PeerReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly code?: string;
  readonly message?: string;
}

/** The ocpp-rpc process and a request/reply channel to it. */
export class Peer {
  readonly #child: ChildProcess;
  #next = 0;

  constructor(args: string[]) {
    // No inherited --conditions: ocpp-rpc must load as it would in production.
    this.#child = fork(peerScript, args, {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  async event(type: string): Promise<Record<string, unknown>> {
    for (;;) {
      const [message] = (await once(this.#child, 'message')) as [Record<string, unknown>];
      if (message.type === 'failed') throw new Error(`ocpp-rpc peer failed: ${message.message}`);
      if (message.type === type) return message;
    }
  }

  async send(body: Record<string, unknown>): Promise<PeerReply> {
    const id = ++this.#next;
    this.#child.send({ id, ...body });
    for (;;) {
      const [{ id: replyTo, ...reply }] = (await once(this.#child, 'message')) as [
        PeerReply & { id?: number },
      ];
      if (replyTo === id) return reply;
    }
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.send({ id: 0, op: 'close' });
    await exited;
  }
}
