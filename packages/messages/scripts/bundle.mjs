// The package's JavaScript is one minified ES module, built by esbuild from src/index.ts (tsc
// emits only the .d.ts files). Why: the generated ajv modules nest deeply (tsc's indentation alone
// doubled their size) and Node 20 pays per module loaded, so ten tsc outputs took ~19 ms to
// import and the bundle ~14 ms (docs/benchmarks.md). Exported names are kept; the
// published-build test checks that the bundle answers every fixture exactly as src does.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  outfile: new URL('../dist/index.js', import.meta.url).pathname,
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
