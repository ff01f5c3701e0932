// A scripted OCTT-style bench for the `_CSMS` cases: the reference CSMS with one registered,
// accepted charge point played by rpc-core, answers the test sets per action, the operator API.

import type { CsmsCommand } from '@ocpp-kit/csms-kit';
import {
  centralSystemToChargePointActions,
  type RequestOf,
  type ResponseOf,
} from '@ocpp-kit/messages';
import type { Policy } from '../policy/policy.js';
import {
  type ApiBody,
  startTestCsms,
  type TestChargePoint,
  type TestCsms,
  testChargePoint,
} from './test-csms.js';

type Answer<A extends CsmsCommand> = (
  request: RequestOf<A>,
) => ResponseOf<A> | Promise<ResponseOf<A>>;

export interface Octt {
  readonly csms: TestCsms;
  readonly cp: TestChargePoint;
  readonly identity: string;
  /** What the charge point answers to `action` from now on. */
  answer<A extends CsmsCommand>(action: A, answer: Answer<A>): void;
  /** The requests the charge point received, per action. */
  received(action: CsmsCommand): unknown[];
  /** The operator sends a command through the HTTP API; the outcome for the charge point. */
  command<A extends CsmsCommand>(action: A, payload: RequestOf<A>): Promise<ApiBody>;
  /** A fresh connection of the same charge point (after a reboot or a lost connection). */
  reconnect(options?: { authorizationKey?: Uint8Array }): Promise<TestChargePoint>;
  now(offsetMs?: number): string;
}

export const idTags = {
  accepted: 'OCTT-TAG',
  invalid: 'OCTT-INVALID',
  expired: 'OCTT-EXPIRED',
  blocked: 'OCTT-BLOCKED',
  child: 'OCTT-CHILD',
} as const;

export async function octt(
  options: {
    policy?: Partial<Policy>;
    securityProfile?: 0 | 1;
    authorizationKey?: string;
    boot?: boolean;
  } = {},
): Promise<Octt> {
  const csms = await startTestCsms({
    configuration: {},
    readConfiguration: false,
    triggersOnAccept: [],
    ...(options.securityProfile === 1
      ? { listeners: [{ securityProfile: 1, host: '127.0.0.1', port: 0, path: '/ocpp' }] }
      : {}),
    ...options.policy,
  });
  const identity = 'OCTT-CP';
  await csms.api('POST', '/api/charge-points', {
    identity,
    securityProfile: options.securityProfile ?? 0,
    ...(options.authorizationKey === undefined
      ? {}
      : { authorizationKey: options.authorizationKey }),
  });
  const day = 86_400_000;
  await csms.api('PUT', `/api/id-tags/${idTags.accepted}`, {
    status: 'Accepted',
    inLocalList: true,
  });
  await csms.api('PUT', `/api/id-tags/${idTags.expired}`, {
    status: 'Accepted',
    expiresAt: new Date(Date.now() - day).toISOString(),
  });
  await csms.api('PUT', `/api/id-tags/${idTags.blocked}`, { status: 'Blocked' });
  await csms.api('PUT', `/api/id-tags/${idTags.child}`, {
    status: 'Accepted',
    parentIdTag: 'OCTT-PARENT',
  });
  const answers = new Map<string, (request: unknown) => unknown>();
  const received = new Map<string, unknown[]>();
  const connect = async (key?: Uint8Array) => {
    const client = await testChargePoint(
      csms.ocppUrl,
      identity,
      options.securityProfile === 1 && key !== undefined
        ? { securityProfile: 1, authorizationKey: key }
        : {},
    );
    for (const action of centralSystemToChargePointActions) {
      (client.router.on as (a: string, h: (r: unknown) => unknown) => void)(action, (request) => {
        received.set(action, [...(received.get(action) ?? []), request]);
        const answer = answers.get(action);
        if (answer === undefined) throw new Error(`the test gave no answer for ${action}`);
        return answer(request);
      });
    }
    await client.connect();
    return client;
  };
  const key =
    options.authorizationKey === undefined
      ? undefined
      : Buffer.from(options.authorizationKey, 'hex');
  const cp = await connect(key);
  if (options.boot !== false) {
    await cp.call('BootNotification', { chargePointVendor: 'OCTT', chargePointModel: 'Tool' });
  }
  let current = cp;
  return {
    csms,
    get cp() {
      return current;
    },
    identity,
    answer: (action, answer) => answers.set(action, answer as (request: unknown) => unknown),
    received: (action) => received.get(action) ?? [],
    command: async (action, payload) => {
      const { status, body } = await csms.api('POST', `/api/commands/${action}`, {
        chargePoints: [identity],
        payload,
      });
      if (status !== 200) throw new Error(`${action}: ${status} ${JSON.stringify(body)}`);
      return body.results[0];
    },
    reconnect: async (reconnectOptions = {}) => {
      await current.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
      current = await connect(reconnectOptions.authorizationKey ?? key);
      return current;
    },
    now: (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString(),
  };
}

export const answered = (response: unknown) => ({
  status: 'Answered',
  identity: 'OCTT-CP',
  response,
});
