// Validations per second of the precompiled validators beside ajv compiling the same schema at
// run time, and the cold import time of the built package. Run: `pnpm bench messages`.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ocpp16, type Validator } from '@ocpp-kit/messages';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { benchCases } from './payloads.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const schemasDir = join(pkg, '..', '..', 'schemas');
const manifest = JSON.parse(readFileSync(join(schemasDir, 'ocpp1.6.actions.json'), 'utf8')) as {
  actions: { action: string; request: string }[];
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Median nanoseconds per call over `rounds` timed rounds of about 150 ms each. */
function nsPerCall(fn: () => unknown, rounds = 7): number {
  let n = 1000;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - t > 50) break;
    n *= 2;
  }
  n = Math.ceil(n * 3);
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    results.push(((performance.now() - t) * 1e6) / n);
  }
  return median(results);
}

function runtimeAjv(action: string): { validate: (p: unknown) => boolean; compileMs: number } {
  const entry = manifest.actions.find((a) => a.action === action);
  if (entry === undefined) throw new Error(`${action} is not in the manifest`);
  const schema = JSON.parse(readFileSync(join(schemasDir, entry.request), 'utf8')) as object;
  const t = performance.now();
  const ajv = new Ajv04.default({ strict: false, allErrors: false, multipleOfPrecision: 9 });
  addFormats.default(ajv, ['date-time', 'uri']);
  const validate = ajv.compile(schema);
  return { validate, compileMs: performance.now() - t };
}

const fmt = (ns: number) =>
  `${ns.toFixed(0).padStart(6)} ns ${(1e9 / ns / 1e6).toFixed(2).padStart(6)} M/s`;
const rows: string[][] = [];
for (const c of benchCases) {
  const ours: Validator | undefined = ocpp16.actions.get(c.action)?.validateRequest;
  if (ours === undefined) throw new Error(`${c.action} is not in ocpp16`);
  if (ours(c.valid) !== undefined || ours(c.invalid) === undefined)
    throw new Error(`${c.label}: payloads misclassified`);
  const ajv = runtimeAjv(c.action);
  if (!ajv.validate(c.valid) || ajv.validate(c.invalid))
    throw new Error(`${c.label}: ajv disagrees`);
  rows.push([
    c.label,
    fmt(nsPerCall(() => ours(c.valid))),
    fmt(nsPerCall(() => ajv.validate(c.valid))),
    fmt(nsPerCall(() => ours(c.invalid))),
    fmt(nsPerCall(() => ajv.validate(c.invalid))),
    `${ajv.compileMs.toFixed(1)} ms`,
  ]);
}

const headers = [
  'payload',
  'ours valid',
  'ajv (run time) valid',
  'ours invalid (+failures)',
  'ajv (run time) invalid',
  'ajv compile',
];
const widths = headers.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
console.log(
  'Request validation, median of 7 rounds (ajv 8.20 + ajv-formats 3, draft-04, multipleOfPrecision 9, compiled at run time)',
);
console.log(line(headers));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));

// Cold import of the BUILT package (dist/) in fresh node processes; builds it when stale.
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
const distIndex = join(pkg, 'dist', 'index.js');
if (!existsSync(distIndex) || statSync(distIndex).mtimeMs < newestMtime(join(pkg, 'src'))) {
  console.log('\nbuilding dist/ (pnpm run build) ...');
  const build = spawnSync('pnpm', ['run', 'build'], { cwd: pkg, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('build of @ocpp-kit/messages failed');
}
const importTime = (file: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return Number(child.stdout);
};
// The floor every ES module import pays in a fresh process (loader start-up): an empty module.
const scratch = mkdtempSync(join(tmpdir(), 'ocpp-kit-bench-'));
const emptyModule = join(scratch, 'empty.mjs');
writeFileSync(emptyModule, 'export {};\n');
const runs = 21;
const pkgTimes: number[] = [];
const baseTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  pkgTimes.push(importTime(distIndex));
  baseTimes.push(importTime(emptyModule));
}
rmSync(scratch, { recursive: true });
console.log(
  `\nCold import of @ocpp-kit/messages (built dist/index.js, fresh node ${process.version} per run, median of ${runs}): ${median(pkgTimes).toFixed(1)} ms` +
    ` (min ${Math.min(...pkgTimes).toFixed(1)} ms); importing an empty module: ${median(baseTimes).toFixed(1)} ms`,
);
