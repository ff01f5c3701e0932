// The operator HTTP API (fastify): an API key on every /api route, JSON bodies of at most 64 KiB,
// errors as { error: { code, message, details } } with the status of their code.
import { timingSafeEqual } from 'node:crypto';
import type { CentralSystem } from '@ocpp-kit/csms-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Storage } from '../storage/storage.js';
import { ApiError, apiErrorOf } from './errors.js';
import { openApiDocument } from './openapi.js';
import { RouteTable } from './route.js';
import { chargePointRoutes } from './routes/charge-points.js';
import { chargingRoutes } from './routes/charging.js';
import { commandRoutes } from './routes/commands.js';
import { idTagRoutes } from './routes/id-tags.js';
import { localListRoutes } from './routes/local-list.js';
import { recordRoutes } from './routes/records.js';
import { transactionRoutes } from './routes/transactions.js';

export interface HttpApiOptions {
  readonly csms: CentralSystem<unknown>;
  readonly storage: Storage;
  readonly apiKey: string;
  readonly dataDir: string;
}

export const maxBodyBytes = 64 * 1024;

function keyMatches(header: string | undefined, key: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (match === null) return false;
  const given = Buffer.from(match[1] as string);
  return given.length === key.length && timingSafeEqual(given, key);
}

export function buildHttpApi(options: HttpApiOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: maxBodyBytes,
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  // JSON only: fastify also parses text/plain by default.
  app.removeContentTypeParser('text/plain');
  const key = Buffer.from(options.apiKey);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    if (!keyMatches(request.headers.authorization, key)) {
      throw new ApiError(
        'UNAUTHORIZED',
        'Send the operator API key as Authorization: Bearer <key>',
      );
    }
  });
  app.setErrorHandler((error, _request, reply) => {
    const problem = apiErrorOf(error);
    void reply.code(problem.status).send({
      error: {
        code: problem.code,
        message: problem.message,
        ...(problem.details === undefined ? {} : { details: problem.details }),
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `No route ${request.method} ${request.url.split('?')[0]}: see /openapi.json`,
      },
    });
  });
  const routes = new RouteTable(app);
  const context = {
    csms: options.csms,
    storage: options.storage,
    routes,
    dataDir: options.dataDir,
  };
  chargePointRoutes(context);
  chargingRoutes(context);
  transactionRoutes(context);
  idTagRoutes(context);
  localListRoutes(context);
  commandRoutes(context);
  recordRoutes(context);
  const document = openApiDocument(routes.specs);
  app.get('/openapi.json', () => document);
  app.get('/health', () => ({ status: 'ok', connected: [...options.csms.sessions()].length }));
  return app;
}
