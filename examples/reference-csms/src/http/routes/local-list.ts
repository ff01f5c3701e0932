// §3.5.3, §5.10, §5.15: the idTags marked inLocalList become the Local Authorization List, versioned;
// a sync brings each charge point from the version it reports to the current one.
import { LocalAuthorizationList, type LocalListState } from '@ocpp-kit/csms-kit';
import type { IdTagInfo } from '@ocpp-kit/messages';
import type { Storage } from '../../storage/storage.js';
import type { ApiContext } from '../api-context.js';
import { checkKnown, fanOutBody } from './commands.js';

const settingKey = 'localAuthorizationList';

function currentList(storage: Storage): LocalAuthorizationList {
  const saved = storage.records.setting(settingKey);
  return saved === undefined
    ? new LocalAuthorizationList()
    : LocalAuthorizationList.restore(JSON.parse(saved) as LocalListState);
}

function infoOf(entry: ReturnType<Storage['idTags']['list']>[number]): IdTagInfo {
  return {
    status: entry.status,
    ...(entry.expiresAt === undefined
      ? {}
      : { expiryDate: new Date(entry.expiresAt).toISOString() }),
    ...(entry.parentIdTag === undefined ? {} : { parentIdTag: entry.parentIdTag }),
  };
}

export function localListRoutes({ csms, storage, routes }: ApiContext): void {
  routes.add(
    {
      method: 'POST',
      url: '/api/local-list/sync',
      tag: 'local list',
      summary:
        'Send the Local Authorization List (Full or Differential) to charge points that are behind',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['chargePoints'],
        properties: {
          chargePoints: fanOutBody.properties.chargePoints,
          maxEntriesPerMessage: { type: 'integer', minimum: 1, maximum: 10_000 },
        },
      },
      responses: { 200: 'One result per charge point', 404: 'Unknown charge point' },
    },
    async ({ body }) => {
      const { chargePoints, maxEntriesPerMessage } = body as {
        chargePoints: string[];
        maxEntriesPerMessage?: number;
      };
      checkKnown(storage, chargePoints);
      const list = currentList(storage);
      list.replace(
        storage.idTags
          .list()
          .filter((e) => e.inLocalList)
          .map((e) => ({ idTag: e.idTag, idTagInfo: infoOf(e) })),
      );
      await storage.records.putSetting(settingKey, JSON.stringify(list));
      const results = await Promise.all(
        chargePoints.map(async (identity) => {
          try {
            const { listVersion } = await csms.call(identity, 'GetLocalListVersion', {});
            let sent = 0;
            const send = async (messages: ReturnType<typeof list.updatesFor>) => {
              for (const message of messages) {
                const { status } = await csms.call(identity, 'SendLocalList', message);
                sent += 1;
                if (status !== 'Accepted') return { status, updateType: message.updateType };
              }
              return undefined;
            };
            let refused = await send(list.updatesFor(listVersion, maxEntriesPerMessage));
            // §5.15: a refused Differential "SHOULD" be retried as Full.
            if (refused?.updateType === 'Differential')
              refused = await send(list.updatesFor(0, maxEntriesPerMessage));
            if (refused !== undefined)
              return { identity, status: 'Failed', answer: refused.status, sent };
            // A chunked update raises the version: persist what was sent.
            await storage.records.putSetting(settingKey, JSON.stringify(list));
            await storage.records.localListVersion(identity, list.version);
            return {
              identity,
              status: sent === 0 ? 'UpToDate' : 'Updated',
              version: list.version,
              sent,
            };
          } catch (error) {
            return { identity, status: 'Failed', error: (error as Error).message };
          }
        }),
      );
      return { version: list.version, results };
    },
  );
}
