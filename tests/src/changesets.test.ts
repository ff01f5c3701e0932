// Regression: the Markdown formatter once rewrote changeset front matter into a heading, and
// `changeset version` then refused every file. Each changeset must parse and name a real package.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parseChangeset from '@changesets/parse';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function publishedPackages(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const dir of [
    'codegen',
    ...(await readdir(join(root, 'packages'))).map((d) => `packages/${d}`),
  ]) {
    const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
    };
    if (manifest.private !== true) names.add(manifest.name);
  }
  return names;
}

test('changesets keep their front matter: each parses and releases published packages only', async () => {
  const dir = join(root, '.changeset');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md');
  expect(files.length).toBeGreaterThan(0);
  const known = await publishedPackages();
  for (const file of files) {
    const { releases, summary } = parseChangeset(await readFile(join(dir, file), 'utf8'));
    expect(releases.length, file).toBeGreaterThan(0);
    for (const release of releases)
      expect(known, `${file}: ${release.name}`).toContain(release.name);
    expect(summary.length, file).toBeGreaterThan(20);
  }
});
