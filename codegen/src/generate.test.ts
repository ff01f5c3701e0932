import { readFile, rm } from 'node:fs/promises';
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

test('every schema quirk is documented in the validator module that handles it', async () => {
  const files = await generate(optionsFor(schemasDir));
  const ocpp = files.get('ajv-ocpp1.6.ts') ?? '';
  const security = files.get('ajv-security.ts') ?? '';
  expect(ocpp).toContain('dropped: additionalProperties on a "string" schema (52)');
  expect(ocpp).toContain(
    'ocpp1.6/SetChargingProfile.json#/properties/csChargingProfiles/properties/chargingSchedule/properties/chargingSchedulePeriod/items/properties/limit/multipleOf',
  );
  expect(ocpp).toMatch(/kept: fractional multipleOf .* 8\.7 .* \(6\):/);
  expect(security).toContain('dropped: additionalProperties on a "string" schema (16)');
  expect(security).toContain('dropped: javaType is a code-generation hint (1)');
  expect(security).toContain(
    'dropped: additionalItems has no effect beside a single-schema items (1)',
  );
  expect(describeQuirks([])).toBe('/** Schema quirks: none in these schemas. */');
}, 60_000);
