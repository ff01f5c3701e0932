import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The root package.json: the pnpm version, the engines and tool versions every package follows. */
export const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  readonly packageManager: string;
  readonly engines: { readonly node: string };
  readonly devDependencies: Readonly<Record<string, string>>;
};

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

export interface PublishedPackage {
  /** Relative to the repository root, e.g. `packages/messages`. */
  readonly dir: string;
  readonly name: string;
}

/**
 * The packages users install: every workspace manifest (packages/* and codegen) that is not
 * private, in build order: each comes after the published packages it depends on
 * (`dependencies` and `devDependencies`); ties keep directory order.
 */
function readPublishedPackages(): readonly PublishedPackage[] {
  const dirs = [
    'codegen',
    ...readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `packages/${entry.name}`),
  ].sort();
  const manifests = new Map<string, { dir: string; manifest: Manifest }>();
  for (const dir of dirs) {
    const file = join(repoRoot, dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.private !== true) manifests.set(manifest.name, { dir, manifest });
  }
  const dependsOn = (manifest: Manifest) =>
    Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
      (name) => name !== manifest.name && manifests.has(name),
    );
  const ordered: PublishedPackage[] = [];
  const placed = new Set<string>();
  while (placed.size < manifests.size) {
    const ready = [...manifests.entries()].find(
      ([name, { manifest }]) =>
        !placed.has(name) && dependsOn(manifest).every((dependency) => placed.has(dependency)),
    );
    if (ready === undefined) {
      const left = [...manifests.keys()].filter((name) => !placed.has(name));
      throw new Error(`dependency cycle among published packages: ${left.join(', ')}`);
    }
    const [name, { dir }] = ready;
    placed.add(name);
    ordered.push({ dir, name });
  }
  return ordered;
}

/** The packages users install, in build order (each after the published packages it depends on). */
export const publishedPackages: readonly PublishedPackage[] = readPublishedPackages();

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64e6,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
