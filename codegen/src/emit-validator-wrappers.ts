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
function fieldPath(instancePath: string, property: unknown): string {
  return \`\${instancePath}/\${String(property)}\`;
}

function failuresOf(errors: readonly AjvError[] | null | undefined): readonly ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const e of errors ?? []) {
    const keyword = e.keyword as ValidationKeyword;
    if (keyword === 'required') {
      const property = String(e.params.missingProperty);
      failures.push({ instancePath: e.instancePath, keyword, property, message: \`\${fieldPath(e.instancePath, property)} is required\` });
    } else if (keyword === 'additionalProperties') {
      const property = String(e.params.additionalProperty);
      failures.push({ instancePath: e.instancePath, keyword, property, message: \`\${fieldPath(e.instancePath, property)} is not allowed (unknown property)\` });
    } else {
      const allowed = keyword === 'enum' && Array.isArray(e.params.allowedValues) ? \`: \${e.params.allowedValues.join(', ')}\` : '';
      failures.push({ instancePath: e.instancePath, keyword, message: \`\${e.instancePath === '' ? 'payload' : e.instancePath} \${e.message ?? 'is invalid'}\${allowed}\` });
    }
  }
  if (failures.length === 0) failures.push({ instancePath: '', keyword: 'type', message: 'payload is invalid' });
  return failures;
}

function adapt(validate: { (data: unknown): boolean; errors: AjvError[] | null }): Validator {
  return (payload) => (validate(payload) ? undefined : failuresOf(validate.errors));
}
`;

/** `validators.ts`: one `Validator` (protocol.ts) per schema, adapting the raw ajv functions. */
export function emitValidatorWrappers(
  validators: readonly WrappedValidator[],
  protocolModule: string,
): string {
  const byModule = new Map<string, string[]>();
  for (const v of validators)
    byModule.set(v.module, [...(byModule.get(v.module) ?? []), v.rawName]);
  const modules = [...byModule.keys()].sort();
  const lines = [
    `import type { ValidationFailure, ValidationKeyword, Validator } from '${protocolModule}';`,
    `import type { AjvError } from '${modules[0]}';`,
    ...modules.map((m) => `import { ${(byModule.get(m) ?? []).join(', ')} } from '${m}';`),
    adapter,
    ...validators.map(
      (v) =>
        `/** Validates a payload against ${v.file}. */\nexport const ${validatorName(v.rawName)}: Validator = adapt(${v.rawName});`,
    ),
  ];
  return lines.join('\n');
}
