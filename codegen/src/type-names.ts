import { CodegenError } from './errors.js';
import { isRecord, readJsonFile } from './json-file.js';

/** schema file -> location inside it -> type name (see `schemas/ocpp1.6.types.json`). */
export type TypeNames = ReadonlyMap<string, ReadonlyMap<string, string>>;

const typeName = /^[A-Z][A-Za-z0-9]*$/;

export async function loadTypeNames(path: string): Promise<TypeNames> {
  const raw = await readJsonFile(path);
  const fail = (what: string): never => {
    throw new CodegenError('TYPE_NAMES_INVALID', `${path}: ${what}`);
  };
  if (!isRecord(raw) || !isRecord(raw.types))
    return fail('expected { "types": { "<schema file>": { "<location>": "<TypeName>" } } }');
  const result = new Map<string, Map<string, string>>();
  for (const [file, locations] of Object.entries(raw.types)) {
    if (!isRecord(locations)) return fail(`types["${file}"] must be an object`);
    const byLocation = new Map<string, string>();
    for (const [location, name] of Object.entries(locations)) {
      if (typeof name !== 'string' || !typeName.test(name)) {
        fail(`types["${file}"]["${location}"] must be a PascalCase type name`);
      }
      byLocation.set(location, name as string);
    }
    result.set(file, byLocation);
  }
  return result;
}
