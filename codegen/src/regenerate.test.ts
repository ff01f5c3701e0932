import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { cliArgs, copySchemas, editJson, repoRoot, runCli } from './test-support/run-cli.js';

type Validate = (
  payload: unknown,
) => readonly { instancePath: string; keyword: string }[] | undefined;

let scratch: string | undefined;
afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

// The user workflow of packages/messages/README.md: edit a schema, regenerate, use the result.
test('a new enum value and a new optional field reach the generated types and validators', async () => {
  const schemas = await copySchemas();
  scratch = dirname(schemas);
  await editJson(join(schemas, 'ocpp1.6/Reset.json'), (s) => {
    const properties = s.properties as Record<string, { enum?: string[] }>;
    properties.type?.enum?.push('Warm');
    properties.delay = { type: 'integer' } as never;
  });

  // The generated modules import `../runtime.js` of the package, as in @ocpp-kit/messages.
  const pkg = join(scratch, 'package', 'src');
  await mkdir(pkg, { recursive: true });
  for (const file of ['runtime.ts', 'protocol.ts', 'formats.ts']) {
    await copyFile(join(repoRoot, 'packages/messages/src', file), join(pkg, file));
  }
  const out = join(pkg, 'generated');
  const result = await runCli(cliArgs(schemas, out));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);

  const types = await readFile(join(out, 'types.ts'), 'utf8');
  expect(types).toContain("export type ResetType = 'Hard' | 'Soft' | 'Warm';");
  expect(types).toMatch(
    /export interface ResetRequest \{\n {2}type: ResetType;\n {2}delay\?: number;\n\}/,
  );
  expect(await readFile(join(out, 'enum-values.ts'), 'utf8')).toContain(
    "export const resetTypeValues = ['Hard', 'Soft', 'Warm'] as const",
  );

  const { validateResetRequest } = (await import(
    pathToFileURL(join(out, 'validators.ts')).href
  )) as {
    validateResetRequest: Validate;
  };
  expect(validateResetRequest({ type: 'Warm', delay: 30 })).toBeUndefined();
  expect(validateResetRequest({ type: 'Hard', delay: 'soon' })).toEqual([
    expect.objectContaining({ instancePath: '/delay', keyword: 'type' }),
  ]);
  expect(validateResetRequest({ type: 'Cold' })).toEqual([
    expect.objectContaining({ instancePath: '/type', keyword: 'enum' }),
  ]);

  // The committed package, generated from the unchanged schemas, still rejects both.
  const committed = await import('@ocpp-kit/messages');
  expect(committed.validateResetRequest({ type: 'Warm' })).toEqual([
    expect.objectContaining({ instancePath: '/type', keyword: 'enum' }),
  ]);
  expect(committed.validateResetRequest({ type: 'Hard', delay: 30 })).toEqual([
    expect.objectContaining({ keyword: 'additionalProperties', property: 'delay' }),
  ]);
});
