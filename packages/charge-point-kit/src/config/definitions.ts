import { ChargePointKitError } from '../errors.js';
import type { CustomKeyDefinition, KeyDefinition, ListedProfile } from './key-definition.js';
import { standardKeys } from './keys.js';

/**
 * The keys that exist on a charge point: the standard keys of its supported profiles, the
 * Security Whitepaper's and its own keys. A custom key may not take a
 * standard key's name, in any letter case.
 */
export function keyDefinitions(
  profiles: ReadonlySet<ListedProfile>,
  options: {
    readonly custom?: Readonly<Record<string, CustomKeyDefinition>>;
  },
): Map<string, KeyDefinition> {
  const definitions = new Map<string, KeyDefinition>();
  for (const [name, definition] of Object.entries(standardKeys) as [string, KeyDefinition][]) {
    // The whitepaper's keys always exist (AuthorizationKey too: A05 raises 0 to 1 once it is set).
    const exists =
      definition.profile === 'Security' ||
      (definition.profile !== 'Custom' && profiles.has(definition.profile));
    if (exists) definitions.set(name, definition);
  }
  const taken = new Set(Object.keys(standardKeys).map((name) => name.toLowerCase()));
  for (const [name, custom] of Object.entries(options.custom ?? {})) {
    if (taken.has(name.toLowerCase())) {
      throw new ChargePointKitError(
        'INVALID_CONFIGURATION_KEY',
        `Custom key '${name}' repeats a key name (standard keys and custom keys are unique, in any letter case)`,
      );
    }
    if (name.length === 0 || name.length > 50) {
      throw new ChargePointKitError(
        'INVALID_CONFIGURATION_KEY',
        `Custom key '${name}' must be 1-50 characters (ChangeConfiguration.req key is CiString50)`,
      );
    }
    taken.add(name.toLowerCase());
    definitions.set(name, { ...custom, profile: 'Custom' } as KeyDefinition);
  }
  return definitions;
}
