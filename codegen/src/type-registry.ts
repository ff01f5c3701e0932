import { CodegenError } from './errors.js';
import { isRecord } from './json-file.js';
import type { Manifest } from './manifest.js';
import type { TypeNames } from './type-names.js';

/** A JSON schema reduced to the keywords that shape a type; named sub-types become `{ $named }`. */
export type ShapeSchema = { readonly [key: string]: unknown };

export interface NamedType {
  readonly name: string;
  readonly kind: 'object' | 'enum';
  readonly shape: ShapeSchema;
  /** `file#location` of every place the type appears, in generation order. */
  readonly locations: string[];
  readonly canonical: string;
}

export interface MessageType {
  readonly name: string;
  readonly action: string;
  readonly role: 'request' | 'response';
  readonly file: string;
  readonly shape: ShapeSchema;
}

export interface TypeRegistry {
  readonly messages: readonly MessageType[];
  /** Shared named types, sorted by name. */
  readonly named: readonly NamedType[];
}

// Keywords that shape a type or a validation rule, copied into the shape.
const shapeKeywords = new Set([
  'type',
  'properties',
  'items',
  'required',
  'enum',
  'format',
  'maxLength',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'additionalProperties',
]);
// Keywords that carry no type information (annotations, ids, vendor extensions).
const ignoredKeywords = new Set([
  '$schema',
  'id',
  '$id',
  'title',
  'description',
  'javaType',
  'definitions',
  '$comment',
  'additionalItems',
]);

/** Stable JSON: sorted keys, enum values sorted (order of an enum is not part of its type). */
export function canonicalJson(value: unknown, key?: string): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalJson(v));
    if (key === 'enum' || key === 'required') items.sort();
    return `[${items.join(',')}]`;
  }
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k], k)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Walks every schema the manifest lists and gives each inline object and enum the name the
 * type-names file assigns. Fails when a location has no name, a name is never used, or one
 * name covers two different structures: so the generated types contain no duplicated copies.
 */
export function buildTypeRegistry(
  manifest: Manifest,
  schemas: ReadonlyMap<string, unknown>,
  names: TypeNames,
  typeNamesPath: string,
): TypeRegistry {
  const named = new Map<string, NamedType>();
  const used = new Set<string>();
  const messages: MessageType[] = [];

  for (const action of manifest.actions) {
    for (const role of ['request', 'response'] as const) {
      const file = action[role];
      const schema = schemas.get(file);
      if (!isRecord(schema)) {
        throw new CodegenError(
          'SCHEMA_UNSUPPORTED',
          `${file}: the root must be a JSON object schema`,
        );
      }
      const definitions = isRecord(schema.definitions) ? schema.definitions : {};
      const fileNames = names.get(file);

      const visit = (node: unknown, location: string, isRoot: boolean): ShapeSchema => {
        if (!isRecord(node)) {
          throw new CodegenError(
            'SCHEMA_UNSUPPORTED',
            `${file} at "${location}": expected a schema object`,
          );
        }
        if (typeof node.$ref === 'string') {
          const match = /^#\/definitions\/([^/]+)$/.exec(node.$ref);
          const target = match?.[1] !== undefined ? definitions[match[1]] : undefined;
          if (target === undefined || match === null) {
            throw new CodegenError(
              'SCHEMA_UNSUPPORTED',
              `${file} at "${location}": unresolvable $ref ${node.$ref}`,
            );
          }
          return visit(target, `#/definitions/${match[1]}`, false);
        }
        const shape: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(node)) {
          if (ignoredKeywords.has(key)) continue;
          if (!shapeKeywords.has(key)) {
            throw new CodegenError(
              'SCHEMA_UNSUPPORTED',
              `${file} at "${location || '(root)'}": keyword "${key}" is not supported; extend the generator before using it`,
            );
          }
          if (key === 'properties') {
            if (!isRecord(value))
              throw new CodegenError('SCHEMA_UNSUPPORTED', `${file}: properties must be an object`);
            const props: Record<string, ShapeSchema> = {};
            for (const [prop, sub] of Object.entries(value)) {
              props[prop] = visit(sub, location ? `${location}.${prop}` : prop, false);
            }
            shape.properties = props;
          } else if (key === 'items') {
            if (Array.isArray(value)) {
              throw new CodegenError(
                'SCHEMA_UNSUPPORTED',
                `${file} at "${location}": tuple "items" is not supported`,
              );
            }
            shape.items = visit(value, `${location}[]`, false);
          } else if (key === 'additionalProperties') {
            if (typeof value !== 'boolean') {
              throw new CodegenError(
                'SCHEMA_UNSUPPORTED',
                `${file} at "${location}": additionalProperties must be a boolean`,
              );
            }
            // Quirk: the OCA schemas put `additionalProperties: false` on string enums; it only applies to objects.
            if (node.type === 'object') shape.additionalProperties = value;
          } else {
            shape[key] = value;
          }
        }
        const kind = Array.isArray(shape.enum)
          ? 'enum'
          : shape.type === 'object'
            ? 'object'
            : undefined;
        if (isRoot || kind === undefined) return shape;

        const name = fileNames?.get(location);
        if (name === undefined) {
          throw new CodegenError(
            'TYPE_NAME_MISSING',
            `${file} at "${location}": this inline ${kind} has no name; add "${location}": "<TypeName>" under "${file}" in ${typeNamesPath}`,
          );
        }
        used.add(`${file}\u0000${location}`);
        const canonical = canonicalJson(shape);
        const where = `${file}#${location}`;
        const existing = named.get(name);
        if (existing === undefined) {
          named.set(name, { name, kind, shape, locations: [where], canonical });
        } else if (existing.canonical !== canonical) {
          throw new CodegenError(
            'TYPE_NAME_CONFLICT',
            `type name ${name} is given to different structures at ${existing.locations[0]} and ${where}; give one of them another name in ${typeNamesPath}`,
          );
        } else if (!existing.locations.includes(where)) {
          existing.locations.push(where);
        }
        return { $named: name };
      };

      const shape = visit(schema, '', true);
      if (shape.type !== 'object') {
        throw new CodegenError(
          'SCHEMA_UNSUPPORTED',
          `${file}: the root must have "type": "object"`,
        );
      }
      messages.push({
        name: `${action.action}${role === 'request' ? 'Request' : 'Response'}`,
        action: action.action,
        role,
        file,
        shape,
      });
    }
  }

  for (const [file, locations] of names) {
    for (const location of locations.keys()) {
      if (!used.has(`${file}\u0000${location}`)) {
        throw new CodegenError(
          'TYPE_NAME_UNUSED',
          `${typeNamesPath}: "${file}" -> "${location}" names no inline object or enum of a schema in the manifest; remove or fix it`,
        );
      }
    }
  }
  for (const message of messages) {
    if (named.has(message.name)) {
      throw new CodegenError(
        'TYPE_NAME_CONFLICT',
        `type name ${message.name} is reserved for the ${message.action} ${message.role}`,
      );
    }
  }
  return {
    messages,
    named: [...named.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
