// Derives invalid payloads from a valid one and its JSON schema: one defect per payload, with the
// instance path, keyword and property the validator must report. Expectations come from the
// schema text, independently of the generated validators.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

export interface Defect {
  readonly name: string;
  readonly payload: unknown;
  readonly instancePath: string;
  readonly keyword: string;
  readonly property?: string;
}

const isObject = (v: unknown): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/definitions/', '');
  return (root.definitions as Record<string, Schema>)[name] as Schema;
}

function setAt(
  payload: Json,
  path: readonly (string | number)[],
  update: (parent: Json) => void,
): Json {
  const copy = structuredClone(payload);
  let node: Json = copy;
  for (const key of path) node = (node as Record<string | number, Json>)[key] as Json;
  update(node);
  return copy;
}

function wrongTypeValue(type: unknown): Json {
  switch (type) {
    case 'string':
      return 42;
    case 'integer':
      return 1.5;
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    case 'array':
      return {};
    default:
      return [];
  }
}

/** One defect per applicable rule, at every object reachable in `valid` (first array item). */
export function defectsOf(rootSchema: Schema, valid: Json): Defect[] {
  const defects: Defect[] = [];
  const walk = (raw: Schema, value: Json, path: (string | number)[]) => {
    const schema = resolve(raw, rootSchema);
    const pointer = path.map((p) => `/${p}`).join('');
    if (schema.type === 'array' && Array.isArray(value) && value.length > 0) {
      walk(schema.items as Schema, value[0] as Json, [...path, 0]);
      return;
    }
    if (schema.type !== 'object' || !isObject(value)) return;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (schema.additionalProperties === false) {
      defects.push({
        name: `${pointer || '(root)'}: additional property`,
        payload: setAt(valid, path, (o) => {
          (o as Record<string, Json>).unexpectedField = 1;
        }),
        instancePath: pointer,
        keyword: 'additionalProperties',
        property: 'unexpectedField',
      });
    }
    for (const required of (schema.required ?? []) as string[]) {
      if (!(required in value)) continue;
      defects.push({
        name: `${pointer}/${required}: missing required`,
        payload: setAt(valid, path, (o) => {
          delete (o as Record<string, Json>)[required];
        }),
        instancePath: pointer,
        keyword: 'required',
        property: required,
      });
    }
    for (const [key, rawProp] of Object.entries(properties)) {
      if (!(key in value)) continue;
      const prop = resolve(rawProp, rootSchema);
      const at = `${pointer}/${key}`;
      const replace = (name: string, bad: Json, keyword: string) =>
        defects.push({
          name: `${at}: ${name}`,
          payload: setAt(valid, path, (o) => {
            (o as Record<string, Json>)[key] = bad;
          }),
          instancePath: at,
          keyword,
        });
      replace('wrong type', wrongTypeValue(prop.type), 'type');
      if (typeof prop.maxLength === 'number')
        replace('over-long string', 'x'.repeat(prop.maxLength + 1), 'maxLength');
      if (Array.isArray(prop.enum)) replace('bad enum value', 'NotAnEnumValue', 'enum');
      if (prop.format === 'date-time') replace('bad date-time', '2025-02-30T10:00:00Z', 'format');
      if (prop.format === 'uri') replace('bad uri', 'not a uri', 'format');
      walk(prop, value[key] as Json, [...path, key]);
    }
  };
  walk(rootSchema, valid, []);
  return defects;
}
