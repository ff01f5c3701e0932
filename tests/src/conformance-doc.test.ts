// docs/conformance.md lists every OCTT case once, each pointing at a test file that has a test
// named after the case (or, for a `_CS` case, saying why there is none): a renamed or dropped
// scenario fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './support/build.js';

const cases = JSON.parse(
  readFileSync(join(repoRoot, 'docs', 'conformance', 'octt-1.6-testcases.json'), 'utf8'),
) as { id: string }[];
const doc = readFileSync(join(repoRoot, 'docs', 'conformance.md'), 'utf8');

/**
 * What is wrong with the rows of the cases ending in `suffix`: not one row each, or a row whose
 * test file has no test named after the case; `reasons` lets a row say why it has no test.
 */
function rowProblems(suffix: '_CS' | '_CSMS', count: number, reasons: boolean): string[] {
  const ids = cases.map((c) => c.id).filter((id) => id.endsWith(suffix));
  expect(ids).toHaveLength(count);
  const problems: string[] = [];
  for (const id of ids) {
    const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${id}\` `));
    if (rows.length !== 1) {
      problems.push(`${id}: ${rows.length} rows`);
      continue;
    }
    const row = rows[0] as string;
    const file = /\]\(\.\.\/([^)]+)\)/.exec(row)?.[1];
    if (file === undefined) {
      const why = row.split('|')[3]?.trim() ?? '';
      if (!reasons || why.length < 10) problems.push(`${id}: neither a test file nor a reason`);
      continue;
    }
    const source = readFileSync(join(repoRoot, file), 'utf8');
    if (!new RegExp(`['\`\\[]${id}[ ',]`).test(source))
      problems.push(`${id}: no test named after it in ${file}`);
  }
  return problems;
}

test('docs/conformance.md: every TC_xxx_CSMS case has one row whose test file holds a test named after it', () => {
  expect(rowProblems('_CSMS', 75, false)).toEqual([]);
});

test('docs/conformance.md: every TC_xxx_CS case has one row: a test file holding a test named after it, or why there is none', () => {
  expect(rowProblems('_CS', 102, true)).toEqual([]);
});
