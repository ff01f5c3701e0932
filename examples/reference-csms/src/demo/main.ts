// The README's first command ends here: `pnpm start` runs codegen, the build, then this demo.
import { runDemo } from './run-demo.js';

runDemo({ write: (line) => process.stdout.write(line) }).then(
  (summary) => {
    const ok = summary.errors === 0 && summary.transactions > 0 && summary.limitVisible;
    process.exit(ok ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
