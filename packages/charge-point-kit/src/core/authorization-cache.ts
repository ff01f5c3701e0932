import type { IdTagInfo } from '@ocpp-kit/messages';
import {
  clearIdTags,
  deleteIdTag,
  type IdTagRecord,
  idTagKey,
  loadIdTags,
  putIdTag,
} from '../storage/id-tag-tables.js';
import type { KitStore } from '../storage/kit-store.js';

/** An idTag that identifies a user in good standing: Accepted, or ConcurrentTx (§7.3, §3.5.1). */
export const isValidIdTag = (info: IdTagInfo): boolean =>
  info.status === 'Accepted' || info.status === 'ConcurrentTx';

/**
 * The Authorization Cache (§3.5.1, errata 3.4): the latest IdTagInfo of every identifier the
 * CSMS answered for, valid or not, persisted across reboots, resets and power loss; bounded, a
 * full cache drops NOT-valid entries first, then the oldest valid ones.
 */
export class AuthorizationCache {
  readonly #store: KitStore;
  readonly #station: string;
  readonly #capacity: number;
  readonly #entries = new Map<string, IdTagRecord>();

  constructor(store: KitStore, station: string, capacity: number) {
    this.#store = store;
    this.#station = station;
    this.#capacity = capacity;
    for (const record of loadIdTags(store, 'auth_cache', station))
      this.#entries.set(idTagKey(record.idTag), record);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(idTag: string): IdTagInfo | undefined {
    return this.#entries.get(idTagKey(idTag))?.info;
  }

  /** Stores the CSMS's answer for an identifier (evicting per §3.5.1 when full). */
  async put(idTag: string, info: IdTagInfo, now: number): Promise<void> {
    const key = idTagKey(idTag);
    const evicted: string[] = [];
    if (!this.#entries.has(key)) {
      let over = this.#entries.size + 1 - this.#capacity;
      const byAge = [...this.#entries.values()].sort((a, b) => a.updatedAt - b.updatedAt);
      for (const pass of [false, true]) {
        for (const record of byAge) {
          if (over <= 0) break;
          if (isValidIdTag(record.info) !== pass || evicted.includes(record.idTag)) continue;
          evicted.push(record.idTag);
          over -= 1;
        }
      }
    }
    const record: IdTagRecord = { idTag, info, updatedAt: now };
    await this.#store.write(() => {
      for (const idTagToDrop of evicted)
        deleteIdTag(this.#store, 'auth_cache', this.#station, idTagToDrop);
      putIdTag(this.#store, 'auth_cache', this.#station, record);
    });
    for (const idTagToDrop of evicted) this.#entries.delete(idTagKey(idTagToDrop));
    this.#entries.set(key, record);
  }

  /** ClearCache (§5.4). */
  async clear(): Promise<void> {
    await this.#store.write(() => clearIdTags(this.#store, 'auth_cache', this.#station));
    this.#entries.clear();
  }
}
