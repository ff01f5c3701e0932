#!/usr/bin/env node
// Committed (not built) so that installing the workspace can link the bin before `pnpm build`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    'ocpp-codegen: dist/cli.js is missing; build the package first (pnpm build)\n',
  );
  process.exitCode = 2;
}
