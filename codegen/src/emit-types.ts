import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { Project, VariableDeclarationKind } from 'ts-morph';
import { isRecord } from './json-file.js';
import type { Manifest } from './manifest.js';
import type { NamedType, ShapeSchema, TypeRegistry } from './type-registry.js';

// json-schema-to-typescript sees each type alone; references to named types become `tsType`.
function toJsttSchema(shape: unknown): unknown {
  if (Array.isArray(shape)) return shape.map(toJsttSchema);
  if (!isRecord(shape)) return shape;
  if (typeof shape.$named === 'string') return { tsType: shape.$named };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shape)) {
    out[key] = key === 'enum' || key === 'required' ? value : toJsttSchema(value);
  }
  return out;
}

const jsttOptions = {
  bannerComment: '',
  format: false,
  additionalProperties: false,
  declareExternallyReferenced: false,
  ignoreMinAndMaxItems: true,
  unknownAny: true,
  strictIndexSignatures: true,
} as const;

async function compileOne(shape: ShapeSchema, name: string, description: string): Promise<string> {
  const schema = { ...(toJsttSchema(shape) as Record<string, unknown>), title: name, description };
  return (await compile(schema as JSONSchema, name, jsttOptions)).trim();
}

function sharedDescription(type: NamedType): string {
  const files = [...new Set(type.locations.map((l) => l.slice(0, l.indexOf('#'))))];
  return `Shared ${type.kind === 'enum' ? 'enumeration' : 'type'}; appears in ${files.join(', ')}.`;
}

/** `types.ts`: one interface per message, shared objects and enums once each. */
export async function emitTypes(manifest: Manifest, registry: TypeRegistry): Promise<string> {
  const parts: string[] = [];
  for (const message of registry.messages) {
    const action = manifest.actions.find((a) => a.action === message.action);
    if (action === undefined) continue;
    const suffix = message.role === 'request' ? '.req' : '.conf';
    const directions = action.directions.join(' and ');
    const description = `${action.action}${suffix} (${message.file}); ${directions}, profile ${action.profile}. Spec: ${action.spec.document} §${action.spec.behaviour}; messages §${action.spec.messages}.`;
    parts.push(await compileOne(message.shape, message.name, description));
  }
  for (const type of registry.named) {
    parts.push(await compileOne(type.shape, type.name, sharedDescription(type)));
  }
  return parts.join('\n\n');
}

/** camelCase value-array name for an enum type: `ChargingProfilePurpose` -> `chargingProfilePurposeValues`. */
export function enumValuesName(typeName: string): string {
  return `${typeName.charAt(0).toLowerCase()}${typeName.slice(1)}Values`;
}

/** `enum-values.ts` (built with ts-morph): every enum as an `as const` array for run-time use. */
export function emitEnumValues(registry: TypeRegistry, typesModule: string): string {
  const enums = registry.named.filter((t) => t.kind === 'enum');
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('enum-values.ts');
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: typesModule,
    namedImports: enums.map((t) => t.name),
  });
  for (const t of enums) {
    const values = (t.shape.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`Every value of {@link ${t.name}}, in schema order.`],
      declarations: [
        {
          name: enumValuesName(t.name),
          initializer: `[${values}] as const satisfies readonly ${t.name}[]`,
        },
      ],
    });
  }
  return file.getFullText();
}
