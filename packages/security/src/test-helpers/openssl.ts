// Test-only helpers: run the real `openssl` binary and manage temp directories.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const opensslPath =
  process.env.OPENSSL ?? (process.platform === 'win32' ? 'openssl' : '/usr/bin/openssl');

/** Runs openssl with `args` in `cwd`; rejects with stderr on a non-zero exit. */
export function openssl(args: readonly string[], cwd: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      opensslPath,
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`openssl ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A fresh directory under os.tmpdir(); call `remove()` in afterAll. */
export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `ocpp-kit-security-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
