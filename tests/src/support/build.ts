import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The packages users install, in build order (each after the packages it imports). */
export const publishedPackages = [
  { dir: 'packages/messages', name: '@ocpp-kit/messages' },
  { dir: 'packages/security', name: '@ocpp-kit/security' },
  { dir: 'packages/schedule', name: '@ocpp-kit/schedule' },
  { dir: 'packages/rpc-core', name: '@ocpp-kit/rpc-core' },
  { dir: 'codegen', name: '@ocpp-kit/codegen' },
] as const;

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64e6 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a package's own `build` script the way `pnpm run build` does (its bins on PATH). */
export async function buildPackage(dir: string): Promise<void> {
  const cwd = join(repoRoot, dir);
  const manifest = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as {
    scripts: { build: string };
  };
  const path = [
    join(cwd, 'node_modules/.bin'),
    join(repoRoot, 'node_modules/.bin'),
    process.env.PATH,
  ]
    .filter(Boolean)
    .join(delimiter);
  const result = await run('sh', ['-c', manifest.scripts.build], {
    cwd,
    env: { ...process.env, PATH: path },
  });
  if (result.code !== 0) {
    throw new Error(`building ${dir} failed (${result.code}):\n${result.stdout}${result.stderr}`);
  }
}
