import { basename, join } from 'node:path';
import { emitActions } from './emit-actions.js';
import { emitDescriptor } from './emit-descriptor.js';
import { emitEnumValues, emitTypes } from './emit-types.js';
import { emitValidatorWrappers, type WrappedValidator } from './emit-validator-wrappers.js';
import { emitAjvModule, type ValidatorSource } from './emit-validators.js';
import { CodegenError } from './errors.js';
import { formatTypeScript } from './format.js';
import { generatedHeader } from './header.js';
import { readJsonFile } from './json-file.js';
import { loadManifest } from './manifest.js';
import { loadTypeNames } from './type-names.js';
import { buildTypeRegistry } from './type-registry.js';

export interface GenerateOptions {
  /** Directory holding the schema files the manifest names. */
  readonly schemasDir: string;
  /** The action manifest, e.g. `schemas/ocpp1.6.actions.json`. */
  readonly manifestPath: string;
  /** The type-names file, e.g. `schemas/ocpp1.6.types.json`. */
  readonly typeNamesPath: string;
  /**
   * Module the generated code imports the protocol contract (`Validator`, `ProtocolDescriptor`,
   * ...) and the format checks (`isDateTime`, `isUri`) from. Default: `@ocpp-kit/messages`,
   * which exports both; `@ocpp-kit/messages` itself generates with `../runtime.js`.
   */
  readonly runtimeModule?: string;
}

/** Where generated code imports its run time from unless `runtimeModule` says otherwise. */
const defaultRuntimeModule = '@ocpp-kit/messages';

/** Generated files: path relative to the output directory -> formatted content. */
export type GeneratedFiles = ReadonlyMap<string, string>;

/** Generates every output file in memory; writes nothing. */
export async function generate(options: GenerateOptions): Promise<GeneratedFiles> {
  if (options.runtimeModule?.trim() === '') {
    throw new CodegenError(
      'USAGE',
      'the runtime module is empty: name the module the output imports from, e.g. @ocpp-kit/messages',
    );
  }
  const manifest = await loadManifest(options.manifestPath);
  const names = await loadTypeNames(options.typeNamesPath);
  const schemaFiles = [...new Set(manifest.actions.flatMap((a) => [a.request, a.response]))];
  const schemas = new Map<string, unknown>();
  for (const file of schemaFiles)
    schemas.set(file, await readJsonFile(join(options.schemasDir, file)));

  const root = basename(options.schemasDir);
  const shown = (file: string) => `${root}/${file}`;
  const dirs = [...new Set(schemaFiles.map((f) => f.slice(0, f.lastIndexOf('/') + 1)))].sort();
  const allSchemas = `${dirs.map((d) => shown(`${d}*.json`)).join(', ')} (the ${schemaFiles.length} files ${basename(options.manifestPath)} lists)`;
  const manifestShown = shown(basename(options.manifestPath));
  const namesShown = shown(basename(options.typeNamesPath));

  const registry = buildTypeRegistry(manifest, schemas, names, options.typeNamesPath);
  const files = new Map<string, string>();
  const add = async (name: string, sources: string[], body: string, pretty = true) => {
    const text = `${generatedHeader(sources)}\n\n${body}\n`;
    files.set(name, pretty ? await formatTypeScript(text) : text);
  };

  await add('types.ts', [allSchemas, namesShown], await emitTypes(manifest, registry));
  await add('enum-values.ts', [allSchemas, namesShown], emitEnumValues(registry, './types.js'));
  const runtimeModule = options.runtimeModule ?? defaultRuntimeModule;
  await add('actions.ts', [manifestShown], emitActions(manifest, './types.js', runtimeModule));

  // One ajv module per schema directory (each directory is one JSON-schema draft).
  const groups = new Map<string, ValidatorSource[]>();
  for (const message of registry.messages) {
    const dir = message.file.slice(0, message.file.lastIndexOf('/')) || '.';
    const group = groups.get(dir) ?? [];
    group.push({ file: message.file, exportName: message.name, schema: schemas.get(message.file) });
    groups.set(dir, group);
  }
  const wrapped: WrappedValidator[] = [];
  for (const [dir, sources] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const moduleName = `ajv-${dir.replace(/[^A-Za-z0-9.-]/g, '-')}.ts`;
    await add(moduleName, [shown(`${dir}/*.json`)], emitAjvModule(sources, runtimeModule), false);
    for (const s of sources)
      wrapped.push({
        rawName: s.exportName,
        module: `./${moduleName.replace(/\.ts$/, '.js')}`,
        file: s.file,
      });
  }
  await add('validators.ts', [allSchemas], emitValidatorWrappers(wrapped, runtimeModule));
  await add('descriptor.ts', [manifestShown], emitDescriptor(manifest, runtimeModule));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
