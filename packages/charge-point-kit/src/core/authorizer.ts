import type { IdTagInfo } from '@ocpp-kit/messages';
import { type AuthorizationCache, isValidIdTag } from './authorization-cache.js';
import type { KitCore } from './kit-core.js';
import type { LocalList } from './local-list.js';

/** Where a decision came from. */
export type AuthorizationSource =
  | 'LocalList'
  | 'Cache'
  | 'Csms'
  | 'UnknownOffline'
  | 'NeverAccepted';

export interface Authorization {
  /** Status Accepted (ConcurrentTx is not a start: §7.3). */
  readonly accepted: boolean;
  readonly idTagInfo: IdTagInfo;
  readonly source: AuthorizationSource;
}

/**
 * Decides whether an idTag may charge (§3.5, §4.1): the Local Authorization List first
 * (§3.5.3), then the Authorization Cache, then the CSMS; offline per LocalAuthorizeOffline and
 * AllowOfflineTxForUnknownId (§3.5.4); nothing for a charge point never Accepted (errata 3.11),
 * unless the application allows it.
 */
export class Authorizer {
  readonly #core: KitCore;
  readonly #cache: AuthorizationCache;
  readonly #list: LocalList;
  readonly #beforeAccepted: boolean;

  constructor(
    core: KitCore,
    cache: AuthorizationCache,
    list: LocalList,
    options: { readonly chargeBeforeAccepted: boolean },
  ) {
    this.#core = core;
    this.#cache = cache;
    this.#list = list;
    this.#beforeAccepted = options.chargeBeforeAccepted;
  }

  get cache(): AuthorizationCache {
    return this.#cache;
  }

  get localList(): LocalList {
    return this.#list;
  }

  async authorize(idTag: string): Promise<Authorization> {
    const core = this.#core;
    const online = core.accepted;
    if (!online && !core.everAccepted && !this.#beforeAccepted) {
      return { accepted: false, idTagInfo: { status: 'Invalid' }, source: 'NeverAccepted' };
    }
    const listed = this.#listed(idTag);
    const cached = listed === undefined ? this.#cached(idTag) : undefined;
    const local = listed ?? cached;
    const source: AuthorizationSource = listed !== undefined ? 'LocalList' : 'Cache';
    if (online) {
      // LocalPreAuthorize: a locally valid identifier starts without waiting for the CSMS.
      if (local !== undefined && isValidIdTag(local) && core.config.get('LocalPreAuthorize')) {
        return decision(local, source);
      }
      const answered = await this.#ask(idTag);
      if (answered !== undefined) return decision(answered, 'Csms');
    }
    if (local !== undefined) {
      if (!core.config.get('LocalAuthorizeOffline')) return decision({ status: 'Invalid' }, source);
      return decision(local, source);
    }
    // §3.5.4: only an identifier neither listed nor cached may be allowed unknown.
    if (
      core.config.has('AllowOfflineTxForUnknownId') &&
      core.config.get('AllowOfflineTxForUnknownId')
    ) {
      return decision({ status: 'Accepted' }, 'UnknownOffline');
    }
    return decision({ status: 'Invalid' }, 'UnknownOffline');
  }

  /**
   * An IdTagInfo from Authorize, StartTransaction or StopTransaction.conf: cached unless the
   * idTag is listed (§3.5.3); a listed idTag the CSMS judges otherwise is a LocalListConflict
   * (§3.5.2), reported on connector 0.
   */
  async record(idTag: string, info: IdTagInfo): Promise<void> {
    const listed = this.#list.get(idTag);
    if (listed !== undefined) {
      if (isValidIdTag(listed) !== isValidIdTag(info)) this.#conflict();
      return;
    }
    if (
      this.#core.config.has('AuthorizationCacheEnabled') &&
      this.#core.config.get('AuthorizationCacheEnabled')
    ) {
      await this.#cache.put(idTag, info, this.#core.now());
    }
  }

  /**
   * §3.10: whether `idTag` may stop a transaction started by `started` (with its parentIdTag):
   * the same identifier without asking, else one whose parentIdTag matches.
   */
  async maySettle(
    started: { readonly idTag: string; readonly parentIdTag: string | undefined },
    idTag: string,
  ): Promise<boolean> {
    if (started.idTag.toLowerCase() === idTag.toLowerCase()) return true;
    const authorization = await this.authorize(idTag);
    const parent = authorization.idTagInfo.parentIdTag;
    return (
      authorization.accepted &&
      parent !== undefined &&
      started.parentIdTag !== undefined &&
      parent.toLowerCase() === started.parentIdTag.toLowerCase()
    );
  }

  #listed(idTag: string): IdTagInfo | undefined {
    const core = this.#core;
    if (!core.config.has('LocalAuthListEnabled') || !core.config.get('LocalAuthListEnabled'))
      return undefined;
    const info = this.#list.get(idTag);
    return info === undefined ? undefined : this.#expired(info);
  }

  #cached(idTag: string): IdTagInfo | undefined {
    const core = this.#core;
    if (
      !core.config.has('AuthorizationCacheEnabled') ||
      !core.config.get('AuthorizationCacheEnabled')
    )
      return undefined;
    const info = this.#cache.get(idTag);
    if (info === undefined) return undefined;
    const checked = this.#expired(info);
    // §3.5.1: an entry whose validity ran out is changed to Expired in the cache.
    if (checked !== info) void this.#cache.put(idTag, checked, core.now()).catch(() => {});
    return checked;
  }

  #expired(info: IdTagInfo): IdTagInfo {
    if (info.expiryDate === undefined || info.status !== 'Accepted') return info;
    return Date.parse(info.expiryDate) <= this.#core.now() ? { ...info, status: 'Expired' } : info;
  }

  async #ask(idTag: string): Promise<IdTagInfo | undefined> {
    try {
      const { idTagInfo } = await this.#core.call('Authorize', { idTag });
      await this.record(idTag, idTagInfo);
      return this.#expired(idTagInfo);
    } catch (error) {
      this.#core.logger.debug('authorize.failed', { error: String(error) });
      return undefined;
    }
  }

  #conflict(): void {
    const connectors = this.#core.connectors;
    const others = connectors.stationFaults.filter((f) => f.errorCode !== 'LocalListConflict');
    connectors.updateStation({
      faults: [...others, { errorCode: 'LocalListConflict', blocking: false }],
    });
    connectors.updateStation({ faults: others });
  }
}

function decision(idTagInfo: IdTagInfo, source: AuthorizationSource): Authorization {
  return { accepted: idTagInfo.status === 'Accepted', idTagInfo, source };
}
