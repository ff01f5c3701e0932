// The OpenAPI 3.1 document of the API, built from the same specs the routes were registered with.
import { apiErrorStatus } from './errors.js';
import type { JsonSchema, RouteSpec } from './route.js';

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { enum: Object.keys(apiErrorStatus) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

function parametersOf(spec: RouteSpec): unknown[] {
  const list: unknown[] = [];
  const add = (where: 'path' | 'query', schema: JsonSchema | undefined) => {
    const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema?.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: property,
      });
    }
  };
  add('path', spec.params);
  add('query', spec.querystring);
  return list;
}

export function openApiDocument(specs: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operations = paths[path] ?? {};
    operations[spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      parameters: parametersOf(spec),
      ...(spec.body === undefined
        ? {}
        : {
            requestBody: { required: true, content: { 'application/json': { schema: spec.body } } },
          }),
      responses: Object.fromEntries(
        Object.entries(spec.responses).map(([status, description]) => [
          status,
          Number(status) >= 400
            ? { description, content: { 'application/json': { schema: errorSchema } } }
            : { description, content: { 'application/json': {} } },
        ]),
      ),
      security: [{ apiKey: [] }],
    };
    paths[path] = operations;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '@ocpp-kit reference CSMS',
      version: '0.1.0',
      description:
        'Operator API of the reference central system: charge points, transactions, idTags and every CSMS-initiated OCPP 1.6 / Security Whitepaper command, sent to one or many charge points.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
    },
    paths,
  };
}
