import { type MeterValue, ocpp16, type RegistrationStatus } from '@ocpp-kit/messages';
import {
  type CallRequest,
  type CallResponse,
  createServer,
  type HandledAction,
  type OcppServer,
  type ServerOptions,
} from '@ocpp-kit/rpc-core';
import { onTestFinished } from 'vitest';

type Ocpp16 = typeof ocpp16;
type FromChargePoint = HandledAction<Ocpp16, 'CentralSystem'>;

/** One CALL a charge point sent. */
export interface Received {
  readonly identity: string;
  readonly action: FromChargePoint;
  readonly payload: Record<string, unknown>;
  readonly messageId: string;
}

type Answer<A extends FromChargePoint> = (
  request: CallRequest<Ocpp16, 'ChargePoint', A>,
  identity: string,
) => CallResponse<Ocpp16, 'ChargePoint', A> | Promise<CallResponse<Ocpp16, 'ChargePoint', A>>;

export type Answers = { [A in FromChargePoint]?: Answer<A> };

const now = () => new Date().toISOString();
type Defaulted =
  | 'BootNotification'
  | 'Heartbeat'
  | 'StatusNotification'
  | 'Authorize'
  | 'StartTransaction'
  | 'StopTransaction'
  | 'MeterValues'
  | 'FirmwareStatusNotification'
  | 'DiagnosticsStatusNotification'
  | 'SecurityEventNotification'
  | 'SignedFirmwareStatusNotification'
  | 'LogStatusNotification'
  | 'SignCertificate';

function defaultAnswers(): Required<Pick<Answers, Defaulted>> {
  let transactionId = 100;
  return {
    BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 300 }),
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: () => ({}),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: () => ({ transactionId: ++transactionId, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({}),
    MeterValues: () => ({}),
    FirmwareStatusNotification: () => ({}),
    DiagnosticsStatusNotification: () => ({}),
    SecurityEventNotification: () => ({}),
    SignedFirmwareStatusNotification: () => ({}),
    LogStatusNotification: () => ({}),
    SignCertificate: () => ({ status: 'Accepted' }),
  };
}

/**
 * Answers BootNotification with `statuses` in turn (the last repeats), `interval` seconds and
 * `currentTime` (default: now); returns how many boots were answered so far.
 */
export function answerBoots(
  csms: { answers: Answers },
  statuses: readonly RegistrationStatus[],
  interval: number,
  currentTime?: string,
): () => number {
  let boots = 0;
  csms.answers.BootNotification = () => {
    const status = statuses[Math.min(boots, statuses.length - 1)] ?? 'Accepted';
    boots += 1;
    return { status, currentTime: currentTime ?? now(), interval };
  };
  return () => boots;
}

/**
 * A scripted CSMS on 127.0.0.1 (rpc-core's server): answers what the test sets in `answers`
 * (defaults: everything accepted, transaction ids from 101), records every CALL in order, and stops when
 * the test ends.
 */
export async function startTestCsms(
  options: Partial<ServerOptions<Ocpp16>> = {},
  port = 0,
): Promise<{
  server: OcppServer<Ocpp16>;
  url: string;
  port: number;
  answers: Answers;
  received: Received[];
  waitFor: (action: FromChargePoint, count?: number, timeoutMs?: number) => Promise<Received[]>;
}> {
  const server = createServer({
    protocol: ocpp16,
    securityProfile: 0,
    ...options,
  } as ServerOptions<Ocpp16>);
  const answers: Answers = {};
  const defaults = defaultAnswers();
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  for (const action of ocpp16.actions.keys()) {
    const descriptor = ocpp16.actions.get(action);
    if (descriptor?.directions.includes('ChargePointToCentralSystem') !== true) continue;
    const name = action as FromChargePoint;
    (
      server.router.on as (
        a: string,
        h: (request: never, context: { identity: string; messageId: string }) => unknown,
      ) => void
    )(name, (request, context) => {
      received.push({
        identity: context.identity,
        action: name,
        payload: request,
        messageId: context.messageId,
      });
      for (const wake of waiters) wake();
      const answer = (answers[name] ?? defaults[name as keyof typeof defaults]) as
        | ((request: unknown, identity: string) => unknown)
        | undefined;
      if (answer === undefined) throw new Error(`The test CSMS has no answer for ${name}`);
      return answer(request, context.identity);
    });
  }
  const address = await server.listen({ host: '127.0.0.1', port });
  onTestFinished(() => server.close());
  const waitFor = (action: FromChargePoint, count = 1, timeoutMs = 10_000) =>
    new Promise<Received[]>((resolve, reject) => {
      const check = () => {
        const matching = received.filter((r) => r.action === action);
        if (matching.length < count) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(matching);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `Timed out waiting for ${count} ${action}; received ${received.map((r) => r.action).join(', ')}`,
          ),
        );
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  return {
    server,
    url: `ws://127.0.0.1:${address.port}`,
    port: address.port,
    answers,
    received,
    waitFor,
  };
}

/** The first MeterValue of a received MeterValues.req. */
export function meterValueIn(received: Received | undefined): MeterValue {
  const value = (received?.payload.meterValue as MeterValue[] | undefined)?.[0];
  if (value === undefined) throw new Error('No meter value was received');
  return value;
}
