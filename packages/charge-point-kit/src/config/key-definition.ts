import type { FeatureProfile } from '@ocpp-kit/messages';

/** A profile SupportedFeatureProfiles may list (§9.1.29); Security keys come with Basic auth. */
export type ListedProfile = Exclude<FeatureProfile, 'Security'>;

/** The value types of chapter 9; a CSL is a comma-separated list. */
export type ConfigValueType = 'boolean' | 'integer' | 'csl' | 'string';

/**
 * Accessibility (chapter 9): `R` read-only, `RW` read-write, `W` write-only (AuthorizationKey,
 * whitepaper §7.2: listed by GetConfiguration without its value, never logged).
 */
export type ConfigAccess = 'R' | 'RW' | 'W';

/** The typed value of a key of type `T`. */
export type ConfigValueOf<T extends ConfigValueType> = T extends 'boolean'
  ? boolean
  : T extends 'integer'
    ? number
    : T extends 'csl'
      ? readonly string[]
      : string;

/** What every key definition states. */
interface KeyBase<T extends ConfigValueType> {
  readonly type: T;
  readonly access: ConfigAccess;
  /** The profile whose support makes the key exist (a key of an unsupported profile is unknown). */
  readonly profile: FeatureProfile | 'Custom';
  /** A ChangeConfiguration of the key answers RebootRequired; the new value applies at the next start. */
  readonly reboot?: boolean;
  /** The value before any change; stored values override it, R keys take it from the charge point. */
  readonly default: ConfigValueOf<T>;
  /**
   * Extra checks on a parsed value: a reason to refuse it, or undefined. Run after the type's
   * own checks (range, list items, length).
   */
  readonly validate?: (value: ConfigValueOf<T>) => string | undefined;
}

export interface BooleanKey extends KeyBase<'boolean'> {}

export interface IntegerKey extends KeyBase<'integer'> {
  readonly min?: number;
  readonly max?: number;
}

/** Where a CSL's items come from: measurands the meter supports, or a fixed set of words. */
export type CslItems = 'measurands' | 'phaseRotations' | readonly string[];

export interface CslKey extends KeyBase<'csl'> {
  /** The allowed items; any item if absent. */
  readonly items?: CslItems;
  /** The `[KeyName]MaxLength` key bounding the item count (§5.3: 1 when that key is absent). */
  readonly maxLengthKey?: string;
}

export interface StringKey extends KeyBase<'string'> {
  /** Longest value (ChangeConfiguration.req's value is CiString500). */
  readonly maxLength?: number;
}

/** One configuration key, standard or user-defined. */
export type KeyDefinition = BooleanKey | IntegerKey | CslKey | StringKey;

/** A user-defined key: like a standard one, always of profile `Custom`. */
export type CustomKeyDefinition = DistributiveOmit<KeyDefinition, 'profile'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
