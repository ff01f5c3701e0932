// Packs the published packages the way `pnpm publish` does (prepack builds, workspace: ranges
// become versions) and reads the tarballs without a tar binary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type PublishedPackage, publishedPackages, repoRoot, rootManifest, run } from './build.js';

/** A package.json as a consumer reads it. */
export type PackageManifest = Record<string, unknown> & {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly engines?: { readonly node?: string };
};

export interface PackedPackage extends PublishedPackage {
  readonly tarball: string;
  /** The tarball's files, keyed by their path inside it (`package/...`). */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Its `package/package.json`, as pnpm rewrote it. */
  readonly manifest: PackageManifest;
}

const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');

/** `pnpm pack` of every published package into `destination`, in build order. */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const pkg of publishedPackages) {
    const result = await run(
      'npx',
      ['--yes', `pnpm@${pnpmVersion}`, 'pack', '--json', '--pack-destination', destination],
      { cwd: join(repoRoot, pkg.dir), env: process.env },
    );
    if (result.code !== 0) {
      throw new Error(
        `pnpm pack in ${pkg.dir} failed (${result.code}):\n${result.stdout}${result.stderr}`,
      );
    }
    // --json prints the tarball's path after whatever the prepack build printed.
    const json = result.stdout.slice(result.stdout.lastIndexOf('\n{') + 1);
    const tarball = (JSON.parse(json) as { filename: string }).filename;
    const files = readTarball(tarball);
    const manifest = JSON.parse(
      (files.get('package/package.json') as Buffer).toString('utf8'),
    ) as PackageManifest;
    packed.push({ ...pkg, tarball, files, manifest });
  }
  return packed;
}

/** The files of a .tgz, keyed by their path inside it (`package/...`), with their contents. */
function readTarball(path: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const body = offset + 512;
    if (field(156, 1) === '0' || field(156, 1) === '')
      files.set(name, tar.subarray(body, body + size));
    offset = body + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Every file a manifest names for consumers: `exports` leaves, `main`, `types`, `bin`. */
export function filesNamedBy(manifest: Record<string, unknown>): string[] {
  const named: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') named.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(manifest.exports);
  for (const field of ['main', 'module', 'types', 'typings']) visit(manifest[field]);
  visit(typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin ?? {}));
  return [...new Set(named.map((file) => file.replace(/^\.\//, '')))].sort();
}
