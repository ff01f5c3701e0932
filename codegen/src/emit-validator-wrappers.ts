import { Project, VariableDeclarationKind } from 'ts-morph';

export interface WrappedValidator {
  /** Raw ajv validator export, e.g. `BootNotificationRequest`. */
  readonly rawName: string;
  /** Module the raw validator lives in, e.g. `./ajv-ocpp1.6.js`. */
  readonly module: string;
  /** Schema file it validates. */
  readonly file: string;
}

export function validatorName(rawName: string): string {
  return `validate${rawName}`;
}

// Turns ajv's error objects into the ValidationFailure list of protocol.ts. Only keywords the
// type registry admits reach ajv, and each is a ValidationKeyword, hence the cast.
const adapter = `
/** ajv passes the schema's own enum array: its text is built once per schema location. */
const enumTexts = new WeakMap<readonly unknown[], string>();
function enumText(values: unknown): string {
  if (!Array.isArray(values)) return '';
  let text = enumTexts.get(values);
  if (text === undefined) {
    text = values.join(', ');
    enumTexts.set(values, text);
  }
  return text;
}

function describe(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'type':
      return \`must be of type \${String(p.type)}\`;
    case 'enum':
      return \`must be one of: \${enumText(p.allowedValues)}\`;
    case 'format':
      return \`must be a valid \${String(p.format)}\`;
    case 'maxLength':
      return \`must be at most \${String(p.limit)} characters long\`;
    case 'minLength':
      return \`must be at least \${String(p.limit)} characters long\`;
    case 'maxItems':
      return \`must have at most \${String(p.limit)} items\`;
    case 'minItems':
      return \`must have at least \${String(p.limit)} items\`;
    case 'multipleOf':
      return \`must be a multiple of \${String(p.multipleOf)}\`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return \`must be \${String(p.comparison)} \${String(p.limit)}\`;
    case 'pattern':
      return \`must match pattern \${String(p.pattern)}\`;
    default:
      return \`fails \${e.keyword}\`;
  }
}

function failuresOf(errors: readonly AjvError[] | null): readonly ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const e of errors ?? []) {
    const keyword = e.keyword as ValidationKeyword;
    if (keyword === 'required' || keyword === 'additionalProperties') {
      const property = String(keyword === 'required' ? e.params.missingProperty : e.params.additionalProperty);
      const what = keyword === 'required' ? 'is required' : 'is not allowed (unknown property)';
      failures.push({ instancePath: e.instancePath, keyword, property, message: \`\${e.instancePath}/\${property} \${what}\` });
    } else {
      failures.push({ instancePath: e.instancePath, keyword, message: \`\${e.instancePath === '' ? 'payload' : e.instancePath} \${describe(e)}\` });
    }
  }
  return failures;
}

function adapt(validate: { (data: unknown): boolean; errors: AjvError[] | null }): Validator {
  return (payload) => (validate(payload) ? undefined : failuresOf(validate.errors));
}
`;

/**
 * `validators.ts` (built with ts-morph): one `Validator` (protocol.ts) per schema, adapting the
 * raw ajv functions; the adapter is fixed code, added as statements.
 */
export function emitValidatorWrappers(
  validators: readonly WrappedValidator[],
  protocolModule: string,
): string {
  const byModule = new Map<string, string[]>();
  for (const v of validators)
    byModule.set(v.module, [...(byModule.get(v.module) ?? []), v.rawName]);
  const modules = [...byModule.keys()].sort();
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('validators.ts');
  file.addImportDeclaration({
    isTypeOnly: true,
    moduleSpecifier: protocolModule,
    namedImports: ['ValidationFailure', 'ValidationKeyword', 'Validator'],
  });
  const [first] = modules;
  if (first !== undefined) {
    file.addImportDeclaration({
      isTypeOnly: true,
      moduleSpecifier: first,
      namedImports: ['AjvError'],
    });
  }
  for (const m of modules) {
    file.addImportDeclaration({ moduleSpecifier: m, namedImports: byModule.get(m) ?? [] });
  }
  file.addStatements(adapter);
  for (const v of validators) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`Validates a payload against ${v.file}.`],
      declarations: [
        { name: validatorName(v.rawName), type: 'Validator', initializer: `adapt(${v.rawName})` },
      ],
    });
  }
  return file.getFullText();
}
