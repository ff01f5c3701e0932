// Regression: the Markdown formatter once rewrote changeset front matter into a heading, and
// `changeset version` then refused every file. Each changeset must parse and name a real package.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import parseChangeset from '@changesets/parse';
import { expect, test } from 'vitest';
import { publishedPackages, repoRoot } from './support/build.js';

test('changesets keep their front matter: each parses and releases published packages only', async () => {
  const dir = join(repoRoot, '.changeset');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md');
  expect(files.length).toBeGreaterThan(0);
  const known = new Set(publishedPackages.map((p) => p.name));
  expect(known.size).toBeGreaterThan(0);
  for (const file of files) {
    const { releases, summary } = parseChangeset(await readFile(join(dir, file), 'utf8'));
    expect(releases.length, file).toBeGreaterThan(0);
    for (const release of releases)
      expect(known, `${file}: ${release.name}`).toContain(release.name);
    expect(summary.length, file).toBeGreaterThan(20);
  }
});
