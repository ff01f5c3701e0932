// What users install is dist/, not src/: build every published package with its own build
// script, then load it in plain Node (no tsx, no source condition) and compare it with src.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionName, ocpp16 } from '@ocpp-kit/messages';
import { beforeAll, describe, expect, test } from 'vitest';
import { defectsOf } from '../../packages/messages/src/test-fixtures/schema-mutations.js';
import { validPayloads } from '../../packages/messages/src/test-fixtures/valid-payloads.js';
import { buildPackage, publishedPackages, repoRoot, run } from './support/build.js';

const testsDir = join(repoRoot, 'tests');

/** Runs an ES module in a plain Node process (no loader hooks, default export conditions). */
const plainNode = (source: string, input?: string) =>
  run(process.execPath, ['--input-type=module', '-e', source], {
    cwd: testsDir,
    env: { PATH: process.env.PATH },
    ...(input === undefined ? {} : { input }),
  });

beforeAll(async () => {
  for (const { dir } of publishedPackages) await buildPackage(dir);
}, 180_000);

describe('published build (dist/)', () => {
  test('every published package imports from dist in plain Node and exposes its API', async () => {
    const names = publishedPackages.map((p) => p.name);
    const result = await plainNode(`
      const out = {};
      for (const name of ${JSON.stringify(names)}) {
        const resolved = import.meta.resolve(name);
        const mod = await import(name);
        out[name] = { resolved, exports: Object.keys(mod).sort() };
      }
      process.stdout.write(JSON.stringify(out));
    `);
    expect(result.stderr).toBe('');
    const loaded = JSON.parse(result.stdout) as Record<
      string,
      { resolved: string; exports: string[] }
    >;
    for (const name of names) {
      expect(loaded[name]?.resolved, name).toMatch(/\/dist\/index\.js$/);
      expect(loaded[name]?.exports.length, name).toBeGreaterThan(0);
    }
    expect(loaded['@ocpp-kit/rpc-core']?.exports).toEqual(
      expect.arrayContaining(['createClient', 'createServer', 'ocpp16', 'RpcError', 'RpcSession']),
    );
    expect(loaded['@ocpp-kit/messages']?.exports).toEqual(
      expect.arrayContaining(['ocpp16', 'validateMeterValuesRequest', 'chargePointStatusValues']),
    );
  });

  test('the bundled, minified build of @ocpp-kit/messages answers every fixture exactly as src does', async () => {
    const manifest = JSON.parse(
      readFileSync(join(repoRoot, 'schemas/ocpp1.6.actions.json'), 'utf8'),
    ) as { actions: { action: ActionName; request: string; response: string }[] };
    const cases: { action: string; role: 'request' | 'response'; payload: unknown }[] = [];
    for (const { action, request, response } of manifest.actions) {
      for (const [role, file] of [
        ['request', request],
        ['response', response],
      ] as const) {
        const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8'));
        const valid = validPayloads[action][role] as unknown[];
        for (const payload of valid) cases.push({ action, role, payload });
        for (const defect of defectsOf(schema, valid[0] as never)) {
          cases.push({ action, role, payload: defect.payload });
        }
      }
    }
    const expected = cases.map(({ action, role, payload }) => {
      const descriptor = ocpp16.actions.get(action as ActionName);
      const validate =
        role === 'request' ? descriptor?.validateRequest : descriptor?.validateResponse;
      return validate?.(payload) ?? null;
    });
    const result = await plainNode(
      `
      import { ocpp16 } from '@ocpp-kit/messages';
      let text = '';
      for await (const chunk of process.stdin) text += chunk;
      const answers = JSON.parse(text).map(({ action, role, payload }) => {
        const d = ocpp16.actions.get(action);
        return (role === 'request' ? d.validateRequest : d.validateResponse)(payload) ?? null;
      });
      process.stdout.write(JSON.stringify(answers));
    `,
      JSON.stringify(cases),
    );
    expect(result.stderr).toBe('');
    expect(cases.length).toBeGreaterThan(500);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(400);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  test('the built ocpp-codegen bin finds the committed output up to date', async () => {
    const result = await run(
      process.execPath,
      [
        join(repoRoot, 'codegen/dist/cli.js'),
        '--schemas',
        'schemas',
        '--manifest',
        'schemas/ocpp1.6.actions.json',
        '--runtime',
        '../runtime.js',
        '--out',
        'packages/messages/src/generated',
        '--check',
      ],
      { cwd: repoRoot },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('up to date');
  });
});
