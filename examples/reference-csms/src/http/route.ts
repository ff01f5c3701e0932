// One place that registers a route with fastify and describes it in the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type JsonSchema = Record<string, unknown>;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify syntax: `/api/charge-points/:identity`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
  /** Response status -> description. */
  readonly responses: Readonly<Record<number, string>>;
}

export interface RouteRequest {
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
}

export type RouteHandler = (
  request: RouteRequest,
  reply: FastifyReply,
) => Promise<unknown> | unknown;

export class RouteTable {
  readonly specs: RouteSpec[] = [];
  readonly #app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  add(spec: RouteSpec, handler: RouteHandler): void {
    this.specs.push(spec);
    this.#app.route({
      method: spec.method,
      url: spec.url,
      schema: {
        ...(spec.params === undefined ? {} : { params: spec.params }),
        ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
        ...(spec.body === undefined ? {} : { body: spec.body }),
      },
      handler: (request: FastifyRequest, reply: FastifyReply) =>
        handler(
          {
            params: request.params as Record<string, string>,
            query: request.query as Record<string, unknown>,
            body: request.body,
          },
          reply,
        ),
    });
  }
}

export const identityParam: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['identity'],
  properties: { identity: { type: 'string', minLength: 1, maxLength: 48 } },
};

export const limitQuery = { type: 'integer', minimum: 1, maximum: 1000, default: 100 } as const;
