import type {
  ChargingProfile,
  ClearChargingProfileRequest,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
} from '@ocpp-kit/messages';
import {
  type ClearResult,
  type ProfileInstallResult,
  ProfileStore,
  type ProfileStoreOptions,
  type ScheduleState,
} from '@ocpp-kit/schedule';
import { loadState, putState } from '../storage/state-table.js';
import type { TransactionRecord } from '../storage/transaction-tables.js';
import type { KitCore } from './kit-core.js';
import type { KitLogger } from './logger.js';
import type { OutputLimit } from './outputs.js';
import { Timer } from './timers.js';

const stateName = 'chargingProfiles';
/** Node's timers fire at once beyond 2^31-1 ms; a far change is re-checked daily instead. */
const longestWaitMs = 86_400_000;

/**
 * The charging profiles of the charge point (§3.13, §5.5, §5.7, §5.16) on the schedule
 * package's store, stored with the kit's state (errata 3.37: they survive reboots), and the
 * limit they put in force, applied to every connector whenever it changes: one timer armed for
 * the next change, re-armed by every profile change, transaction start and stop, and clock
 * change. Offline nothing differs (§3.13.6): the installed profiles keep applying.
 */
export class ChargingLimits {
  readonly profiles: ProfileStore;
  readonly #core: KitCore;
  readonly #timer: Timer;
  readonly #unit: 'A' | 'W';
  /** Without ConnectorSwitch3to1PhaseSupported, a transaction keeps the phases it started on (§9.4.4). */
  readonly #switchPhases: boolean;
  readonly #startPhases = new Map<number, { localId: number; phases: number | undefined }>();
  #stopped = false;

  constructor(core: KitCore) {
    this.#core = core;
    this.#timer = new Timer(core.timers);
    const { config, hardware } = core;
    this.#unit = hardware.limitUnit ?? 'A';
    this.#switchPhases = config.get('ConnectorSwitch3to1PhaseSupported');
    const maxA = hardware.maxCurrentA ?? 32;
    const options: ProfileStoreOptions = {
      clock: () => core.now(),
      config: {
        connectors: core.connectors.count,
        maxStackLevel: config.get('ChargeProfileMaxStackLevel'),
        maxProfiles: config.get('MaxChargingProfilesInstalled'),
        maxPeriods: config.get('ChargingScheduleMaxPeriods'),
        allowedChargingRateUnits: config.get('ChargingScheduleAllowedChargingRateUnit') as (
          | 'Current'
          | 'Power'
        )[],
        supplyVoltage: hardware.supplyVoltage ?? 230,
        defaultLimitA: maxA,
        defaultLimitW: maxA * (hardware.supplyVoltage ?? 230) * (hardware.phases ?? 3),
      },
    };
    const running = core.sessions.running();
    this.profiles = restoreProfiles(loadState(core.store, core.station, stateName), options, {
      running,
      logger: core.logger,
    });
    this.#reconcile(running);
  }

  /** The stored transactions are the truth: the store follows them (a kill may fall between). */
  #reconcile(running: readonly TransactionRecord[]): void {
    const known = new Map(this.profiles.transactions().map((tx) => [tx.connectorId, tx]));
    for (const record of running) {
      const tx = known.get(record.connectorId);
      known.delete(record.connectorId);
      if (tx !== undefined && tx.startedAt === record.startedAt) continue;
      if (tx !== undefined) this.profiles.endTransaction(record.connectorId);
      this.profiles.startTransaction(record.connectorId, record.startedAt, idOf(record));
    }
    for (const connectorId of known.keys()) this.profiles.endTransaction(connectorId);
  }

  /** SetChargingProfile.req (§5.16): Accepted once stored. */
  async install(request: SetChargingProfileRequest): Promise<ProfileInstallResult> {
    const result = this.profiles.install(request);
    if (result.status === 'Accepted') await this.#changed();
    return result;
  }

  /** ClearChargingProfile.req (§5.5): Accepted once stored. */
  async clear(request: ClearChargingProfileRequest): Promise<ClearResult> {
    const result = this.profiles.clear(request);
    if (result.removed.length > 0) await this.#changed();
    return result;
  }

  /** GetCompositeSchedule.req (§5.7) at the charge point's current time. */
  composite(request: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
    return this.profiles.compositeSchedule(request);
  }

  /**
   * Why a RemoteStartTransaction's profile cannot be used on the connector (§5.16.2: TxProfile,
   * no transactionId, and what SetChargingProfile would refuse), or undefined when it can.
   */
  refusal(connectorId: number, profile: ChargingProfile): string | undefined {
    if (profile.chargingProfilePurpose !== 'TxProfile')
      return 'chargingProfilePurpose is not TxProfile';
    if (profile.transactionId !== undefined) return 'transactionId is set (§5.16.2)';
    const trial = ProfileStore.restore(this.profiles.toJSON(), {
      config: this.profiles.config,
      clock: () => this.#core.now(),
    });
    if (!trial.transactions().some((tx) => tx.connectorId === connectorId))
      trial.startTransaction(connectorId, this.#core.now());
    const result = trial.install({ connectorId, csChargingProfiles: profile });
    return result.status === 'Accepted' ? undefined : `${result.reason}: ${result.message}`;
  }

  /**
   * Inside the write that stores a new transaction: the store knows it (Relative profiles start
   * now, §7.9) and the RemoteStartTransaction's TxProfile is installed for it (§5.16.2).
   */
  storeStarted(record: TransactionRecord, profile: ChargingProfile | undefined): void {
    this.#reconcile([...this.#core.sessions.running(), record]);
    if (profile !== undefined) {
      const result = this.profiles.install({
        connectorId: record.connectorId,
        csChargingProfiles: profile,
      });
      if (result.status === 'Rejected') {
        this.#core.logger.warn('smartCharging.remoteProfileRejected', {
          connectorId: record.connectorId,
          reason: result.reason,
        });
      }
    }
    putState(this.#core.store, this.#core.station, stateName, this.profiles.toJSON());
  }

  /** The transaction got its CSMS id: TxProfiles naming it apply (§5.16.2). */
  async confirmed(connectorId: number, transactionId: number): Promise<void> {
    if (!this.profiles.transactions().some((tx) => tx.connectorId === connectorId)) return;
    this.profiles.setTransactionId(connectorId, transactionId);
    await this.#changed();
  }

  /** Whatever ended the transaction: its TxProfiles go (§3.13.1). */
  async ended(): Promise<void> {
    this.#reconcile(this.#core.sessions.running());
    await this.#changed();
  }

  /** Stores the profiles, then applies the limits; rejects when the write fails. */
  async #changed(): Promise<void> {
    const { store, station } = this.#core;
    await store.write(() => putState(store, station, stateName, this.profiles.toJSON()));
    this.apply();
  }

  /**
   * The limit in force on every connector to the outputs, then the timer to the next change.
   * With several connectors charging, ChargePointMaxProfile is shared in proportion (§3.13.3: the
   * combined flow stays within it).
   */
  apply(): void {
    if (this.#stopped) return;
    if (this.profiles.dropExpired().length > 0) {
      const { store, station } = this.#core;
      void store
        .write(() => putState(store, station, stateName, this.profiles.toJSON()))
        .catch((error: unknown) => this.#core.events.emit('error', { error: error as Error }));
    }
    const { connectors, outputs } = this.#core;
    const limits = new Map<number, OutputLimit>();
    let drawn = 0;
    for (const id of connectors.ids()) {
      const limit = this.#limitOf(id);
      limits.set(id, limit);
      if (outputs.energized(id) && limit !== undefined) drawn += limit.value;
    }
    const grid = this.profiles.limitAt(0, undefined, this.#unit);
    const share = grid.limited && drawn > grid.limit ? grid.limit / drawn : 1;
    for (const [id, limit] of limits) {
      const shared =
        limit === undefined || share === 1 || !outputs.energized(id)
          ? limit
          : { ...limit, value: roundDown(limit.value * share) };
      void outputs.setLimit(id, shared);
    }
    this.#arm();
  }

  #limitOf(connectorId: number): OutputLimit {
    const inForce = this.profiles.limitAt(connectorId, undefined, this.#unit);
    if (!inForce.limited) return undefined;
    const phases = this.#phasesOf(connectorId, inForce.numberPhases);
    return phases === undefined
      ? { unit: this.#unit, value: roundDown(inForce.limit) }
      : { unit: this.#unit, value: roundDown(inForce.limit), phases };
  }

  #phasesOf(connectorId: number, wanted: number | undefined): number | undefined {
    if (this.#switchPhases) return wanted;
    const running = this.#core.sessions.active(connectorId);
    if (running === undefined) {
      this.#startPhases.delete(connectorId);
      return wanted;
    }
    const started = this.#startPhases.get(connectorId);
    if (started?.localId === running.localId) return started.phases;
    this.#startPhases.set(connectorId, { localId: running.localId, phases: wanted });
    return wanted;
  }

  #arm(): void {
    const now = this.#core.now();
    let next: number | undefined;
    for (const id of [0, ...this.#core.connectors.ids()]) {
      const at = this.profiles.nextChange(id, now, this.#unit);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (next === undefined) {
      this.#timer.cancel();
      return;
    }
    this.#timer.arm(Math.min(next - now, longestWaitMs), () => this.apply());
  }

  stop(): void {
    this.#stopped = true;
    this.#timer.cancel();
  }
}

function idOf(record: TransactionRecord): number | undefined {
  const id = record.transactionId;
  return id === undefined || id < 0 ? undefined : id;
}

/** One decimal, rounded down: never above the limit (the schemas' multipleOf 0.1). */
function roundDown(value: number): number {
  return Math.floor(value * 10 + 1e-9) / 10;
}

/**
 * The stored profiles; an entry that no longer installs (a newer kit's, or the charge point's
 * limits lowered) is dropped with a warning rather than losing the others.
 */
function restoreProfiles(
  state: unknown,
  options: ProfileStoreOptions,
  context: { readonly running: readonly TransactionRecord[]; readonly logger: KitLogger },
): ProfileStore {
  if (state === undefined) return new ProfileStore(options);
  try {
    return ProfileStore.restore(state, options);
  } catch (error) {
    context.logger.warn('smartCharging.restore', { error: String(error) });
  }
  const store = new ProfileStore(options);
  for (const record of context.running)
    store.startTransaction(record.connectorId, record.startedAt, idOf(record));
  const profiles = (state as Partial<ScheduleState> | null)?.profiles;
  for (const entry of Array.isArray(profiles) ? profiles : []) {
    const result = store.install({
      connectorId: entry?.connectorId,
      csChargingProfiles: entry?.chargingProfile,
    } as SetChargingProfileRequest);
    if (result.status === 'Rejected') {
      context.logger.warn('smartCharging.profileDiscarded', {
        chargingProfileId: entry?.chargingProfile?.chargingProfileId,
        reason: result.reason,
      });
    }
  }
  return store;
}
