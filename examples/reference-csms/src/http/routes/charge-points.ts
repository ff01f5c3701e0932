// Charge points: list with connector status, detail, register, change security settings, remove.
import type { ChargePointRecord } from '@ocpp-kit/csms-kit';
import { parseAuthorizationKey } from '@ocpp-kit/security';
import type { ApiContext } from '../api-context.js';
import { ApiError } from '../errors.js';
import { identityParam } from '../route.js';

const settings = {
  securityProfile: { type: 'integer', minimum: 0, maximum: 3 },
  /** Hex, as the AuthorizationKey configuration key (16-20 bytes, A00.FR.205); null removes it. */
  authorizationKey: { type: ['string', 'null'], pattern: '^([0-9A-Fa-f]{2}){16,20}$' },
  certificateCommonName: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
  registration: { enum: ['Registered', 'PendingRegistration', 'Blocked'] },
} as const;

interface Settings {
  securityProfile?: 0 | 1 | 2 | 3;
  authorizationKey?: string | null;
  certificateCommonName?: string | null;
  registration?: ChargePointRecord['registration'];
}

export function chargePointRoutes({ csms, storage, routes }: ApiContext): void {
  const { chargePoints, records } = storage;
  const summary = (identity: string) => {
    const view = chargePoints.view(identity);
    if (view === undefined)
      throw new ApiError('NOT_FOUND', `No charge point '${identity}': register it first`);
    const session = csms.get(identity);
    return {
      ...view,
      connected: session?.connected === true,
      registrationStatus: session?.registration ?? null,
      connectors: records.connectors(identity),
    };
  };

  routes.add(
    {
      method: 'GET',
      url: '/api/charge-points',
      tag: 'charge points',
      summary: 'Every registered charge point with its connection and connector status',
      responses: { 200: 'The charge points' },
    },
    () => ({ chargePoints: chargePoints.list().map((cp) => summary(cp.identity)) }),
  );

  routes.add(
    {
      method: 'GET',
      url: '/api/charge-points/:identity',
      tag: 'charge points',
      summary:
        'One charge point: boot info, connectors, configuration read back, profiles and certificates sent',
      params: identityParam,
      responses: { 200: 'The charge point', 404: 'Unknown charge point' },
    },
    ({ params }) => {
      const identity = params.identity as string;
      return {
        ...summary(identity),
        configuration: records.configurationOf(identity),
        chargingProfiles: records.chargingProfiles(identity),
        certificates: records.certificates(identity),
      };
    },
  );

  routes.add(
    {
      method: 'POST',
      url: '/api/charge-points',
      tag: 'charge points',
      summary: 'Register a charge point with its security settings',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['identity', 'securityProfile'],
        properties: { identity: { type: 'string', minLength: 1, maxLength: 48 }, ...settings },
      },
      responses: { 201: 'Registered', 400: 'Invalid settings', 409: 'The identity exists' },
    },
    async ({ body }, reply) => {
      const input = body as Settings & { identity: string; securityProfile: 0 | 1 | 2 | 3 };
      const record = recordOf(input.identity, input);
      if (
        (record.securityProfile === 1 || record.securityProfile === 2) &&
        record.authorizationKey === undefined
      ) {
        throw new ApiError(
          'INVALID_REQUEST',
          `Security profile ${record.securityProfile} needs an authorizationKey (A00.FR.205)`,
        );
      }
      if (!(await chargePoints.register(record))) {
        throw new ApiError(
          'CONFLICT',
          `Charge point '${input.identity}' is registered already: PATCH it`,
        );
      }
      reply.code(201);
      return summary(input.identity);
    },
  );

  routes.add(
    {
      method: 'PATCH',
      url: '/api/charge-points/:identity',
      tag: 'charge points',
      summary: 'Change security profile, AuthorizationKey, expected certificate CN or registration',
      params: identityParam,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settings },
      responses: { 200: 'Changed', 400: 'Invalid settings', 404: 'Unknown charge point' },
    },
    async ({ params, body }) => {
      const identity = params.identity as string;
      const input = body as Settings;
      const changed = await chargePoints.update(identity, {
        ...(input.securityProfile === undefined ? {} : { securityProfile: input.securityProfile }),
        ...(input.authorizationKey === undefined
          ? {}
          : {
              authorizationKey:
                input.authorizationKey === null
                  ? null
                  : parseAuthorizationKey(input.authorizationKey),
            }),
        ...(input.certificateCommonName === undefined
          ? {}
          : { certificateCommonName: input.certificateCommonName }),
        ...(input.registration === undefined ? {} : { registration: input.registration }),
      });
      if (!changed) throw new ApiError('NOT_FOUND', `No charge point '${identity}'`);
      return summary(identity);
    },
  );

  routes.add(
    {
      method: 'DELETE',
      url: '/api/charge-points/:identity',
      tag: 'charge points',
      summary: 'Remove a charge point (its history stays); a connected one is disconnected',
      params: identityParam,
      responses: { 200: 'Removed', 404: 'Unknown charge point' },
    },
    async ({ params }) => {
      const identity = params.identity as string;
      if (!(await chargePoints.remove(identity)))
        throw new ApiError('NOT_FOUND', `No charge point '${identity}'`);
      csms.get(identity)?.close(1000, 'Removed by the operator');
      return { removed: identity };
    },
  );
}

function recordOf(
  identity: string,
  input: Settings & { securityProfile: 0 | 1 | 2 | 3 },
): ChargePointRecord {
  return {
    identity,
    securityProfile: input.securityProfile,
    registration: input.registration ?? 'Registered',
    ...(typeof input.authorizationKey === 'string'
      ? { authorizationKey: parseAuthorizationKey(input.authorizationKey) }
      : {}),
    ...(typeof input.certificateCommonName === 'string'
      ? { certificateCommonName: input.certificateCommonName }
      : {}),
  };
}
