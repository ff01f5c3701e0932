// `pnpm build`: a clean dist/ with tsc's .d.ts files and one minified ES module bundled by esbuild
// from src/index.ts. Why one module: the generated ajv modules nest deeply (tsc's indentation alone
// doubled their size) and Node 20 pays per module loaded, so ten tsc outputs took ~19 ms to
// import and the bundle ~14 ms (docs/benchmarks.md). Exported names are kept; the
// published-build test checks that the bundle answers every fixture exactly as src does.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = fileURLToPath(new URL('..', import.meta.url));
// Stale outputs of an older layout would otherwise be published with `files: ["dist"]`.
rmSync(`${pkg}dist`, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const declarations = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: pkg,
  stdio: 'inherit',
});
if (declarations.status !== 0) process.exit(declarations.status ?? 1);
await build({
  entryPoints: [`${pkg}src/index.ts`],
  outfile: `${pkg}dist/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
