// A project outside the workspace that installs the packed tarballs with npm, as a user does:
// no workspace links, no source condition, TypeScript as strict as a careful user sets it.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rootManifest, run } from './build.js';
import type { PackedPackage } from './pack.js';

/** The consumer's compiler options: strict plus the flags that catch the most. */
export const consumerCompilerOptions = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: false,
  outDir: 'dist',
};

export interface ConsumerProject {
  readonly dir: string;
  /** npm's output of the install. */
  readonly install: { readonly stdout: string; readonly stderr: string };
  /** Runs a command in the project directory. */
  run(command: string, args: readonly string[]): ReturnType<typeof run>;
  /** `tsc -p <config>` with the project's TypeScript. */
  tsc(config: string): ReturnType<typeof run>;
  write(file: string, content: string): Promise<void>;
}

export async function createConsumerProject(
  packed: readonly PackedPackage[],
): Promise<ConsumerProject> {
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-kit-consumer-'));
  const tarballs = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  const manifest = {
    name: 'ocpp-kit-consumer',
    private: true,
    type: 'module',
    dependencies: tarballs,
    devDependencies: {
      typescript: rootManifest.devDependencies.typescript,
      '@types/node': rootManifest.devDependencies['@types/node'],
    },
    // The packages depend on each other by version (^0.1.0): take the tarballs, never the registry.
    overrides: Object.fromEntries(packed.map((p) => [p.name, `$${p.name}`])),
  };
  const write = (file: string, content: string) => writeFile(join(dir, file), content);
  await write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  await write(
    'tsconfig.json',
    `${JSON.stringify({ compilerOptions: consumerCompilerOptions, include: ['src'] }, null, 2)}\n`,
  );
  // A user's shell, not the `pnpm test` that runs us: pnpm's npm_config_* settings make npm warn.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_)/i.test(name)),
  );
  const runHere = (command: string, args: readonly string[], timeoutMs?: number) =>
    run(command, args, { cwd: dir, env, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  // better-sqlite3 (charge-point-kit) builds from source when no prebuilt binary is reachable.
  const install = await runHere(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=warn'],
    300_000,
  );
  if (install.code !== 0) {
    throw new Error(
      `npm install in ${dir} failed (${install.code}):\n${install.stdout}${install.stderr}`,
    );
  }
  return {
    dir,
    install,
    run: runHere,
    tsc: (config) =>
      runHere(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', config]),
    write: async (file, content) => {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await write(file, content);
    },
  };
}
