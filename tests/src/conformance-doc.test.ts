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

test('docs/conformance.md: every TC_xxx_CSMS case has one row whose test file holds a test named after it', () => {
  const csms = cases.map((c) => c.id).filter((id) => id.endsWith('_CSMS'));
  expect(csms).toHaveLength(75);
  const problems: string[] = [];
  for (const id of csms) {
    const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${id}\` `));
    if (rows.length !== 1) {
      problems.push(`${id}: ${rows.length} rows`);
      continue;
    }
    const file = /\]\(\.\.\/([^)]+)\)/.exec(rows[0] as string)?.[1];
    const source = file === undefined ? '' : readFileSync(join(repoRoot, file), 'utf8');
    if (!new RegExp(`['\`\\[]${id}[ ',]`).test(source))
      problems.push(`${id}: no test named after it in ${file}`);
  }
  expect(problems).toEqual([]);
});

test('docs/conformance.md: every TC_xxx_CS case has one row: a test file holding a test named after it, or why there is none', () => {
  const cs = cases.map((c) => c.id).filter((id) => id.endsWith('_CS'));
  expect(cs).toHaveLength(102);
  const problems: string[] = [];
  for (const id of cs) {
    const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${id}\` `));
    if (rows.length !== 1) {
      problems.push(`${id}: ${rows.length} rows`);
      continue;
    }
    const row = rows[0] as string;
    const file = /\]\(\.\.\/([^)]+)\)/.exec(row)?.[1];
    if (file === undefined) {
      const why = row.split('|')[3]?.trim() ?? '';
      if (why.length < 10) problems.push(`${id}: neither a test file nor a reason`);
      continue;
    }
    const source = readFileSync(join(repoRoot, file), 'utf8');
    if (!new RegExp(`['\`\\[]${id}[ ',]`).test(source))
      problems.push(`${id}: no test named after it in ${file}`);
  }
  expect(problems).toEqual([]);
});
