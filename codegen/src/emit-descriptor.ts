import { actionTableName } from './emit-actions.js';
import { validatorName } from './emit-validator-wrappers.js';
import { directions, type Manifest } from './manifest.js';

/** `descriptor.ts`: the protocol descriptor (protocol.ts) bundling actions and validators. */
export function emitDescriptor(manifest: Manifest, protocolModule: string): string {
  const validators = manifest.actions.flatMap((a) => [
    validatorName(`${a.action}Request`),
    validatorName(`${a.action}Response`),
  ]);
  const entries = manifest.actions.map((a) => {
    const spec = `${a.spec.document} §${a.spec.behaviour}; messages §${a.spec.messages}`;
    return `['${a.action}', Object.freeze({ name: '${a.action}', directions: Object.freeze([${a.directions
      .map((d) => `'${d}'`)
      .join(
        ', ',
      )}] as const), profile: '${a.profile}', spec: ${JSON.stringify(spec)}, validateRequest: ${validatorName(
      `${a.action}Request`,
    )}, validateResponse: ${validatorName(`${a.action}Response`)} })]`;
  });
  const tables = directions.map(actionTableName);
  return [
    `import type { ActionDescriptor, ProtocolDescriptor } from '${protocolModule}';`,
    `import type { ActionName, FeatureProfile, ${tables.join(', ')} } from './actions.js';`,
    `import { ${validators.sort().join(', ')} } from './validators.js';`,
    '',
    `/** The ${manifest.protocol} protocol: subprotocol, every action with direction, profile and validators. */`,
    `export const ${manifest.exportName}: ProtocolDescriptor<${tables.join(', ')}, FeatureProfile> = Object.freeze({`,
    `  subprotocol: '${manifest.subprotocol}',`,
    `  actions: new Map<string, ActionDescriptor<ActionName, FeatureProfile>>([${entries.join(',\n')}]),`,
    '});',
  ].join('\n');
}
