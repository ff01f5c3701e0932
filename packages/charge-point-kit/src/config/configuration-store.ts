import type {
  ChangeConfigurationResponse,
  GetConfigurationResponse,
  KeyValue,
} from '@ocpp-kit/messages';
import { ChargePointKitError } from '../errors.js';
import { loadConfigValues, saveConfigValue } from '../storage/config-table.js';
import type { KitStore } from '../storage/kit-store.js';
import type { ConfigValueOf, ConfigValueType, KeyDefinition } from './key-definition.js';
import type { StandardKeyName, standardKeys } from './keys.js';
import { formatValue, parseValue, type ValueContext } from './parse-value.js';

/** The typed value of a standard key. */
export type StandardValueOf<K extends StandardKeyName> = ConfigValueOf<
  (typeof standardKeys)[K]['type']
>;

/** A standard key takes its own type; a custom key any configuration value. */
export type ValueToSet<K extends string> = K extends StandardKeyName
  ? StandardValueOf<K>
  : ConfigValueOf<ConfigValueType>;

/** A value changed (ChangeConfiguration or `set`), after it is stored. */
export interface ConfigurationChange {
  readonly key: string;
  /** The new value; applies now unless `rebootRequired`. */
  readonly value: ConfigValueOf<ConfigValueType>;
  readonly rebootRequired: boolean;
}

interface Entry {
  readonly name: string;
  readonly definition: KeyDefinition;
  /** In force now. */
  value: ConfigValueOf<ConfigValueType>;
  /** Stored and reported, in force from the next start when the key needs a reboot. */
  configured: ConfigValueOf<ConfigValueType>;
}

export interface ConfigurationStoreOptions {
  readonly store: KitStore;
  readonly station: string;
  /** Every key that exists for this charge point, by name. */
  readonly definitions: ReadonlyMap<string, KeyDefinition>;
  /** Values set by the charge point's options: R keys always, RW keys until first changed. */
  readonly initial?: ReadonlyMap<string, ConfigValueOf<ConfigValueType>>;
  readonly measurands: ReadonlySet<string>;
  readonly connectors: number;
  /** A stored value its key now refuses (e.g. a measurand the new meter lacks); the default is used. */
  readonly onDiscarded?: (key: string, reason: string) => void;
}

/**
 * The configuration keys of one charge point (chapter 9): typed values, accessibility, the
 * checks of §5.3, persistence and change notification. Names are matched case-insensitively
 * (CiString50) and reported as defined.
 */
export class ConfigurationStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byLowerName = new Map<string, Entry>();
  readonly #listeners = new Set<(change: ConfigurationChange) => void>();
  readonly #guards = new Map<
    string,
    (value: ConfigValueOf<ConfigValueType>) => string | undefined
  >();
  readonly #store: KitStore;
  readonly #station: string;
  readonly #context: ValueContext;

  constructor(options: ConfigurationStoreOptions) {
    this.#store = options.store;
    this.#station = options.station;
    this.#context = {
      measurands: options.measurands,
      connectors: options.connectors,
      maxLength: (key) => {
        const value = this.#entries.get(key)?.value;
        return typeof value === 'number' ? value : undefined;
      },
    };
    for (const [name, definition] of options.definitions) {
      const initial = options.initial?.get(name) ?? definition.default;
      const entry: Entry = { name, definition, value: initial, configured: initial };
      this.#entries.set(name, entry);
      this.#byLowerName.set(name.toLowerCase(), entry);
    }
    for (const [name, value] of options.initial ?? []) {
      const entry = this.#entries.get(name);
      const parsed =
        entry === undefined
          ? {
              ok: false as const,
              reason: `No configuration key '${name}' exists on this charge point`,
            }
          : parseValue(name, entry.definition, formatValue(value), this.#context);
      if (!parsed.ok) throw new ChargePointKitError('INVALID_CONFIGURATION_VALUE', parsed.reason);
    }
    for (const [name, text] of loadConfigValues(this.#store, this.#station)) {
      const entry = this.#entries.get(name);
      // R keys come from the charge point itself; a stored key that no longer exists is left alone.
      if (entry === undefined || entry.definition.access === 'R') continue;
      const parsed = parseValue(name, entry.definition, text, this.#context);
      if (parsed.ok) {
        entry.value = parsed.value;
        entry.configured = parsed.value;
      } else options.onDiscarded?.(name, parsed.reason);
    }
  }

  /** Whether the key exists for this charge point. */
  has(key: string): boolean {
    return this.#byLowerName.has(key.toLowerCase());
  }

  /** The value in force of a standard key. */
  get<K extends StandardKeyName>(key: K): StandardValueOf<K>;
  get(key: string): ConfigValueOf<ConfigValueType> | undefined;
  get(key: string): ConfigValueOf<ConfigValueType> | undefined {
    return this.#byLowerName.get(key.toLowerCase())?.value;
  }

  /** Calls `listener` after every stored change; returns the unsubscribe function. */
  onChange(listener: (change: ConfigurationChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** GetConfiguration.conf for a request (§5.8): every key, or the listed ones plus `unknownKey`. */
  read(keys: readonly string[] | undefined): GetConfigurationResponse {
    if (keys === undefined || keys.length === 0) {
      return { configurationKey: [...this.#entries.values()].map(keyValueOf) };
    }
    const configurationKey: KeyValue[] = [];
    const unknownKey: string[] = [];
    for (const key of keys) {
      const entry = this.#byLowerName.get(key.toLowerCase());
      if (entry === undefined) unknownKey.push(key);
      else configurationKey.push(keyValueOf(entry));
    }
    return unknownKey.length === 0 ? { configurationKey } : { configurationKey, unknownKey };
  }

  /** ChangeConfiguration (§5.3): resolves with the status once an accepted value is stored. */
  async change(key: string, text: string): Promise<ChangeConfigurationResponse['status']> {
    const entry = this.#byLowerName.get(key.toLowerCase());
    if (entry === undefined) return 'NotSupported';
    if (entry.definition.access === 'R') return 'Rejected';
    const parsed = parseValue(entry.name, entry.definition, text, this.#context);
    if (!parsed.ok) return 'Rejected';
    if (this.#guards.get(entry.name)?.(parsed.value) !== undefined) return 'Rejected';
    await this.#apply(entry, parsed.value);
    return entry.definition.reboot === true ? 'RebootRequired' : 'Accepted';
  }

  /**
   * A check a ChangeConfiguration of `key` must pass besides its definition's, against the
   * charge point's state (e.g. SecurityProfile's prerequisites, whitepaper A05): a reason to
   * refuse, or undefined. Values set from code are not guarded.
   */
  guard(key: string, check: (value: ConfigValueOf<ConfigValueType>) => string | undefined): void {
    this.#guards.set(key, check);
  }

  /**
   * Sets a value from code (any access, e.g. HeartbeatInterval from BootNotification.conf).
   * Throws `INVALID_CONFIGURATION_VALUE` naming the reason when the key refuses it.
   */
  async set<K extends string>(key: K, value: ValueToSet<K>): Promise<void> {
    const entry = this.#byLowerName.get(key.toLowerCase());
    if (entry === undefined) {
      throw new ChargePointKitError(
        'INVALID_CONFIGURATION_VALUE',
        `No configuration key '${key}' exists on this charge point`,
      );
    }
    const parsed = parseValue(entry.name, entry.definition, formatValue(value), this.#context);
    if (!parsed.ok) throw new ChargePointKitError('INVALID_CONFIGURATION_VALUE', parsed.reason);
    await this.#apply(entry, parsed.value);
  }

  async #apply(entry: Entry, value: ConfigValueOf<ConfigValueType>): Promise<void> {
    const rebootRequired = entry.definition.reboot === true;
    if (entry.definition.access !== 'R') {
      await saveConfigValue(this.#store, this.#station, entry.name, formatValue(value));
    }
    entry.configured = value;
    if (!rebootRequired) entry.value = value;
    for (const listener of this.#listeners) listener({ key: entry.name, value, rebootRequired });
  }
}

function keyValueOf(entry: Entry): KeyValue {
  const readonly = entry.definition.access === 'R';
  // Whitepaper §7.2: a write-only key is listed, its value never returned.
  if (entry.definition.access === 'W') return { key: entry.name, readonly };
  return { key: entry.name, readonly, value: formatValue(entry.configured) };
}
