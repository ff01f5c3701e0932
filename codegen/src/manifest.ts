import { CodegenError } from './errors.js';
import { isRecord, readJsonFile } from './json-file.js';

export const directions = ['ChargePointToCentralSystem', 'CentralSystemToChargePoint'] as const;
export type ManifestDirection = (typeof directions)[number];

export interface ManifestAction {
  readonly action: string;
  readonly directions: readonly ManifestDirection[];
  readonly profile: string;
  /** Schema file of the request, relative to the schemas directory. */
  readonly request: string;
  readonly response: string;
  readonly spec: {
    readonly document: string;
    readonly behaviour: string;
    readonly messages: string;
  };
}

/** The action manifest (e.g. `schemas/ocpp1.6.actions.json`): the generator's only source of protocol facts. */
export interface Manifest {
  readonly protocol: string;
  readonly subprotocol: string;
  /** Name of the exported descriptor constant, e.g. `ocpp16`. */
  readonly exportName: string;
  readonly profiles: readonly string[];
  readonly actions: readonly ManifestAction[];
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const actionName = /^[A-Z][A-Za-z0-9]*$/;
const schemaPath = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\.json$/;

export async function loadManifest(path: string): Promise<Manifest> {
  const raw = await readJsonFile(path);
  const fail = (what: string): never => {
    throw new CodegenError('MANIFEST_INVALID', `${path}: ${what}`);
  };
  if (!isRecord(raw)) return fail('expected a JSON object');
  const str = (o: Record<string, unknown>, key: string, where: string): string => {
    const v = o[key];
    return typeof v === 'string' && v !== ''
      ? v
      : fail(`${where}.${key} must be a non-empty string`);
  };
  const protocol = str(raw, 'protocol', '$');
  const subprotocol = str(raw, 'subprotocol', '$');
  const exportName = str(raw, 'exportName', '$');
  if (!identifier.test(exportName)) fail(`exportName "${exportName}" is not a JS identifier`);
  const profiles = raw.profiles;
  if (
    !Array.isArray(profiles) ||
    profiles.length === 0 ||
    !profiles.every((p) => typeof p === 'string' && identifier.test(p))
  ) {
    return fail('profiles must be a non-empty array of identifiers');
  }
  if (!Array.isArray(raw.actions) || raw.actions.length === 0)
    return fail('actions must be a non-empty array');
  const seen = new Set<string>();
  const actions = raw.actions.map((a: unknown, i: number): ManifestAction => {
    const where = `actions[${i}]`;
    if (!isRecord(a)) return fail(`${where} must be an object`);
    const action = str(a, 'action', where);
    if (!actionName.test(action)) fail(`${where}.action "${action}" must be PascalCase`);
    if (seen.has(action)) fail(`${where}: action ${action} is listed twice`);
    seen.add(action);
    const dirs = a.directions;
    if (
      !Array.isArray(dirs) ||
      dirs.length === 0 ||
      !dirs.every((d) => (directions as readonly unknown[]).includes(d))
    ) {
      fail(`${where}.directions must list ${directions.join(' and/or ')}`);
    }
    const profile = str(a, 'profile', where);
    if (!profiles.includes(profile)) fail(`${where}.profile "${profile}" is not in profiles`);
    const request = str(a, 'request', where);
    const response = str(a, 'response', where);
    for (const file of [request, response]) {
      if (!schemaPath.test(file) || file.split('/').includes('..'))
        fail(`${where}: "${file}" is not a relative schema path`);
    }
    const spec = a.spec;
    if (!isRecord(spec)) return fail(`${where}.spec must be an object`);
    return {
      action,
      directions: [...new Set(dirs as ManifestDirection[])].sort(
        (x, y) => directions.indexOf(x) - directions.indexOf(y),
      ),
      profile,
      request,
      response,
      spec: {
        document: str(spec, 'document', `${where}.spec`),
        behaviour: str(spec, 'behaviour', `${where}.spec`),
        messages: str(spec, 'messages', `${where}.spec`),
      },
    };
  });
  return { protocol, subprotocol, exportName, profiles: profiles as string[], actions };
}
