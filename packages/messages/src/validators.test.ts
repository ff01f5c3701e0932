import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type ActionName, ocpp16 } from './index.js';
import { defectsOf } from './test-fixtures/schema-mutations.js';
import { validPayloads } from './test-fixtures/valid-payloads.js';

const schemasDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${schemasDir}ocpp1.6.actions.json`, 'utf8')) as {
  actions: { action: ActionName; request: string; response: string }[];
};
const cases = manifest.actions.flatMap((a) => [
  { file: a.request, action: a.action, role: 'request' as const },
  { file: a.response, action: a.action, role: 'response' as const },
]);

test('every one of the 78 schemas of the manifest has fixtures', () => {
  expect(cases).toHaveLength(78);
  expect(new Set(cases.map((c) => c.file)).size).toBe(78);
});

describe.each(cases)('$file', ({ file, action, role }) => {
  const descriptor = ocpp16.actions.get(action);
  const validate = role === 'request' ? descriptor?.validateRequest : descriptor?.validateResponse;
  const schema = JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8')) as Record<
    string,
    unknown
  >;
  const valid = validPayloads[action][role] as unknown[];

  test('accepts the valid fixtures', () => {
    expect(valid.length).toBeGreaterThan(0);
    for (const payload of valid) expect(validate?.(payload)).toBeUndefined();
  });

  test('rejects a non-object payload', () => {
    for (const bad of [null, 'text', 42, []]) {
      expect(validate?.(bad)).toEqual([
        expect.objectContaining({ instancePath: '', keyword: 'type' }),
      ]);
    }
  });

  const defects = defectsOf(schema, valid[0] as never);
  test.each(defects)('reports $name', (defect) => {
    const failures = validate?.(defect.payload);
    expect(failures).toHaveLength(1);
    const [failure] = failures ?? [];
    expect(failure?.instancePath).toBe(defect.instancePath);
    expect(failure?.keyword).toBe(defect.keyword);
    expect(failure?.property).toBe(defect.property);
    const field =
      defect.property === undefined
        ? defect.instancePath
        : `${defect.instancePath}/${defect.property}`;
    expect(failure?.message).toContain(field === '' ? 'payload' : field);
  });
});

test('the derived defects cover each kind of invalid payload', () => {
  const kinds = new Set<string>();
  for (const { file, action, role } of cases) {
    const schema = JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8')) as Record<
      string,
      unknown
    >;
    for (const d of defectsOf(schema, validPayloads[action][role][0] as never))
      kinds.add(d.name.replace(/^.*: /, ''));
  }
  expect([...kinds].sort()).toEqual([
    'additional property',
    'bad date-time',
    'bad enum value',
    'bad uri',
    'missing required',
    'over-long string',
    'wrong type',
  ]);
});
