// Transactions with their energy: meterStop - meterStart once stopped, else the latest
// Energy.Active.Import.Register reading; power from Power.Active.Import or Current.Import × Voltage.
import type { StoredTransaction } from '@ocpp-kit/csms-kit';
import type { TransactionSummary } from '../../storage/meter-value-table.js';
import { transactionReadings } from '../../storage/transaction-readings.js';
import type { ApiContext } from '../api-context.js';
import { ApiError } from '../errors.js';
import { limitQuery } from '../route.js';

const iso = (ms: number) => new Date(ms).toISOString();
const noReadings: TransactionSummary = { readings: transactionReadings([]), count: 0 };

export function transactionView(t: StoredTransaction, { readings }: TransactionSummary) {
  const energyWh =
    t.stop !== undefined
      ? t.stop.meterStop - t.meterStart
      : readings.energyRegisterWh === undefined
        ? 0
        : readings.energyRegisterWh - t.meterStart;
  return {
    transactionId: t.transactionId,
    chargePoint: t.identity,
    connectorId: t.connectorId,
    idTag: t.idTag,
    idTagInfo: t.idTagInfo,
    startedAt: iso(t.startedAt),
    meterStart: t.meterStart,
    stoppedAt: t.stop === undefined ? null : iso(t.stop.stoppedAt),
    meterStop: t.stop?.meterStop ?? null,
    stopReason: t.stop?.reason ?? null,
    energyWh,
    powerW: t.stop === undefined ? (readings.powerW ?? null) : null,
    lastReadingAt: readings.lastReadingAt ?? null,
  };
}

export function transactionRoutes({ storage, routes }: ApiContext): void {
  routes.add(
    {
      method: 'GET',
      url: '/api/transactions',
      tag: 'transactions',
      summary: 'Transactions, newest first, with energy and current power',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          chargePoint: { type: 'string', minLength: 1, maxLength: 48 },
          active: { type: 'boolean' },
          before: { type: 'integer', minimum: 1 },
          limit: limitQuery,
        },
      },
      responses: { 200: 'The transactions' },
    },
    async ({ query }) => {
      const list = storage.transactions.list({
        limit: query.limit as number,
        ...(query.chargePoint === undefined ? {} : { identity: query.chargePoint as string }),
        ...(query.active === undefined ? {} : { active: query.active as boolean }),
        ...(query.before === undefined ? {} : { before: query.before as number }),
      });
      const summaries = await storage.meterValues.summaries(list.map((t) => t.transactionId));
      return {
        transactions: list.map((t, i) => transactionView(t, summaries[i] ?? noReadings)),
      };
    },
  );

  routes.add(
    {
      method: 'GET',
      url: '/api/transactions/:transactionId',
      tag: 'transactions',
      summary: 'One transaction',
      params: {
        type: 'object',
        required: ['transactionId'],
        properties: { transactionId: { type: 'integer', minimum: 1 } },
      },
      responses: { 200: 'The transaction', 404: 'Unknown transaction' },
    },
    async ({ params }) => {
      const id = Number(params.transactionId);
      const transaction = storage.transactions.get(id);
      if (transaction === undefined) throw new ApiError('NOT_FOUND', `No transaction ${id}`);
      const [summary = noReadings] = await storage.meterValues.summaries([id]);
      return { ...transactionView(transaction, summary), meterValueCount: summary.count };
    },
  );

  routes.add(
    {
      method: 'GET',
      url: '/api/orphan-stops',
      tag: 'transactions',
      summary: 'StopTransactions for transactions this CSMS never saw start (kept, never dropped)',
      responses: { 200: 'The stops' },
    },
    () => ({ orphanStops: storage.transactions.orphanStops() }),
  );
}
