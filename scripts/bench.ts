// `pnpm bench [name...]`: runs every package benchmark in its own process, one after another, so
// no benchmark disturbs another. Names filter by path (e.g. `pnpm bench schedule`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benches = [
  'packages/messages/bench/run.ts',
  'packages/schedule/bench/run.ts',
  'packages/rpc-core/bench/engine.ts',
  'packages/rpc-core/bench/load/run.ts',
];
const filters = process.argv.slice(2);
const selected = benches.filter(
  (file) =>
    existsSync(`${root}/${file}`) &&
    (filters.length === 0 || filters.some((f) => file.includes(f))),
);
let failed = 0;
for (const file of selected) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ocpp-kit/source', file],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
