// What charge points reported: security events (whitepaper §8) and firmware, diagnostics and log jobs.
import type { ApiContext } from '../api-context.js';
import { limitQuery } from '../route.js';

const byChargePoint = {
  type: 'object',
  additionalProperties: false,
  properties: { chargePoint: { type: 'string', minLength: 1, maxLength: 48 }, limit: limitQuery },
} as const;

export function recordRoutes({ storage, routes }: ApiContext): void {
  routes.add(
    {
      method: 'GET',
      url: '/api/security-events',
      tag: 'records',
      summary: 'SecurityEventNotifications received, newest first',
      querystring: byChargePoint,
      responses: { 200: 'The events' },
    },
    ({ query }) => ({
      securityEvents: storage.records.securityEvents(
        query.chargePoint as string | undefined,
        query.limit as number,
      ),
    }),
  );
  routes.add(
    {
      method: 'GET',
      url: '/api/jobs',
      tag: 'records',
      summary: 'Firmware, diagnostics and log status notifications, newest first',
      querystring: byChargePoint,
      responses: { 200: 'The job updates' },
    },
    ({ query }) => ({
      jobs: storage.records.jobs(query.chargePoint as string | undefined, query.limit as number),
    }),
  );
}
