import { Project, VariableDeclarationKind } from 'ts-morph';
import { directions, type Manifest, type ManifestAction } from './manifest.js';

/** `ChargePointToCentralSystem` -> `ChargePointToCentralSystemActions`. */
export function actionTableName(direction: string): string {
  return `${direction}Actions`;
}

const lowerFirst = (s: string) => `${s.charAt(0).toLowerCase()}${s.slice(1)}`;

function specOf(action: ManifestAction): string {
  return `${action.spec.document} §${action.spec.behaviour}; messages §${action.spec.messages}`;
}

/**
 * `actions.ts` (built with ts-morph): per direction an action table interface and an `as const`
 * list, the feature profiles with their actions, and the helper types a router needs.
 */
export function emitActions(
  manifest: Manifest,
  typesModule: string,
  protocolModule: string,
): string {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('actions.ts');
  const messageTypes = manifest.actions
    .flatMap((a) => [`${a.action}Request`, `${a.action}Response`])
    .sort();
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: protocolModule,
    namedImports: ['OtherSide', 'Side'],
  });
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: typesModule,
    namedImports: messageTypes,
  });

  for (const direction of directions) {
    const actions = manifest.actions.filter((a) => a.directions.includes(direction));
    file.addInterface({
      name: actionTableName(direction),
      isExported: true,
      docs: [
        `Actions sent as CALLs ${direction.replace('To', ' -> ')}: request and response types.`,
      ],
      properties: actions.map((a) => ({
        name: a.action,
        type: `{ request: ${a.action}Request; response: ${a.action}Response }`,
        docs: [`${a.action} (profile ${a.profile}). Spec: ${specOf(a)}.`],
      })),
    });
  }
  file.addTypeAlias({
    name: 'ActionName',
    isExported: true,
    docs: ['Every action of the protocol.'],
    type: directions.map((d) => `keyof ${actionTableName(d)}`).join(' | '),
  });
  for (const direction of directions) {
    const names = manifest.actions
      .filter((a) => a.directions.includes(direction))
      .map((a) => `'${a.action}'`);
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`Names of the actions sent ${direction.replace('To', ' -> ')}.`],
      declarations: [
        {
          name: `${lowerFirst(direction)}Actions`,
          initializer: `[${names.join(', ')}] as const satisfies readonly (keyof ${actionTableName(direction)})[]`,
        },
      ],
    });
  }
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['The feature profiles (OCPP 1.6 §3.3 and the Security Whitepaper).'],
    declarations: [
      {
        name: 'featureProfiles',
        initializer: `[${manifest.profiles.map((p) => `'${p}'`).join(', ')}] as const`,
      },
    ],
  });
  file.addTypeAlias({
    name: 'FeatureProfile',
    isExported: true,
    type: '(typeof featureProfiles)[number]',
  });
  const byProfile = manifest.profiles.map(
    (p) =>
      `${p}: [${manifest.actions
        .filter((a) => a.profile === p)
        .map((a) => `'${a.action}'`)
        .join(', ')}]`,
  );
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['The actions of each feature profile.'],
    declarations: [
      {
        name: 'actionsByProfile',
        initializer: `{ ${byProfile.join(', ')} } as const satisfies { readonly [P in FeatureProfile]: readonly ActionName[] }`,
      },
    ],
  });
  const [toCentral, toChargePoint] = directions.map(actionTableName);
  file.addTypeAlias({
    name: 'AllActions',
    type: `${toCentral} & ${toChargePoint}`,
  });
  file.addTypeAlias({
    name: 'RequestOf',
    isExported: true,
    typeParameters: [{ name: 'A', constraint: 'ActionName' }],
    docs: ['The request payload type of action `A`.'],
    type: `AllActions[A]['request']`,
  });
  file.addTypeAlias({
    name: 'ResponseOf',
    isExported: true,
    typeParameters: [{ name: 'A', constraint: 'ActionName' }],
    docs: ['The response payload type of action `A`.'],
    type: `AllActions[A]['response']`,
  });
  file.addTypeAlias({
    name: 'ActionsSentBy',
    isExported: true,
    typeParameters: [{ name: 'S', constraint: 'Side' }],
    docs: ['Actions side `S` may send as CALLs.'],
    type: `S extends 'ChargePoint' ? keyof ${toCentral} : keyof ${toChargePoint}`,
  });
  file.addTypeAlias({
    name: 'ActionsHandledBy',
    isExported: true,
    typeParameters: [{ name: 'S', constraint: 'Side' }],
    docs: ['Actions side `S` receives as CALLs and must answer.'],
    type: 'ActionsSentBy<OtherSide<S>>',
  });
  return file.getFullText();
}
