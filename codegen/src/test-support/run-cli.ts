import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const codegenDir = fileURLToPath(new URL('../../', import.meta.url));
/** TypeScript's own CLI, run with this Node. */
export const typescriptCli = createRequire(import.meta.url).resolve('typescript/bin/tsc');
export const schemasDir = join(repoRoot, 'schemas');
export const committedOutput = join(repoRoot, 'packages/messages/src/generated');
const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `ocpp-codegen` CLI (through tsx) in a child process. */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return runNode(['--import', 'tsx', cli, ...args]);
}

/** Runs Node with `args` in the repository root. */
export function runNode(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Arguments for a generation run over `schemas` writing to `out`, as `pnpm codegen` runs it. */
export function cliArgs(schemas: string, out: string, runtime = '../runtime.js'): string[] {
  return [
    '--schemas',
    schemas,
    '--manifest',
    join(schemas, 'ocpp1.6.actions.json'),
    '--runtime',
    runtime,
    '--out',
    out,
  ];
}

/** A scratch copy of `schemas/` the test may edit. */
export async function copySchemas(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-codegen-'));
  const copy = join(dir, 'schemas');
  await cp(schemasDir, copy, { recursive: true });
  return copy;
}

export async function editJson(
  path: string,
  edit: (json: Record<string, unknown>) => void,
): Promise<void> {
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(path, `${JSON.stringify(json, null, 2)}\n`);
}
