// §3.13: turn charging up, down or off with one SetChargingProfile (TxProfile or ChargePointMaxProfile).
import { chargingLimitProfile } from '@ocpp-kit/csms-kit';
import type { ApiContext } from '../api-context.js';
import { identityParam } from '../route.js';
import { checkKnown } from './commands.js';

export function chargingRoutes({ csms, storage, routes }: ApiContext): void {
  routes.add(
    {
      method: 'POST',
      url: '/api/charge-points/:identity/charging-limit',
      tag: 'charging',
      summary:
        'Set a charging limit (0 stops charging): a TxProfile on a connector or a ChargePointMaxProfile',
      params: identityParam,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['purpose', 'limit', 'unit'],
        properties: {
          purpose: { enum: ['TxProfile', 'ChargePointMaxProfile'] },
          connectorId: { type: 'integer', minimum: 1 },
          transactionId: { type: 'integer' },
          limit: { type: 'number', minimum: 0 },
          unit: { enum: ['W', 'A'] },
          chargingProfileId: { type: 'integer', minimum: 1, default: 1 },
          stackLevel: { type: 'integer', minimum: 0, default: 0 },
          durationSeconds: { type: 'integer', minimum: 1 },
        },
      },
      responses: {
        200: 'The charge point outcome',
        400: 'Invalid limit',
        404: 'Unknown charge point',
      },
    },
    async ({ params, body }) => {
      const identity = params.identity as string;
      checkKnown(storage, [identity]);
      const input = body as {
        purpose: 'TxProfile' | 'ChargePointMaxProfile';
        connectorId?: number;
        transactionId?: number;
        limit: number;
        unit: 'W' | 'A';
        chargingProfileId: number;
        stackLevel: number;
        durationSeconds?: number;
      };
      // §5.16: a ChargePointMaxProfile lives on connector 0, a TxProfile on the transaction's connector.
      const connectorId = input.purpose === 'ChargePointMaxProfile' ? 0 : (input.connectorId ?? 1);
      const profile = chargingLimitProfile({
        chargingProfileId: input.chargingProfileId,
        purpose: input.purpose,
        limit: input.limit,
        unit: input.unit,
        stackLevel: input.stackLevel,
        ...(input.transactionId === undefined ? {} : { transactionId: input.transactionId }),
        ...(input.durationSeconds === undefined ? {} : { durationSeconds: input.durationSeconds }),
      });
      const [outcome] = await csms.callMany([identity], 'SetChargingProfile', {
        connectorId,
        csChargingProfiles: profile,
      });
      const result =
        outcome?.status === 'Answered'
          ? outcome.response.status
          : outcome?.status === 'CallError'
            ? outcome.errorCode
            : (outcome?.reason ?? 'Error');
      await storage.records.chargingProfile(identity, connectorId, profile, result);
      return { connectorId, chargingProfile: profile, outcome };
    },
  );
}
