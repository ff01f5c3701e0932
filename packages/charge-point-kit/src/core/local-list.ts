import type { IdTagInfo, SendLocalListRequest, SendLocalListResponse } from '@ocpp-kit/messages';
import {
  clearIdTags,
  deleteIdTag,
  idTagKey,
  loadIdTags,
  putIdTag,
} from '../storage/id-tag-tables.js';
import type { KitStore } from '../storage/kit-store.js';
import { loadState, putState } from '../storage/state-table.js';

/** Why a SendLocalList.req was not applied. */
export const localListRejectionReasons = [
  /** listVersion 0 or below (errata 3.52: 0 and -1 have a meaning of their own). */
  'InvalidVersion',
  /** More entries than SendLocalListMaxLength. */
  'TooManyEntries',
  /** One idTag twice, in any letter case (§6.41). */
  'DuplicateIdTag',
  /** A Full update entry without idTagInfo (§7.1). */
  'MissingIdTagInfo',
  /** A Differential update whose listVersion is not above the current one (§7.47). */
  'VersionNotNewer',
  /** The resulting list would pass LocalAuthListMaxLength. */
  'ListTooLong',
] as const;
export type LocalListRejectionReason = (typeof localListRejectionReasons)[number];

/** A SendLocalList.req not applied: the status to answer, why, and a sentence saying so. */
export interface LocalListRefusal {
  readonly status: Exclude<SendLocalListResponse['status'], 'Accepted'>;
  readonly reason: LocalListRejectionReason;
  readonly message: string;
}

/**
 * The Local Authorization List (§3.5.2, §5.10, §5.15): changed only by SendLocalList, as a
 * whole or by difference, with its version; stored in one write with its version, so a power
 * loss leaves either the old list or the new one.
 */
export class LocalList {
  readonly #store: KitStore;
  readonly #station: string;
  readonly #entries = new Map<string, { readonly idTag: string; readonly info: IdTagInfo }>();
  #version: number;

  constructor(store: KitStore, station: string) {
    this.#store = store;
    this.#station = station;
    for (const { idTag, info } of loadIdTags(store, 'local_list', station))
      this.#entries.set(idTagKey(idTag), { idTag, info });
    const version = loadState(store, station, 'localList.version');
    this.#version = typeof version === 'number' ? version : 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** GetLocalListVersion (§5.10): 0 for an empty list. */
  get version(): number {
    return this.#entries.size === 0 ? 0 : this.#version;
  }

  get(idTag: string): IdTagInfo | undefined {
    return this.#entries.get(idTagKey(idTag))?.info;
  }

  /**
   * Applies a SendLocalList.req (§5.15, §6.41, errata 3.52) or says why not; nothing changes
   * unless the whole update applies.
   */
  async apply(
    request: SendLocalListRequest,
    limits: { readonly maxLength: number; readonly maxPerMessage: number },
  ): Promise<LocalListRefusal | undefined> {
    const entries = request.localAuthorizationList ?? [];
    const refuse = (
      status: LocalListRefusal['status'],
      reason: LocalListRejectionReason,
      message: string,
    ): LocalListRefusal => ({ status, reason, message });
    if (request.listVersion <= 0)
      return refuse('Failed', 'InvalidVersion', 'listVersion SHALL NOT be -1 or 0 (errata 3.52)');
    if (entries.length > limits.maxPerMessage) {
      return refuse(
        'Failed',
        'TooManyEntries',
        `${entries.length} entries exceed SendLocalListMaxLength (${limits.maxPerMessage})`,
      );
    }
    const keys = new Set(entries.map((entry) => idTagKey(entry.idTag)));
    if (keys.size !== entries.length)
      return refuse(
        'Failed',
        'DuplicateIdTag',
        'An idTag appears twice (§6.41: idTags MUST be unique)',
      );
    const full = request.updateType === 'Full';
    if (full && entries.some((entry) => entry.idTagInfo === undefined)) {
      return refuse(
        'Failed',
        'MissingIdTagInfo',
        'A Full update needs idTagInfo for every entry (§7.1)',
      );
    }
    if (!full && request.listVersion <= this.#version) {
      return refuse(
        'VersionMismatch',
        'VersionNotNewer',
        `listVersion ${request.listVersion} is not above the current ${this.#version} (§7.47)`,
      );
    }
    const next = new Map(full ? [] : this.#entries);
    for (const { idTag, idTagInfo } of entries) {
      if (idTagInfo === undefined) next.delete(idTagKey(idTag));
      else next.set(idTagKey(idTag), { idTag, info: idTagInfo });
    }
    if (next.size > limits.maxLength) {
      return refuse(
        'Failed',
        'ListTooLong',
        `The list would hold ${next.size} entries, over LocalAuthListMaxLength (${limits.maxLength})`,
      );
    }
    const store = this.#store;
    await store.write(() => {
      if (full) clearIdTags(store, 'local_list', this.#station);
      for (const { idTag, idTagInfo } of entries) {
        if (idTagInfo === undefined) deleteIdTag(store, 'local_list', this.#station, idTag);
        else putIdTag(store, 'local_list', this.#station, { idTag, info: idTagInfo, updatedAt: 0 });
      }
      putState(store, this.#station, 'localList.version', request.listVersion);
    });
    this.#entries.clear();
    for (const [key, entry] of next) this.#entries.set(key, entry);
    this.#version = request.listVersion;
    return undefined;
  }
}
