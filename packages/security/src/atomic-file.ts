// Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
// the target, fsync the directory. A crash leaves either the old or the new content, never a mix;
// leftover temp files (prefix `.tmp-`) are uncommitted writes and may be deleted on start-up.
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of uncommitted temp files. */
export const tempFilePrefix = '.tmp-';

/** Atomically replaces `path` with `data` (mode 0600 unless given). */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${tempFilePrefix}${basename(path)}-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Deletes `path` durably (the directory entry removal is fsynced). */
export async function unlinkDurable(path: string): Promise<void> {
  await unlink(path);
  await syncDirectory(dirname(path));
}

/** fsyncs a directory so renames and unlinks inside it survive a power loss. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync directories; its rename is already durable enough there.
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * The committed content of `path`, `undefined` when it was never written; first deletes the temp
 * files of writes a crash interrupted before their rename.
 */
export async function readCommitted(path: string): Promise<string | undefined> {
  await removeLeftovers(path);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Deletes `<dir>/.tmp-<name>-*`: writes of `path` that never reached their rename. */
async function removeLeftovers(path: string): Promise<void> {
  const prefix = `${tempFilePrefix}${basename(path)}-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (name.startsWith(prefix)) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}
