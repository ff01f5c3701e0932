import { describe, expect, test } from 'vitest';
import { MemoryIdTags } from '../helpers/authorization.js';
import { MemoryTransactionStore } from '../helpers/transaction-store.js';
import {
  boot,
  connectChargePoint,
  next,
  registered,
  startCentralSystem,
} from '../test-helpers/test-central-system.js';

const day = 86_400_000;

async function accepted(
  options: { idTags?: MemoryIdTags; transactions?: MemoryTransactionStore } = {},
) {
  const transactions = options.transactions ?? new MemoryTransactionStore();
  const idTags = options.idTags ?? new MemoryIdTags([['TAG-1', { status: 'Accepted' }]]);
  const { csms, url } = await startCentralSystem({
    records: [registered('CP-1')],
    transactions,
    idTags,
  });
  const client = await connectChargePoint(url, 'CP-1');
  await boot(client);
  return { csms, url, client, transactions, idTags };
}

const start = (timestamp = new Date().toISOString(), idTag = 'TAG-1') =>
  ({ connectorId: 1, idTag, meterStart: 1000, timestamp }) as const;

describe('transactions (§4.8, §4.10): idempotent, never a second transaction, never a lost stop', () => {
  test('§4.8 StartTransaction allocates a transaction id and authorizes the idTag', async () => {
    const { client, csms } = await accepted();
    const started = next<{ transaction: { transactionId: number } }>(csms, 'transactionStarted');
    const response = await client.call('StartTransaction', start());
    expect(response).toEqual({ transactionId: 1, idTagInfo: { status: 'Accepted' } });
    expect((await started).transaction.transactionId).toBe(1);
    const second = await client.call('StartTransaction', {
      ...start(),
      connectorId: 2,
      idTag: 'OTHER',
    });
    expect(second).toEqual({ transactionId: 2, idTagInfo: { status: 'Invalid' } });
  });

  test('OCPP-J §4.1.4 the same StartTransaction resent with the same message id after a restart gets the same transaction', async () => {
    const { client, url, transactions } = await accepted();
    const request = start();
    const first = await client.call('StartTransaction', request, { messageId: 'queued-17' });
    await client.close();
    const restarted = await connectChargePoint(url, 'CP-1');
    const again = await restarted.call('StartTransaction', request, { messageId: 'queued-17' });
    expect(again).toEqual(first);
    expect([...transactions.transactions()]).toHaveLength(1);
  });

  test('§4.8 a resent start is answered from the record, not ConcurrentTx with itself', async () => {
    const { client, transactions } = await accepted();
    const request = start();
    const first = await client.call('StartTransaction', request);
    const again = await client.call('StartTransaction', request);
    expect(again).toEqual(first);
    expect(again.idTagInfo.status).toBe('Accepted');
    expect([...transactions.transactions()]).toHaveLength(1);
  });

  test('§4.8 a StartTransaction that arrives days late is one transaction, and its stop closes it', async () => {
    const { client, transactions, csms } = await accepted();
    const then = new Date(Date.now() - 3 * day).toISOString();
    const { transactionId } = await client.call('StartTransaction', start(then));
    const stopped = next<{ result: { status: string } }>(csms, 'transactionStopped');
    await client.call('StopTransaction', {
      transactionId,
      meterStop: 1500,
      timestamp: new Date(Date.now() - 3 * day + 3_600_000).toISOString(),
      reason: 'Local',
    });
    expect((await stopped).result.status).toBe('Stopped');
    expect(transactions.get(transactionId)?.stop?.meterStop).toBe(1500);
    expect(transactions.get(transactionId)?.startedAt).toBe(Date.parse(then));
  });

  test('§4.10 a StopTransaction for an already-stopped transaction changes nothing and is answered', async () => {
    const { client, transactions } = await accepted();
    const { transactionId } = await client.call('StartTransaction', start());
    const stop = {
      transactionId,
      idTag: 'TAG-1',
      meterStop: 2000,
      timestamp: new Date().toISOString(),
    };
    expect(await client.call('StopTransaction', stop)).toEqual({
      idTagInfo: { status: 'Accepted' },
    });
    const resent = await client.call('StopTransaction', { ...stop, meterStop: 2500 });
    expect(resent).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(transactions.get(transactionId)?.stop?.meterStop).toBe(2000);
  });

  test('§4.10 a StopTransaction for a transaction never seen is answered and kept as an orphan stop', async () => {
    const { client, transactions, csms } = await accepted();
    const stopped = next<{ result: { status: string } }>(csms, 'transactionStopped');
    const stop = { transactionId: 777, meterStop: 10, timestamp: new Date().toISOString() };
    expect(await client.call('StopTransaction', stop)).toEqual({});
    expect((await stopped).result.status).toBe('UnknownTransaction');
    await client.call('StopTransaction', stop);
    expect([...transactions.orphanStops()]).toEqual([
      expect.objectContaining({ identity: 'CP-1', transactionId: 777, meterStop: 10 }),
    ]);
  });

  test('§7.2 ConcurrentTx: an accepted tag already charging gets ConcurrentTx on a second start, unless allowed', async () => {
    const idTags = new MemoryIdTags([
      ['TAG-1', { status: 'Accepted' }],
      ['FLEET', { status: 'Accepted', concurrentTransactions: true }],
    ]);
    const { client } = await accepted({ idTags });
    await client.call('StartTransaction', start());
    const second = await client.call('StartTransaction', {
      ...start(),
      connectorId: 2,
      idTag: 'tag-1',
    });
    expect(second.idTagInfo.status).toBe('ConcurrentTx');
    await client.call('StartTransaction', start(undefined, 'FLEET'));
    const fleet = await client.call('StartTransaction', {
      ...start(undefined, 'FLEET'),
      connectorId: 2,
    });
    expect(fleet.idTagInfo.status).toBe('Accepted');
  });

  test('§7.20 IdTagInfo: expiry, Blocked, parentIdTag; Authorize never answers ConcurrentTx', async () => {
    const idTags = new MemoryIdTags([
      ['OLD', { status: 'Accepted', expiresAt: Date.now() - day }],
      ['KID', { status: 'Accepted', parentIdTag: 'FAMILY', expiresAt: Date.now() + day }],
      ['BAD', { status: 'Blocked' }],
      ['TAG-1', { status: 'Accepted' }],
    ]);
    const { client } = await accepted({ idTags });
    expect((await client.call('Authorize', { idTag: 'OLD' })).idTagInfo.status).toBe('Expired');
    const kid = (await client.call('Authorize', { idTag: 'kid' })).idTagInfo;
    expect(kid).toMatchObject({ status: 'Accepted', parentIdTag: 'FAMILY' });
    expect(Date.parse(kid.expiryDate ?? '')).toBeGreaterThan(Date.now());
    expect((await client.call('Authorize', { idTag: 'BAD' })).idTagInfo.status).toBe('Blocked');
    expect((await client.call('Authorize', { idTag: 'NOBODY' })).idTagInfo.status).toBe('Invalid');
    await client.call('StartTransaction', start());
    expect((await client.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status).toBe('Accepted');
  });
});
