import { Project, VariableDeclarationKind } from 'ts-morph';
import { actionTableName } from './emit-actions.js';
import { validatorName } from './emit-validator-wrappers.js';
import { directions, type Manifest } from './manifest.js';

/**
 * `descriptor.ts` (built with ts-morph): the protocol descriptor (protocol.ts) bundling every
 * action with its directions, profile, spec sections and validators.
 */
export function emitDescriptor(manifest: Manifest, protocolModule: string): string {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('descriptor.ts');
  const tables = directions.map(actionTableName);
  const validators = manifest.actions.flatMap((a) => [
    validatorName(`${a.action}Request`),
    validatorName(`${a.action}Response`),
  ]);
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: protocolModule,
    namedImports: ['ActionDescriptor', 'ProtocolDescriptor'],
  });
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: './actions.js',
    namedImports: ['ActionName', 'FeatureProfile', ...tables],
  });
  file.addImportDeclaration({
    moduleSpecifier: './validators.js',
    namedImports: validators.sort(),
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      `The ${manifest.protocol} protocol: subprotocol, every action with direction, profile and validators.`,
    ],
    declarations: [
      {
        name: manifest.exportName,
        type: `ProtocolDescriptor<${tables.join(', ')}, FeatureProfile>`,
        initializer: (writer) => {
          writer.write('Object.freeze(').inlineBlock(() => {
            writer.writeLine(`subprotocol: ${JSON.stringify(manifest.subprotocol)},`);
            writer.write(
              'actions: new Map<string, ActionDescriptor<ActionName, FeatureProfile>>([',
            );
            for (const a of manifest.actions) {
              const spec = `${a.spec.document} §${a.spec.behaviour}; messages §${a.spec.messages}`;
              const fields = [
                `name: ${JSON.stringify(a.action)}`,
                `directions: Object.freeze([${a.directions.map((d) => JSON.stringify(d)).join(', ')}] as const)`,
                `profile: ${JSON.stringify(a.profile)}`,
                `spec: ${JSON.stringify(spec)}`,
                `validateRequest: ${validatorName(`${a.action}Request`)}`,
                `validateResponse: ${validatorName(`${a.action}Response`)}`,
              ];
              writer.writeLine(
                `[${JSON.stringify(a.action)}, Object.freeze({ ${fields.join(', ')} })],`,
              );
            }
            writer.write(']),');
          });
          writer.write(')');
        },
      },
    ],
  });
  return file.getFullText();
}
