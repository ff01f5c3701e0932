import { isRecord } from './json-file.js';

/** A quirk of the published schemas that the generator handles explicitly. */
export interface SchemaQuirk {
  /** JSON pointer of the keyword inside its schema file (prefixed with the file by the caller). */
  readonly location: string;
  /** What the generator does about it; identical text for identical quirks (used to group them). */
  readonly fix: string;
}

/** The `fix` recorded for a fractional `multipleOf` (see `multipleOfPrecision` in emit-validators.ts). */
export const fractionalMultipleOfFix =
  'kept: fractional multipleOf is checked with multipleOfPrecision 9, so binary floating-point values such as 8.7 (8.7 / 0.1 = 86.99999999999999) pass';

/**
 * A copy of `schema` that ajv accepts in strict mode. Each repair keeps the schema's meaning:
 * - `additionalProperties` on a non-object schema (the OCA schemas put it on string enums)
 *   constrains nothing in JSON Schema, so it is dropped;
 * - `additionalItems` beside a single-schema `items` is ignored by the spec, so it is dropped;
 * - `javaType` is a code-generator hint of the OCA tooling, not a validation keyword.
 * A fractional `multipleOf` (0.1 on charging-schedule limits) is kept and recorded, because it
 * only works with the tolerance the ajv options set.
 */
export function repairForAjv(schema: unknown, quirks: SchemaQuirk[], location = ''): unknown {
  if (Array.isArray(schema))
    return schema.map((s, i) => repairForAjv(s, quirks, `${location}/${i}`));
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    const here = `${location}/${key}`;
    if (key === 'additionalProperties' && schema.type !== 'object' && schema.type !== undefined) {
      quirks.push({
        location: here,
        fix: `dropped: additionalProperties on a "${String(schema.type)}" schema`,
      });
    } else if (key === 'additionalItems' && isRecord(schema.items)) {
      quirks.push({
        location: here,
        fix: 'dropped: additionalItems has no effect beside a single-schema items',
      });
    } else if (key === 'javaType') {
      quirks.push({ location: here, fix: 'dropped: javaType is a code-generation hint' });
    } else if (key === 'multipleOf' && typeof value === 'number' && !Number.isInteger(value)) {
      quirks.push({ location: here, fix: fractionalMultipleOfFix });
      out[key] = value;
    } else if (key === 'enum' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = repairForAjv(value, quirks, here);
    }
  }
  return out;
}
