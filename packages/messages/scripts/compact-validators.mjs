// Runs after tsc: the generated ajv modules nest deeply and tsc indents every level, so more than
// half of their bytes are white space, and parsing them is most of this package's import time.
// esbuild minifies them (white space, local names; exported names stay): 563 KB -> 203 KB. The
// published-build test checks they still answer every fixture as src does. Their source maps
// would then point nowhere, so they go too.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';

const dir = new URL('../dist/generated/', import.meta.url).pathname;
const modules = (await readdir(dir)).filter((f) => f.startsWith('ajv-') && f.endsWith('.js'));
if (modules.length === 0) throw new Error(`no generated ajv modules in ${dir}; run tsc first`);
for (const file of modules) {
  const path = join(dir, file);
  const { code } = await transform(await readFile(path, 'utf8'), {
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
  });
  await writeFile(path, code);
  await rm(`${path}.map`, { force: true });
}
