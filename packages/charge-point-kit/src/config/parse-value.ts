import { measurandValues, phaseValues } from '@ocpp-kit/messages';
import type { ConfigValueOf, ConfigValueType, CslItems, KeyDefinition } from './key-definition.js';

/** What a CSL's items are checked against, from the charge point's hardware. */
export interface ValueContext {
  /** Measurands the meter delivers (`Measurand` or `Measurand.Phase` items are accepted). */
  readonly measurands: ReadonlySet<string>;
  readonly connectors: number;
  /** The current value of a `[KeyName]MaxLength` key, or undefined when the key does not exist. */
  readonly maxLength: (key: string) => number | undefined;
}

/** §9.1.7: a connector (0 = the grid connection) and one of these rotations, e.g. `1.RST`. */
const phaseRotations = new Set([
  'NotApplicable',
  'Unknown',
  'RST',
  'RTS',
  'SRT',
  'STR',
  'TRS',
  'TSR',
]);
const measurands = new Set<string>(measurandValues);
const phases = new Set<string>(phaseValues);
// ChangeConfiguration.req's value is CiString500 (§6.9).
const defaultMaxStringLength = 500;

export type Parsed<T extends ConfigValueType> =
  | { readonly ok: true; readonly value: ConfigValueOf<T> }
  | { readonly ok: false; readonly reason: string };

/** Parses and checks a configuration value as sent in ChangeConfiguration.req (§5.3: out-of-range and malformed values are Rejected). */
export function parseValue(
  name: string,
  definition: KeyDefinition,
  text: string,
  context: ValueContext,
): Parsed<ConfigValueType> {
  switch (definition.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return refuse(`${name} must be true or false`);
      return check(definition, lower === 'true');
    }
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(text)) return refuse(`${name} must be an integer`);
      const value = Number(text);
      if (definition.min !== undefined && value < definition.min)
        return refuse(`${name} must be at least ${definition.min}`);
      if (definition.max !== undefined && value > definition.max)
        return refuse(`${name} must be at most ${definition.max}`);
      return check(definition, value);
    }
    case 'csl': {
      const items = text === '' ? [] : text.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) return refuse(`${name} has an empty list item`);
      if (new Set(items).size !== items.length) return refuse(`${name} lists an item twice`);
      if (definition.maxLengthKey !== undefined) {
        // §5.3: without a [KeyName]MaxLength key, a safe maximum of 1 item is assumed.
        const max = context.maxLength(definition.maxLengthKey) ?? 1;
        if (items.length > max)
          return refuse(`${name} allows at most ${max} items (${definition.maxLengthKey})`);
      }
      if (definition.items !== undefined) {
        for (const item of items) {
          const problem = itemProblem(definition.items, item, context);
          if (problem !== undefined) return refuse(`${name}: ${problem}`);
        }
      }
      return check(definition, items);
    }
    case 'string': {
      const max = definition.maxLength ?? defaultMaxStringLength;
      if (text.length > max) return refuse(`${name} is longer than ${max} characters`);
      return check(definition, text);
    }
  }
}

/** The text GetConfiguration returns for a value. */
export function formatValue(value: ConfigValueOf<ConfigValueType>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value.join(',');
}

function check<T extends ConfigValueType>(
  definition: KeyDefinition,
  value: ConfigValueOf<T>,
): Parsed<ConfigValueType> {
  const validate = definition.validate as ((value: unknown) => string | undefined) | undefined;
  const reason = validate?.(value);
  return reason === undefined ? { ok: true, value } : refuse(reason);
}

function refuse(reason: string): Parsed<ConfigValueType> {
  return { ok: false, reason };
}

function itemProblem(items: CslItems, item: string, context: ValueContext): string | undefined {
  if (items === 'measurands') {
    const measurand = measurandOf(item);
    if (measurand === undefined) return `'${item}' is not a measurand (or measurand.phase)`;
    // §3.14.4 (errata): a measurand the meter cannot deliver is Rejected.
    if (!context.measurands.has(measurand)) return `the meter does not supply '${measurand}'`;
    return undefined;
  }
  if (items === 'phaseRotations') {
    const dot = item.indexOf('.');
    const connector = Number(item.slice(0, dot));
    if (dot < 1 || !/^\d+$/.test(item.slice(0, dot)) || connector > context.connectors)
      return `'${item}' must be <connector 0-${context.connectors}>.<rotation>`;
    if (!phaseRotations.has(item.slice(dot + 1))) return `'${item}' names no phase rotation`;
    return undefined;
  }
  return items.includes(item) ? undefined : `'${item}' is not one of ${items.join(', ')}`;
}

/** `Voltage` or `Voltage.L1` -> `Voltage`; undefined when it is neither (§9.1.17). */
export function measurandOf(item: string): string | undefined {
  if (measurands.has(item)) return item;
  const dot = item.lastIndexOf('.');
  if (dot < 0) return undefined;
  const base = item.slice(0, dot);
  return measurands.has(base) && phases.has(item.slice(dot + 1)) ? base : undefined;
}
