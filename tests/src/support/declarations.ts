// Which modules a package's published declarations make a consumer's compiler load.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const specifiers = /(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g;

/**
 * The bare module specifiers reachable from `entries` (.d.ts files) through relative imports,
 * each with the first declaration file that names it.
 */
export function bareImportsOf(entries: readonly string[]): Map<string, string> {
  const bare = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(specifiers)) {
      const name = specifier as string;
      if (!name.startsWith('.')) {
        if (!bare.has(name)) bare.set(name, file);
        continue;
      }
      const target = resolve(dirname(file), name).replace(/\.js$/, '.d.ts');
      const candidate = existsSync(target)
        ? target
        : join(target.replace(/\.d\.ts$/, ''), 'index.d.ts');
      if (existsSync(candidate)) queue.push(candidate);
    }
  }
  return bare;
}

/** The package a bare specifier belongs to: `@scope/name/sub` -> `@scope/name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}
