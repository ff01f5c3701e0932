// The kit's layers (docs/architecture.md, "Inside charge-point-kit"): storage <- config, queue <-
// core <- behaviours <- the wiring; a behaviour never imports another; only the storage adapter
// knows the SQLite driver. Read from the import statements of the sources, so a new file obeys too.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));
const sources = (readdirSync(src, { recursive: true }) as string[])
  .filter(
    (file) =>
      file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file) && !file.startsWith('test-helpers'),
  )
  .map((file) => file.split('\\').join('/'));

const rank = (file: string): number => {
  if (file.startsWith('storage/')) return 0;
  if (file.startsWith('config/') || file.startsWith('queue/')) return 1;
  if (file.startsWith('core/')) return 2;
  if (file.startsWith('behaviours/')) return 3;
  return 4; // charge-point.ts, charge-point-options.ts, index.ts
};
// Leaves every layer may use.
const leaves = new Set(['errors.ts', 'core/timers.ts']);

const importsOf = (file: string): string[] =>
  [
    ...readFileSync(join(src, file), 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm),
  ].map(([, specifier]) => specifier as string);
const local = (file: string, specifier: string) =>
  relative(src, resolve(join(src, dirname(file)), specifier))
    .replace(/\.js$/, '.ts')
    .split('\\')
    .join('/');

describe('layering of charge-point-kit', () => {
  test('every import points down a layer (or to a leaf), never up', () => {
    const upward: string[] = [];
    for (const file of sources) {
      for (const specifier of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = local(file, specifier);
        if (!leaves.has(target) && rank(target) > rank(file)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(sources.length).toBeGreaterThan(20);
    expect(upward).toEqual([]);
  });

  test('a behaviour never imports another behaviour', () => {
    const across = sources
      .filter((file) => file.startsWith('behaviours/'))
      .flatMap((file) =>
        importsOf(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => local(file, s))
          .filter((target) => target.startsWith('behaviours/'))
          .map((target) => `${file} -> ${target}`),
      );
    expect(across).toEqual([]);
  });

  test('only the storage adapter imports the SQLite driver', () => {
    const drivers = sources.filter((file) => importsOf(file).some((s) => s === 'better-sqlite3'));
    expect(drivers).toEqual(['storage/open-sqlite-database.ts']);
  });
});
