// Every CSMS-initiated OCPP 1.6 and whitepaper command, to one or many charge points. The body's
// payload is checked by the generated validators; the answer is one outcome per charge point.
import type { CallOutcome, CsmsCommand } from '@ocpp-kit/csms-kit';
import { centralSystemToChargePointActions, ocpp16, type RequestOf } from '@ocpp-kit/messages';
import { parseCommand, RpcError } from '@ocpp-kit/rpc-core';
import type { Storage } from '../../storage/storage.js';
import type { ApiContext } from '../api-context.js';
import { ApiError } from '../errors.js';

export const fanOutBody = {
  type: 'object',
  additionalProperties: false,
  required: ['chargePoints', 'payload'],
  properties: {
    chargePoints: {
      type: 'array',
      minItems: 1,
      maxItems: 10_000,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 48 },
    },
    payload: { type: 'object' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
  },
} as const;

/** Refuses identities the CSMS does not know, naming them (an offline one is an outcome, not an error). */
export function checkKnown(storage: Storage, identities: readonly string[]): void {
  const unknown = identities.filter((id) => storage.chargePoints.find(id) === undefined);
  if (unknown.length > 0) {
    throw new ApiError(
      'NOT_FOUND',
      `Unknown charge point${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', ...' : ''}`,
    );
  }
}

/** What the CSMS keeps of some commands' outcomes. */
async function keep(
  storage: Storage,
  action: string,
  payload: unknown,
  outcomes: CallOutcome<CsmsCommand>[],
) {
  for (const outcome of outcomes) {
    const { identity } = outcome;
    if (action === 'SetChargingProfile') {
      const { connectorId, csChargingProfiles } = payload as RequestOf<'SetChargingProfile'>;
      const result =
        outcome.status === 'Answered'
          ? (outcome.response as { status: string }).status
          : outcome.status === 'CallError'
            ? outcome.errorCode
            : outcome.reason;
      await storage.records.chargingProfile(identity, connectorId, csChargingProfiles, result);
    } else if (action === 'GetConfiguration' && outcome.status === 'Answered') {
      const { configurationKey = [] } = outcome.response as { configurationKey?: [] };
      await storage.records.configuration(identity, configurationKey);
    } else if (action === 'SendLocalList' && outcome.status === 'Answered') {
      if ((outcome.response as { status: string }).status === 'Accepted') {
        await storage.records.localListVersion(
          identity,
          (payload as RequestOf<'SendLocalList'>).listVersion,
        );
      }
    }
  }
}

export function commandRoutes({ csms, storage, routes }: ApiContext): void {
  routes.add(
    {
      method: 'POST',
      url: '/api/commands/:action',
      tag: 'commands',
      summary: `Send a CALL (${centralSystemToChargePointActions.join(', ')}) to one or many charge points`,
      params: {
        type: 'object',
        required: ['action'],
        properties: { action: { type: 'string', minLength: 1, maxLength: 64 } },
      },
      body: fanOutBody,
      responses: {
        200: 'One outcome per charge point: Answered (the response), CallError, or Failed (Offline, Timeout, ...)',
        400: 'The payload does not match the action schema',
        404: 'Unknown action or charge point',
      },
    },
    async ({ params, body }) => {
      const { chargePoints, payload, timeoutMs } = body as {
        chargePoints: string[];
        payload: unknown;
        timeoutMs?: number;
      };
      let command: { action: CsmsCommand; payload: unknown };
      try {
        command = parseCommand(ocpp16, 'CentralSystem', { action: params.action, payload });
      } catch (error) {
        if (error instanceof RpcError && error.code === 'UnknownAction') {
          throw new ApiError(
            'UNKNOWN_COMMAND',
            `'${String(params.action).slice(0, 64)}' is not a command a central system sends; use one of ${centralSystemToChargePointActions.join(', ')}`,
          );
        }
        if (error instanceof RpcError) {
          throw new ApiError('INVALID_PAYLOAD', `payload: ${error.message}`, error.failures);
        }
        throw error;
      }
      checkKnown(storage, chargePoints);
      const results = await csms.callMany(
        chargePoints,
        command.action,
        command.payload as RequestOf<CsmsCommand>,
        timeoutMs === undefined ? undefined : { timeoutMs },
      );
      await keep(storage, command.action, command.payload, results);
      return { action: command.action, results };
    },
  );
}
