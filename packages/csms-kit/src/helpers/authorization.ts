// IdTagInfo from the application's idTag records (§3.5, §7.16 AuthorizationStatus, §7.20 IdTagInfo):
// expiry evaluated by the kit, parent ids passed on for groups, ConcurrentTx on StartTransaction.
import type { AuthorizationStatus, IdTagInfo } from '@ocpp-kit/messages';
import { idTagKey } from './id-tag-key.js';

/** What the application knows about one idTag. */
export interface IdTagRecord {
  /** `Accepted`, `Blocked`, `Expired` or `Invalid` as the application sees it; the kit adds expiry and concurrency. */
  readonly status: Exclude<AuthorizationStatus, 'ConcurrentTx'>;
  /** Epoch ms after which the tag is `Expired` (sent as IdTagInfo.expiryDate). */
  readonly expiresAt?: number;
  /** The group the tag belongs to (IdTagInfo.parentIdTag, §3.5.2). */
  readonly parentIdTag?: string;
  /** May the tag be in two transactions at once? Default false: the second start gets `ConcurrentTx`. */
  readonly concurrentTransactions?: boolean;
}

/** The port the kit looks idTags up through; unknown tags are `Invalid`. */
export interface IdTagProvider {
  lookup(
    idTag: string,
    identity: string,
  ): IdTagRecord | undefined | Promise<IdTagRecord | undefined>;
}

/** Transactions in progress per idTag, for ConcurrentTx. */
export interface ActiveTransactionCount {
  activeCount(idTag: string): number | Promise<number>;
}

export interface AuthorizerOptions {
  readonly idTags: IdTagProvider;
  readonly transactions: ActiveTransactionCount;
  readonly clock?: () => number;
}

/** Turns idTag records into the IdTagInfo of Authorize.conf, StartTransaction.conf and StopTransaction.conf. */
export class Authorizer {
  readonly #idTags: IdTagProvider;
  readonly #transactions: ActiveTransactionCount;
  readonly #clock: () => number;

  constructor(options: AuthorizerOptions) {
    this.#idTags = options.idTags;
    this.#transactions = options.transactions;
    this.#clock = options.clock ?? Date.now;
  }

  /** Authorize.req and StopTransaction.req: status, expiry and group; never ConcurrentTx (§7.2). */
  async authorize(idTag: string, identity: string): Promise<IdTagInfo> {
    return idTagInfoOf(await this.#idTags.lookup(idTag, identity), this.#clock());
  }

  /**
   * StartTransaction.req: as `authorize`, plus `ConcurrentTx` when an accepted tag that may not
   * charge twice is already in a transaction ("Only relevant for a StartTransaction.req", §7.2).
   */
  async authorizeStart(idTag: string, identity: string): Promise<IdTagInfo> {
    const record = await this.#idTags.lookup(idTag, identity);
    const info = idTagInfoOf(record, this.#clock());
    if (info.status !== 'Accepted' || record?.concurrentTransactions === true) return info;
    const active = await this.#transactions.activeCount(idTag);
    return active > 0 ? { ...info, status: 'ConcurrentTx' } : info;
  }
}

function idTagInfoOf(record: IdTagRecord | undefined, now: number): IdTagInfo {
  if (record === undefined) return { status: 'Invalid' };
  const info: { -readonly [K in keyof IdTagInfo]: IdTagInfo[K] } = { status: record.status };
  if (record.expiresAt !== undefined) {
    info.expiryDate = new Date(record.expiresAt).toISOString();
    if (record.status === 'Accepted' && record.expiresAt <= now) info.status = 'Expired';
  }
  if (record.parentIdTag !== undefined) info.parentIdTag = record.parentIdTag;
  return info;
}

/** IdTag records in memory, for tests and small deployments; tags compare case-insensitively. */
export class MemoryIdTags implements IdTagProvider {
  readonly #records = new Map<string, IdTagRecord>();

  constructor(records: Iterable<readonly [string, IdTagRecord]> = []) {
    for (const [idTag, record] of records) this.set(idTag, record);
  }

  set(idTag: string, record: IdTagRecord): this {
    this.#records.set(idTagKey(idTag), record);
    return this;
  }

  delete(idTag: string): boolean {
    return this.#records.delete(idTagKey(idTag));
  }

  lookup(idTag: string): IdTagRecord | undefined {
    return this.#records.get(idTagKey(idTag));
  }
}
