// What users install: every published package packed as `pnpm publish` packs it (prepack builds
// from a clean slate), checked as a tarball, loaded from dist/ in plain Node, then installed with
// npm into a strict TypeScript project outside the workspace that compiles the README snippets,
// runs a CSMS and a charge point against each other and regenerates the protocol with the
// installed `ocpp-codegen`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionName, ocpp16 } from '@ocpp-kit/messages';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defectsOf } from '../../packages/messages/src/test-fixtures/schema-mutations.js';
import { validPayloads } from '../../packages/messages/src/test-fixtures/valid-payloads.js';
import { publishedPackages, repoRoot, rootManifest, run } from './support/build.js';
import { type ConsumerProject, createConsumerProject } from './support/consumer-project.js';
import { bareImportsOf, packageOf } from './support/declarations.js';
import { filesNamedBy, type PackedPackage, packAll } from './support/pack.js';
import { snippetsOf } from './support/readme-snippets.js';

const testsDir = join(repoRoot, 'tests');
const consumerFixtures = join(testsDir, 'src/consumer');
const repositoryUrl = 'https://github.com/ocpp-kit/ocpp-kit/blob/main/';

/** Runs an ES module in a plain Node process (no loader hooks, default export conditions). */
const plainNode = (source: string, input?: string) =>
  run(process.execPath, ['--input-type=module', '-e', source], {
    cwd: testsDir,
    env: { PATH: process.env.PATH },
    ...(input === undefined ? {} : { input }),
  });

let scratch: string;
let packed: PackedPackage[];

beforeAll(async () => {
  // Regression: `pnpm pack` of an unbuilt package made a tarball without dist/. Start unbuilt,
  // so every tarball below is complete only if prepack built it.
  for (const { dir } of publishedPackages) {
    rmSync(join(repoRoot, dir, 'dist'), { recursive: true, force: true });
  }
  rmSync(join(repoRoot, 'codegen/schemas'), { recursive: true, force: true });
  scratch = await mkdtemp(join(tmpdir(), 'ocpp-kit-packed-'));
  packed = await packAll(scratch);
}, 300_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('tarballs (pnpm pack, as published)', () => {
  test('every file that exports, bin, main or types names is in the tarball, with README and LICENSE', () => {
    expect(packed.map((p) => p.name)).toEqual(publishedPackages.map((p) => p.name));
    const license = readFileSync(join(repoRoot, 'LICENSE'));
    for (const { name, files, manifest } of packed) {
      const named = filesNamedBy(manifest);
      expect(named.length, name).toBeGreaterThan(1);
      const missing = named.filter((file) => !files.has(`package/${file}`));
      expect(missing, `${name} names files its tarball lacks`).toEqual([]);
      expect(files.has('package/README.md'), name).toBe(true);
      expect(files.get('package/LICENSE')?.equals(license), `${name} LICENSE`).toBe(true);
      const tests = [...files.keys()].filter((file) =>
        /\.test(-d)?\.ts$|test-fixtures|test-support/.test(file),
      );
      expect(tests, `${name} ships no tests`).toEqual([]);
    }
  });

  test('manifests: versions instead of workspace: ranges, the root engines, MIT, a repository', () => {
    for (const { name, manifest } of packed) {
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
      expect(manifest.engines?.node, name).toBe(rootManifest.engines.node);
      expect(manifest.license, name).toBe('MIT');
      expect(manifest.repository, name).toMatchObject({
        url: expect.stringContaining('github.com/ocpp-kit/ocpp-kit'),
      });
    }
  });

  test('regression: bin targets are committed files, so installing the workspace links them before any build', () => {
    for (const { dir } of publishedPackages) {
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
        bin?: Record<string, string>;
      };
      for (const target of Object.values(manifest.bin ?? {})) {
        expect(target, dir).not.toMatch(/^(\.\/)?dist\//);
        expect(
          () =>
            execFileSync('git', ['ls-files', '--error-unmatch', target], {
              cwd: join(repoRoot, dir),
              stdio: 'pipe',
            }),
          `${dir}/${target} is tracked`,
        ).not.toThrow();
      }
    }
  });

  test('regression: README links pointed at ../../docs; relative links resolve in the tarball, repository links in this repository', () => {
    for (const { name, files, dir } of packed) {
      const readme = (files.get('package/README.md') as Buffer).toString('utf8');
      for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = (target as string).replace(/#.*$/, '');
        if (link === '') continue;
        if (link.startsWith(repositoryUrl)) {
          expect(
            existsSync(join(repoRoot, link.slice(repositoryUrl.length))),
            `${name}: ${target}`,
          ).toBe(true);
        } else if (!/^https?:/.test(link)) {
          expect(
            files.has(`package/${link.replace(/^\.\//, '')}`),
            `${name} (${dir}): ${target}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe('published build (dist/, built by prepack)', () => {
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

describe('an npm consumer outside the workspace (strict TypeScript, NodeNext)', () => {
  let project: ConsumerProject;
  let compiled: Awaited<ReturnType<ConsumerProject['tsc']>>;
  let regenerated: Awaited<ReturnType<ConsumerProject['run']>>;

  beforeAll(async () => {
    project = await createConsumerProject(packed);
    await project.write('src/main.ts', await readFile(join(consumerFixtures, 'main.ts'), 'utf8'));
    await project.write(
      'src/snippets/globals.d.ts',
      await readFile(join(consumerFixtures, 'snippet-globals.d.ts'), 'utf8'),
    );
    const readmes = [
      { file: join(repoRoot, 'README.md'), prefix: 'root', origin: 'README.md of the repository' },
      ...packed.map(({ name }) => ({
        file: join(project.dir, 'node_modules', name, 'README.md'),
        prefix: name.replace('@ocpp-kit/', ''),
        origin: `README.md of ${name} (as installed)`,
      })),
    ];
    for (const { file, prefix, origin } of readmes) {
      for (const snippet of snippetsOf(await readFile(file, 'utf8'), prefix, origin)) {
        await project.write(`src/snippets/${snippet.file}`, snippet.source);
      }
    }
    regenerated = await project.run('npx', ['ocpp-codegen', '--out', 'src/generated']);
    compiled = await project.tsc('tsconfig.json');
  }, 300_000);
  afterAll(() =>
    project === undefined ? undefined : rm(project.dir, { recursive: true, force: true }),
  );

  test('npm installs the tarballs without warnings about bins or peers', () => {
    expect(project.install.stderr).not.toMatch(/bin|ENOENT|peer/i);
  });

  test('regression: the installed ocpp-codegen shipped no schemas; `--out` alone regenerates OCPP 1.6 + security', async () => {
    expect(regenerated.stderr).toBe('');
    expect(regenerated.stdout).toMatch(/^ocpp-codegen: wrote 7 files to /);
    expect(regenerated.code).toBe(0);
    const generated = join(project.dir, 'src/generated');
    const installed = join(project.dir, 'node_modules/@ocpp-kit/messages/src/generated');
    expect(readdirSync(generated).sort()).toEqual(readdirSync(installed).sort());
    // Same types byte for byte; the modules import their run time from @ocpp-kit/messages.
    expect(await readFile(join(generated, 'types.ts'), 'utf8')).toBe(
      await readFile(join(installed, 'types.ts'), 'utf8'),
    );
    for (const file of readdirSync(generated).filter(
      (f) => f !== 'types.ts' && f !== 'enum-values.ts',
    )) {
      const text = await readFile(join(generated, file), 'utf8');
      expect(text, file).toContain("from '@ocpp-kit/messages'");
      expect(text, file).not.toContain('../runtime.js');
    }
    const check = await project.run('npx', ['ocpp-codegen', '--out', 'src/generated', '--check']);
    expect(check.stdout, check.stderr).toContain('up to date');
    expect(check.code).toBe(0);
  });

  test('regression: @types/ws and payload types were missing; README snippets, the program and the regenerated modules type-check', () => {
    expect(project.install.stdout + project.install.stderr).not.toContain('@types/ws');
    expect(existsSync(join(project.dir, 'node_modules/@types/ws'))).toBe(false);
    const snippets = readdirSync(join(project.dir, 'src/snippets')).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
    );
    expect(snippets.length).toBeGreaterThan(15);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
  });

  test('the published declarations import only node: built-ins and declared dependencies', () => {
    for (const { name, manifest } of packed) {
      const root = join(project.dir, 'node_modules', name);
      const entries = filesNamedBy({ exports: manifest.exports, types: manifest.types })
        .filter((file) => file.endsWith('.d.ts'))
        .map((file) => join(root, file));
      expect(entries.length, name).toBeGreaterThan(0);
      const allowed = new Set([name, ...Object.keys(manifest.dependencies ?? {})]);
      const undeclared = [...bareImportsOf(entries)].filter(
        ([specifier]) =>
          !specifier.startsWith('node:') &&
          !builtinModules.includes(specifier) &&
          !allowed.has(packageOf(specifier)),
      );
      expect(undeclared, name).toEqual([]);
    }
  });

  test('regression: a wrong-side handler or call fails to compile with a sentence naming the side and the action', async () => {
    await project.write(
      'wrong-side/wrong-side.ts',
      `import { createClient, createServer, ocpp16 } from '@ocpp-kit/rpc-core';
const server = createServer({ protocol: ocpp16, securityProfile: 0 });
server.router.on('Reset', () => ({ status: 'Accepted' }));
const client = createClient({ protocol: ocpp16, url: 'ws://127.0.0.1:1', identity: 'CP1', securityProfile: 0 });
void client.call('Reset', { type: 'Soft' });
`,
    );
    await project.write(
      'wrong-side/tsconfig.json',
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true },
        include: ['.'],
      }),
    );
    const result = await project.tsc('wrong-side/tsconfig.json');
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(
      `is not assignable to parameter of type '"CentralSystem never receives a 'Reset' CALL; register handlers only for actions sent ChargePointToCentralSystem"'`,
    );
    expect(result.stdout).toContain(
      `is not assignable to parameter of type '"ChargePoint never sends a 'Reset' CALL; call only actions sent ChargePointToCentralSystem"'`,
    );
    expect(result.stdout.match(/error TS/g)).toHaveLength(2);
  });

  test('the program runs: boot, status, a transaction with a TxProfile, an operator command and CertificateSigned on 127.0.0.1', async () => {
    expect(compiled.code).toBe(0);
    const result = await project.run(process.execPath, ['dist/main.js']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    expect(summary).toEqual({
      boot: 'Accepted',
      statuses: ['Available', 'Charging'],
      authorize: 'Accepted',
      transactionId: 42,
      setChargingProfile: 'Accepted',
      composite: 'Accepted',
      compositeLimit: 16,
      changeConfiguration: 'Accepted',
      signCertificate: 'Accepted',
      certificateSigned: 'Accepted',
      credentialsCommonNames: ['CP-CONSUMER'],
      regeneratedActions: ocpp16.actions.size,
      regeneratedAgrees: true,
    });
  });
});
