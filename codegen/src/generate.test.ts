import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { describeQuirks } from './emit-validators.js';
import { generate } from './generate.js';
import { committedOutput, copySchemas, schemasDir } from './test-support/run-cli.js';

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

const optionsFor = (schemas: string) => ({
  schemasDir: schemas,
  manifestPath: join(schemas, 'ocpp1.6.actions.json'),
  typeNamesPath: join(schemas, 'ocpp1.6.types.json'),
  runtimeModule: '../runtime.js',
});

test('output is deterministic: same bytes on every run and from any checkout path', async () => {
  const copy = await copySchemas();
  scratch.push(dirname(copy));
  const first = await generate(optionsFor(schemasDir));
  const second = await generate(optionsFor(copy));
  expect([...second.keys()]).toEqual([...first.keys()]);
  for (const [file, content] of first) {
    expect(second.get(file), file).toBe(content);
    expect(content, file).not.toContain(schemasDir);
    expect(content, file).not.toContain(copy);
    expect(await readFile(join(committedOutput, file), 'utf8'), file).toBe(content);
  }
}, 60_000);

/** Counts, straight from the vendored JSON, the schema locations each quirk rule applies to. */
async function countQuirks(dir: string) {
  const counts = {
    stringAdditionalProperties: 0,
    fractionalMultipleOf: 0,
    javaType: 0,
    additionalItems: 0,
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    if (schema.type === 'string' && 'additionalProperties' in schema)
      counts.stringAdditionalProperties++;
    if (typeof schema.multipleOf === 'number' && !Number.isInteger(schema.multipleOf))
      counts.fractionalMultipleOf++;
    if ('javaType' in schema) counts.javaType++;
    if (
      'additionalItems' in schema &&
      typeof schema.items === 'object' &&
      !Array.isArray(schema.items)
    )
      counts.additionalItems++;
    for (const value of Object.values(schema)) visit(value);
  };
  for (const file of await readdir(join(schemasDir, dir))) {
    visit(JSON.parse(await readFile(join(schemasDir, dir, file), 'utf8')));
  }
  return counts;
}

test('every schema quirk is documented, with its count, in the validator module that handles it', async () => {
  const files = await generate(optionsFor(schemasDir));
  const ocpp = files.get('ajv-ocpp1.6.ts') ?? '';
  const security = files.get('ajv-security.ts') ?? '';
  const inOcpp = await countQuirks('ocpp1.6');
  const inSecurity = await countQuirks('security');
  expect(inOcpp.stringAdditionalProperties).toBeGreaterThan(0);
  expect(inOcpp.fractionalMultipleOf).toBeGreaterThan(0);
  expect(ocpp).toContain(
    `dropped: additionalProperties on a "string" schema (${inOcpp.stringAdditionalProperties})`,
  );
  expect(ocpp).toContain(
    'ocpp1.6/SetChargingProfile.json#/properties/csChargingProfiles/properties/chargingSchedule/properties/chargingSchedulePeriod/items/properties/limit/multipleOf',
  );
  expect(ocpp).toMatch(
    new RegExp(`kept: fractional multipleOf .* 8\\.7 .* \\(${inOcpp.fractionalMultipleOf}\\):`),
  );
  expect(security).toContain(
    `dropped: additionalProperties on a "string" schema (${inSecurity.stringAdditionalProperties})`,
  );
  expect(security).toContain(
    `dropped: javaType is a code-generation hint (${inSecurity.javaType})`,
  );
  expect(security).toContain(
    `dropped: additionalItems has no effect beside a single-schema items (${inSecurity.additionalItems})`,
  );
  expect(describeQuirks([])).toBe('/** Schema quirks: none in these schemas. */');
}, 60_000);
