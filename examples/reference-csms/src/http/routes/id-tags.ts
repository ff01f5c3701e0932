// IdTags the CSMS authorizes (§3.5) and which of them form the Local Authorization List.
import type { ApiContext } from '../api-context.js';
import { ApiError } from '../errors.js';

const idTagParam = {
  type: 'object',
  required: ['idTag'],
  properties: { idTag: { type: 'string', minLength: 1, maxLength: 20 } },
} as const;

export function idTagRoutes({ storage, routes }: ApiContext): void {
  const view = (entry: ReturnType<typeof storage.idTags.list>[number]) => ({
    ...entry,
    expiresAt: entry.expiresAt === undefined ? null : new Date(entry.expiresAt).toISOString(),
  });

  routes.add(
    {
      method: 'GET',
      url: '/api/id-tags',
      tag: 'id tags',
      summary: 'Every idTag',
      responses: { 200: 'The idTags' },
    },
    () => ({ idTags: storage.idTags.list().map(view) }),
  );

  routes.add(
    {
      method: 'PUT',
      url: '/api/id-tags/:idTag',
      tag: 'id tags',
      summary: 'Create or replace an idTag (IdToken, CiString[20], §7.28)',
      params: idTagParam,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: {
          status: { enum: ['Accepted', 'Blocked', 'Expired', 'Invalid'] },
          expiresAt: { type: 'string', format: 'date-time' },
          parentIdTag: { type: 'string', minLength: 1, maxLength: 20 },
          concurrentTransactions: { type: 'boolean' },
          inLocalList: { type: 'boolean' },
        },
      },
      responses: { 200: 'Stored', 400: 'Invalid idTag' },
    },
    async ({ params, body }) => {
      const input = body as {
        status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';
        expiresAt?: string;
        parentIdTag?: string;
        concurrentTransactions?: boolean;
        inLocalList?: boolean;
      };
      const entry = {
        idTag: params.idTag as string,
        status: input.status,
        inLocalList: input.inLocalList ?? false,
        concurrentTransactions: input.concurrentTransactions ?? false,
        ...(input.expiresAt === undefined ? {} : { expiresAt: Date.parse(input.expiresAt) }),
        ...(input.parentIdTag === undefined ? {} : { parentIdTag: input.parentIdTag }),
      };
      await storage.idTags.put(entry);
      return view(entry);
    },
  );

  routes.add(
    {
      method: 'DELETE',
      url: '/api/id-tags/:idTag',
      tag: 'id tags',
      summary: 'Remove an idTag (it becomes Invalid)',
      params: idTagParam,
      responses: { 200: 'Removed', 404: 'Unknown idTag' },
    },
    async ({ params }) => {
      if (!(await storage.idTags.remove(params.idTag as string))) {
        throw new ApiError('NOT_FOUND', `No idTag '${params.idTag}'`);
      }
      return { removed: params.idTag };
    },
  );
}
