// `pnpm bench [name...] [--quick] [--rounds=N]`: runs every package benchmark in its own
// process, one after another, so no benchmark disturbs another. Names filter by path
// (`pnpm bench schedule`). Every `--` flag is passed to every selected benchmark: `--quick` (a
// shorter run) is read by the rpc-core load, queue and fleet benchmarks, `--rounds=N` by the load
// benchmark only; the others ignore them. Give a flag's value with `=`: a separate word is taken
// as a name filter.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benches = [
  'packages/messages/bench/run.ts',
  'packages/schedule/bench/run.ts',
  'packages/security/bench/run.ts',
  'packages/rpc-core/bench/engine.ts',
  'packages/rpc-core/bench/load/run.ts',
  'packages/charge-point-kit/bench/queue.ts',
  'examples/reference-charge-point/bench/fleet.ts',
  'examples/reference-csms/bench/run.ts',
];
const args = process.argv.slice(2);
const flags = args.filter((arg) => arg.startsWith('--'));
const filters = args.filter((arg) => !arg.startsWith('--'));
const selected = benches.filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);
if (selected.length === 0) {
  process.stderr.write(
    `no benchmark matches ${filters.join(', ')}; known: ${benches.join(', ')}\n`,
  );
  process.exit(2);
}
let failed = 0;
for (const file of selected) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ocpp-kit/source', file, ...flags],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
