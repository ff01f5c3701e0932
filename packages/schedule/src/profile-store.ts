import type {
  ChargingProfile,
  ChargingRateUnit,
  ClearChargingProfileRequest,
  ClearChargingProfileStatus,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
} from '@ocpp-kit/messages';
import {
  type CompiledProfile,
  compileProfile,
  endOf,
  PURPOSE_CP_MAX,
  PURPOSE_TX,
} from './compiled-profile.js';
import {
  compositeSchedule,
  defaultUnit,
  isKnownConnector,
  type LimitInForce,
  limitAt,
  nextChange,
  type Prepared,
  prepare,
  type ScheduleSnapshot,
} from './composite.js';
import { resolveScheduleConfig, type ScheduleConfig } from './config.js';
import { ScheduleError } from './errors.js';
import type { TransactionState } from './evaluate.js';
import type { InstalledProfile, RunningTransaction } from './preview.js';
import { type Rejection, reject } from './reject-reasons.js';
import { formatDateTime, parseDateTime, toSeconds } from './time.js';

export interface ProfileStoreOptions {
  readonly config: Partial<ScheduleConfig> & Pick<ScheduleConfig, 'connectors'>;
  /** Current time in epoch milliseconds; injected so nothing here reads the system clock. */
  readonly clock: () => number;
}

/** SetChargingProfile outcome: Accepted (with the ids it replaced) or Rejected with a reason. */
export type ProfileInstallResult =
  | { readonly status: 'Accepted'; readonly replaced: readonly number[] }
  | Rejection;

/** ClearChargingProfile outcome (§5.5): Unknown when nothing matched. */
export interface ClearResult {
  readonly status: ClearChargingProfileStatus;
  readonly removed: readonly number[];
}

/** Persisted form (errata 3.37: profiles survive reboots); `restore` validates it. */
export interface ScheduleState {
  readonly format: typeof stateFormat;
  readonly version: 1;
  readonly profiles: readonly InstalledProfile[];
  readonly transactions: readonly {
    readonly connectorId: number;
    readonly startedAt: string;
    readonly transactionId?: number;
  }[];
}

const stateFormat = 'ocpp-kit/schedule-state';

/**
 * The charging profiles of one charge point (OCPP 1.6 §3.13, §5.5, §5.7, §5.16) and the
 * transactions they depend on. Pure state: no I/O, no timers; time comes from `clock`.
 */
export class ProfileStore {
  readonly config: ScheduleConfig;
  readonly #clock: () => number;
  #profiles: CompiledProfile[] = [];
  readonly #transactions: (TransactionState | undefined)[] = [];
  /** Cursors per connector, rebuilt lazily after any change to profiles or transactions. */
  #prepared: (Prepared | undefined)[] = [];
  readonly #source = (connectorId: number): Prepared => {
    let prepared = this.#prepared[connectorId];
    if (prepared === undefined) {
      prepared = prepare(this.#snapshot(), connectorId);
      this.#prepared[connectorId] = prepared;
    }
    return prepared;
  };

  constructor(options: ProfileStoreOptions) {
    this.config = resolveScheduleConfig(options.config);
    if (typeof options.clock !== 'function') {
      throw new ScheduleError(
        'INVALID_CONFIG',
        'clock: expected a function returning epoch milliseconds',
      );
    }
    this.#clock = options.clock;
  }

  #now(): number {
    return toSeconds(this.#clock(), 'clock()');
  }

  #snapshot(): ScheduleSnapshot {
    return { config: this.config, profiles: this.#profiles, transactions: this.#transactions };
  }

  #connector(connectorId: unknown, allowZero: boolean): number {
    if (!isKnownConnector(this.config, connectorId) || (!allowZero && connectorId === 0)) {
      throw new ScheduleError(
        'INVALID_CONNECTOR',
        `connectorId: expected ${allowZero ? 0 : 1}..${this.config.connectors}`,
      );
    }
    return connectorId;
  }

  /** SetChargingProfile.req (§5.16) with the rules of §3.13.1-2 and the §9.4 limits. */
  install(request: SetChargingProfileRequest): ProfileInstallResult {
    if (typeof request !== 'object' || request === null) {
      return reject('Malformed', 'SetChargingProfile.req: expected an object');
    }
    const { connectorId, csChargingProfiles } = request as Partial<SetChargingProfileRequest>;
    if (!isKnownConnector(this.config, connectorId)) {
      return reject('InvalidConnector', `connectorId: expected 0..${this.config.connectors}`);
    }
    const compiled = compileProfile(connectorId, csChargingProfiles);
    if ('reason' in compiled) return compiled;
    const profile = compiled.profile;
    const config = this.config;
    if (compiled.recurrence === 0 && profile.recurrencyKind !== undefined) {
      return reject(
        'RecurrencyKindWithoutRecurring',
        'recurrencyKind: only allowed when chargingProfileKind is Recurring (errata 3.56)',
      );
    }
    if (compiled.purpose === PURPOSE_CP_MAX && connectorId !== 0) {
      return reject(
        'ChargePointMaxProfileNotOnConnector0',
        'connectorId: ChargePointMaxProfile can only be set at connector 0 (§3.13.1)',
      );
    }
    if (compiled.purpose === PURPOSE_TX) {
      if (connectorId === 0) {
        return reject(
          'TxProfileOnConnector0',
          'connectorId: TxProfile can only be set at a connector > 0 (§3.13.1)',
        );
      }
      const tx = this.#transactions[connectorId];
      if (tx === undefined) {
        return reject(
          'NoActiveTransaction',
          `connectorId: no transaction is active on connector ${connectorId} (§3.13.1)`,
        );
      }
      if (
        compiled.transactionId !== undefined &&
        tx.transactionId !== undefined &&
        compiled.transactionId !== tx.transactionId
      ) {
        return reject(
          'TransactionIdMismatch',
          `transactionId: connector ${connectorId} runs transaction ${tx.transactionId}`,
        );
      }
    } else if (compiled.transactionId !== undefined) {
      return reject(
        'TransactionIdWithoutTxProfile',
        'transactionId: only valid with chargingProfilePurpose TxProfile (§7.8)',
      );
    }
    if (compiled.stackLevel > config.maxStackLevel) {
      return reject(
        'StackLevelTooHigh',
        `stackLevel: ChargeProfileMaxStackLevel is ${config.maxStackLevel}`,
      );
    }
    if (compiled.starts.length > config.maxPeriods) {
      return reject(
        'TooManyPeriods',
        `chargingSchedule.chargingSchedulePeriod: ChargingScheduleMaxPeriods is ${config.maxPeriods}`,
      );
    }
    const unitName = compiled.watts ? 'Power' : 'Current';
    if (!config.allowedChargingRateUnits.includes(unitName)) {
      return reject(
        'ChargingRateUnitNotAllowed',
        `chargingSchedule.chargingRateUnit: ChargingScheduleAllowedChargingRateUnit is ${config.allowedChargingRateUnits.join(',')}`,
      );
    }
    const now = this.#now();
    if (compiled.validTo <= now) return reject('Expired', 'validTo: already passed');

    this.#dropExpired(now);
    // §5.16.3/5.16.4: same chargingProfileId, or same stackLevel + purpose (on this connector), replaces.
    const replaces = (p: CompiledProfile): boolean =>
      p.id === compiled.id ||
      (p.connectorId === connectorId &&
        p.purpose === compiled.purpose &&
        p.stackLevel === compiled.stackLevel);
    const replaced = this.#profiles.filter(replaces).map((p) => p.id);
    if (this.#profiles.length - replaced.length + 1 > config.maxProfiles) {
      return reject('TooManyProfiles', `MaxChargingProfilesInstalled is ${config.maxProfiles}`);
    }
    if (replaced.length > 0) this.#profiles = this.#profiles.filter((p) => !replaces(p));
    this.#profiles.push(compiled);
    this.#prepared = [];
    return { status: 'Accepted', replaced };
  }

  /**
   * ClearChargingProfile.req (§5.5): no criteria clears all (errata 3.25); an `id` clears that
   * profile and the other fields are ignored (errata 3.26); otherwise every profile matching ALL
   * given connectorId / chargingProfilePurpose / stackLevel. Unknown when nothing matched.
   */
  clear(request: ClearChargingProfileRequest): ClearResult {
    // A non-object is never "no criteria": that would clear everything on garbage input.
    if (typeof request !== 'object' || request === null) return { status: 'Unknown', removed: [] };
    const { id, connectorId, chargingProfilePurpose, stackLevel } = request;
    const matches =
      id !== undefined
        ? (p: CompiledProfile) => p.id === id
        : (p: CompiledProfile) =>
            (connectorId === undefined || p.connectorId === connectorId) &&
            (chargingProfilePurpose === undefined ||
              p.profile.chargingProfilePurpose === chargingProfilePurpose) &&
            (stackLevel === undefined || p.stackLevel === stackLevel);
    const removed: number[] = [];
    this.#profiles = this.#profiles.filter((p) => {
      const match = matches(p);
      if (match) removed.push(p.id);
      return !match;
    });
    if (removed.length > 0) this.#prepared = [];
    return { status: removed.length > 0 ? 'Accepted' : 'Unknown', removed };
  }

  /** A transaction started on a connector; Relative profiles start here (§7.9). */
  startTransaction(connectorId: number, startedAt: number, transactionId?: number): void {
    const c = this.#connector(connectorId, false);
    if (this.#transactions[c] !== undefined) {
      throw new ScheduleError(
        'TRANSACTION_STATE',
        `connector ${c} already runs a transaction; call endTransaction first`,
      );
    }
    if (transactionId !== undefined && !Number.isSafeInteger(transactionId)) {
      throw new ScheduleError('TRANSACTION_STATE', 'transactionId: expected an integer');
    }
    this.#transactions[c] = { startedAt: toSeconds(startedAt, 'startedAt'), transactionId };
    this.#prepared = [];
  }

  /** The transactionId from StartTransaction.conf, for a transaction started before it was known (§5.16.2). */
  setTransactionId(connectorId: number, transactionId: number): void {
    const c = this.#connector(connectorId, false);
    const tx = this.#transactions[c];
    if (tx === undefined) {
      throw new ScheduleError('TRANSACTION_STATE', `connector ${c} runs no transaction`);
    }
    if (!Number.isSafeInteger(transactionId)) {
      throw new ScheduleError('TRANSACTION_STATE', 'transactionId: expected an integer');
    }
    this.#transactions[c] = { startedAt: tx.startedAt, transactionId };
    this.#prepared = [];
  }

  /** The transaction ended: its TxProfiles are deleted (§3.13.1). Returns the removed ids. */
  endTransaction(connectorId: number): number[] {
    const c = this.#connector(connectorId, false);
    this.#transactions[c] = undefined;
    this.#prepared = [];
    const removed: number[] = [];
    this.#profiles = this.#profiles.filter((p) => {
      const drop = p.purpose === PURPOSE_TX && p.connectorId === c;
      if (drop) removed.push(p.id);
      return !drop;
    });
    return removed;
  }

  #dropExpired(now: number): number[] {
    const removed: number[] = [];
    this.#profiles = this.#profiles.filter((p) => {
      const over = endOf(p) <= now;
      if (over) removed.push(p.id);
      return !over;
    });
    if (removed.length > 0) this.#prepared = [];
    return removed;
  }

  /** Deletes profiles that can never apply again (validTo passed, Absolute schedule over). */
  dropExpired(): number[] {
    return this.#dropExpired(this.#now());
  }

  /** GetCompositeSchedule.req (§5.7) answered at the clock's current time. */
  compositeSchedule(request: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
    return compositeSchedule(this.config, this.#source, request, this.#now());
  }

  /** The limit a connector (0 = grid draw) is held to at `at` (epoch ms, default now). */
  limitAt(connectorId: number, at?: number, unit?: ChargingRateUnit): LimitInForce {
    const c = this.#connector(connectorId, true);
    const t = at === undefined ? this.#now() : toSeconds(at, 'at');
    return limitAt(this.config, this.#source, c, t, unit ?? defaultUnit(this.config));
  }

  /**
   * The next instant (epoch ms) after `at` the limit changes, to arm one timer; undefined = never.
   * If the search bound (`maxCompositePeriods` x 64 input changes) runs out first, the instant
   * reached is returned, so a timer armed there re-checks rather than missing a later change.
   */
  nextChange(connectorId: number, at?: number, unit?: ChargingRateUnit): number | undefined {
    const c = this.#connector(connectorId, true);
    const t = at === undefined ? this.#now() : toSeconds(at, 'at');
    const next = nextChange(this.config, this.#source, c, t, unit ?? defaultUnit(this.config));
    return next === undefined ? undefined : next * 1000;
  }

  /** Installed profiles in install order. */
  profiles(): InstalledProfile[] {
    return this.#profiles.map((p) => ({ connectorId: p.connectorId, chargingProfile: p.profile }));
  }

  /** Running transactions (`startedAt` in epoch ms). */
  transactions(): RunningTransaction[] {
    const out: RunningTransaction[] = [];
    this.#transactions.forEach((tx, connectorId) => {
      if (tx === undefined) return;
      out.push(
        tx.transactionId === undefined
          ? { connectorId, startedAt: tx.startedAt * 1000 }
          : { connectorId, startedAt: tx.startedAt * 1000, transactionId: tx.transactionId },
      );
    });
    return out;
  }

  toJSON(): ScheduleState {
    return {
      format: stateFormat,
      version: 1,
      profiles: this.profiles(),
      transactions: this.transactions().map((tx) =>
        tx.transactionId === undefined
          ? { connectorId: tx.connectorId, startedAt: formatDateTime(tx.startedAt / 1000) }
          : {
              connectorId: tx.connectorId,
              startedAt: formatDateTime(tx.startedAt / 1000),
              transactionId: tx.transactionId,
            },
      ),
    };
  }

  /**
   * Rebuilds a store from `toJSON()` output read back from disk (untrusted bytes): every
   * transaction and profile is re-checked with the install rules; profiles that expired while
   * the charge point was down are dropped. Throws `ScheduleError` INVALID_STATE naming the entry.
   */
  static restore(state: unknown, options: ProfileStoreOptions): ProfileStore {
    const store = new ProfileStore(options);
    const fail = (message: string, cause?: unknown): never => {
      throw new ScheduleError('INVALID_STATE', `restore: ${message}`, { cause });
    };
    if (typeof state !== 'object' || state === null) fail('expected an object');
    const s = state as Record<string, unknown>;
    if (s.format !== stateFormat || s.version !== 1)
      fail(`expected format "${stateFormat}" version 1`);
    if (!Array.isArray(s.transactions) || !Array.isArray(s.profiles)) {
      fail('expected arrays "transactions" and "profiles"');
    }
    (s.transactions as unknown[]).forEach((entry, i) => {
      const tx = entry as Record<string, unknown> | null;
      if (typeof tx !== 'object' || tx === null || typeof tx.startedAt !== 'string') {
        fail(`transactions[${i}]: expected {connectorId, startedAt, transactionId?}`);
      }
      const t = tx as Record<string, unknown>;
      try {
        const startedAt = parseDateTime(t.startedAt as string, `transactions[${i}].startedAt`);
        store.startTransaction(
          t.connectorId as number,
          startedAt * 1000,
          t.transactionId as number | undefined,
        );
      } catch (error) {
        fail(`transactions[${i}]: ${(error as Error).message}`, error);
      }
    });
    (s.profiles as unknown[]).forEach((entry, i) => {
      const p = entry as Record<string, unknown> | null;
      if (typeof p !== 'object' || p === null)
        fail(`profiles[${i}]: expected {connectorId, chargingProfile}`);
      const result = store.install({
        connectorId: (p as Record<string, unknown>).connectorId as number,
        csChargingProfiles: (p as Record<string, unknown>).chargingProfile as ChargingProfile,
      });
      if (result.status === 'Rejected') {
        if (result.reason !== 'Expired')
          fail(`profiles[${i}]: ${result.reason}: ${result.message}`);
      } else if (result.replaced.length > 0) {
        fail(`profiles[${i}]: duplicates profile ${result.replaced.join(',')}`);
      }
    });
    return store;
  }
}
