// §3.5.3, §5.15: the application's Local Authorization List, versioned, with the SendLocalList.req
// messages that bring a charge point from the version it reports (GetLocalListVersion, §5.10) to
// the current one: Differential from a version still in the history, Full otherwise.
import type { AuthorizationData, IdTagInfo, SendLocalListRequest } from '@ocpp-kit/messages';
import { CsmsKitError } from '../errors.js';
import { idTagKey } from './id-tag-key.js';

/** What `toJSON` returns and `restore` takes, to persist the list and its history. */
export interface LocalListState {
  readonly version: number;
  readonly entries: readonly AuthorizationData[];
  /** Changes after each base version still kept: `[version, idTag, idTagInfo | null]`. */
  readonly changes: readonly (readonly [number, string, IdTagInfo | null])[];
  /** Complete versions a Differential may start from, oldest first. */
  readonly bases: readonly number[];
}

export interface LocalAuthorizationListOptions {
  /** Versions kept as Differential bases. Default 32. */
  readonly history?: number;
}

/** Versions are never 0 or -1 (errata 3.52: they mean "empty" and "unsupported"). */
const firstVersion = 1;

export class LocalAuthorizationList {
  readonly #history: number;
  readonly #entries = new Map<string, AuthorizationData>();
  #changes: [number, string, IdTagInfo | null][] = [];
  #bases: number[] = [];
  #version = 0;

  constructor(options: LocalAuthorizationListOptions = {}) {
    const history = options.history ?? 32;
    if (!Number.isInteger(history) || history < 1) {
      throw new CsmsKitError('INVALID_OPTIONS', `history must be an integer >= 1, got ${history}`);
    }
    this.#history = history;
  }

  static restore(
    state: LocalListState,
    options?: LocalAuthorizationListOptions,
  ): LocalAuthorizationList {
    const list = new LocalAuthorizationList(options);
    list.#version = state.version;
    for (const entry of state.entries) list.#entries.set(idTagKey(entry.idTag), entry);
    list.#changes = state.changes.map(([v, tag, info]) => [v, tag, info]);
    list.#bases = [...state.bases];
    return list;
  }

  /** The current version; 0 until the first change. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#entries.size;
  }

  entries(): IterableIterator<AuthorizationData> {
    return this.#entries.values();
  }

  get(idTag: string): IdTagInfo | undefined {
    return this.#entries.get(idTagKey(idTag))?.idTagInfo;
  }

  /** Adds or updates one entry; returns the new version (unchanged if nothing changed). */
  set(idTag: string, idTagInfo: IdTagInfo): number {
    return this.#apply([[idTag, idTagInfo]]);
  }

  delete(idTag: string): number {
    return this.#apply([[idTag, null]]);
  }

  /** Replaces the whole list; returns the new version. */
  replace(entries: Iterable<{ readonly idTag: string; readonly idTagInfo: IdTagInfo }>): number {
    const next = new Map<string, IdTagInfo>();
    for (const { idTag, idTagInfo } of entries) {
      const key = idTagKey(idTag);
      if (next.has(key)) {
        // §6.41: "All idTags in the localAuthorizationList MUST be unique".
        throw new CsmsKitError('INVALID_OPTIONS', `idTag '${idTag}' appears twice in the list`);
      }
      next.set(key, idTagInfo);
    }
    const updates: [string, IdTagInfo | null][] = [];
    for (const [key, entry] of this.#entries) if (!next.has(key)) updates.push([entry.idTag, null]);
    for (const { idTag, idTagInfo } of entries) updates.push([idTag, idTagInfo]);
    return this.#apply(updates);
  }

  /**
   * The SendLocalList.req messages, in order, that update a charge point reporting
   * `chargePointVersion`; none when it is current. More than `maxEntriesPerMessage`
   * (SendLocalListMaxLength) entries are split: a Full, then Differentials, each with a higher
   * version (a Differential must raise it, §7.44 VersionMismatch); the versions between are
   * never offered as a base, so an interrupted update is redone in Full.
   */
  updatesFor(
    chargePointVersion: number,
    maxEntriesPerMessage = Number.POSITIVE_INFINITY,
  ): SendLocalListRequest[] {
    if (chargePointVersion === -1) {
      throw new CsmsKitError(
        'INVALID_OPTIONS',
        'The charge point reports listVersion -1: it does not support a Local Authorization List (§5.10)',
      );
    }
    if (!(maxEntriesPerMessage >= 1)) {
      throw new CsmsKitError(
        'INVALID_OPTIONS',
        `maxEntriesPerMessage must be >= 1, got ${maxEntriesPerMessage}`,
      );
    }
    if (chargePointVersion === this.#version && (this.#version > 0 || this.#entries.size === 0))
      return [];
    const differential = this.#differentialFrom(chargePointVersion);
    const updateType = differential === undefined ? 'Full' : 'Differential';
    const entries = differential ?? [...this.#entries.values()];
    const chunks: AuthorizationData[][] = [];
    for (let i = 0; i < entries.length; i += maxEntriesPerMessage) {
      chunks.push(entries.slice(i, i + maxEntriesPerMessage));
    }
    if (chunks.length <= 1) {
      const version = Math.max(this.#version, firstVersion);
      if (this.#version === 0) {
        // An empty list sent for the first time still gets a real version (errata 3.52).
        this.#version = version;
        this.#markBase(version);
      }
      return [message(updateType, version, chunks[0] ?? [])];
    }
    // k chunks take k fresh versions; only the last one is a complete list.
    const start = this.#version + 1;
    this.#version += chunks.length;
    this.#markBase(this.#version);
    return chunks.map((chunk, i) =>
      message(i === 0 ? updateType : 'Differential', start + i, chunk),
    );
  }

  toJSON(): LocalListState {
    return {
      version: this.#version,
      entries: [...this.#entries.values()],
      changes: this.#changes.map(([v, tag, info]) => [v, tag, info] as const),
      bases: [...this.#bases],
    };
  }

  #differentialFrom(base: number): AuthorizationData[] | undefined {
    if (base <= 0 || base > this.#version || !this.#bases.includes(base)) return undefined;
    const latest = new Map<string, AuthorizationData>();
    for (const [version, idTag, info] of this.#changes) {
      if (version > base)
        latest.set(idTagKey(idTag), info === null ? { idTag } : { idTag, idTagInfo: info });
    }
    // A diff larger than the list is better sent Full.
    return latest.size <= this.#entries.size ? [...latest.values()] : undefined;
  }

  #apply(updates: readonly (readonly [string, IdTagInfo | null])[]): number {
    const changed: [string, IdTagInfo | null][] = [];
    for (const [idTag, info] of updates) {
      const key = idTagKey(idTag);
      const current = this.#entries.get(key);
      if (info === null) {
        if (current === undefined) continue;
        this.#entries.delete(key);
      } else {
        if (current !== undefined && current.idTag === idTag && sameInfo(current.idTagInfo, info))
          continue;
        this.#entries.set(key, { idTag, idTagInfo: info });
      }
      changed.push([idTag, info]);
    }
    if (changed.length === 0) return this.#version;
    const version = Math.max(this.#version + 1, firstVersion);
    for (const [idTag, info] of changed) this.#changes.push([version, idTag, info]);
    this.#version = version;
    this.#markBase(version);
    return version;
  }

  #markBase(version: number): void {
    this.#bases.push(version);
    if (this.#bases.length > this.#history) {
      this.#bases.shift();
      const oldest = this.#bases[0] ?? version;
      // Changes at or before the oldest base are in every diff's base already.
      this.#changes = this.#changes.filter(([v]) => v > oldest);
    }
  }
}

function message(
  updateType: 'Full' | 'Differential',
  listVersion: number,
  localAuthorizationList: AuthorizationData[],
): SendLocalListRequest {
  return { listVersion, updateType, localAuthorizationList };
}

function sameInfo(a: IdTagInfo | undefined, b: IdTagInfo): boolean {
  return (
    a !== undefined &&
    a.status === b.status &&
    a.expiryDate === b.expiryDate &&
    a.parentIdTag === b.parentIdTag
  );
}
