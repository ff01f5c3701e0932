// Where a SecurityLog keeps its records. The log asks for three things only: durable appends,
// an atomic replace (compaction and clear) and a copy of damaged contents, so a kit can keep the
// log in the same database as the rest of its state and have one crash model.
import { copyFile, type FileHandle, open, truncate } from 'node:fs/promises';
import { readCommitted, writeFileAtomic } from './atomic-file.js';

/** Persistence port of `SecurityLog`. Records are opaque single-line strings. */
export interface SecurityLogStorage {
  /** Committed records in append order; an append a crash interrupted is not among them. */
  read(): Promise<string[]>;
  /** Appends one record; resolves once it survives a power loss. A failed append leaves nothing. */
  append(record: string): Promise<void>;
  /** Replaces every record; after a crash `read` returns either the old or the new list. */
  replace(records: readonly string[]): Promise<void>;
  /** Copies the stored records aside before the log repairs them; returns where the copy is. */
  preserve(): Promise<string>;
  /** Releases what the storage holds open; `SecurityLog.close()` calls it. */
  close(): Promise<void>;
}

/**
 * The default storage: one file of newline-terminated records (mode 0600), appended with
 * write + fdatasync and replaced by temp file + fsync + rename + directory fsync. A torn last line
 * is an append that never resolved, so `read` cuts it off; `preserve` copies the file beside it.
 */
export function securityLogFile(path: string): SecurityLogStorage {
  let handle: FileHandle | undefined;
  /** Bytes known to be complete lines; a failed append is cut back to it. */
  let size = 0;

  async function reopen(): Promise<FileHandle> {
    await handle?.close();
    handle = await open(path, 'a', 0o600);
    return handle;
  }

  const storage: SecurityLogStorage = {
    async read() {
      const text = (await readCommitted(path)) ?? '';
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      size = Buffer.byteLength(complete);
      if (complete.length !== text.length) await truncate(path, size);
      await reopen();
      return complete === '' ? [] : complete.slice(0, -1).split('\n');
    },
    async append(record) {
      // `size` is only known after a read: without it a failed append could cut committed lines.
      if (handle === undefined) await storage.read();
      const file = handle as FileHandle;
      const text = `${record}\n`;
      try {
        await file.write(text);
        await file.datasync();
        size += Buffer.byteLength(text);
      } catch (error) {
        // Cut a partial write back so the next append does not fuse with it.
        await file.truncate(size).catch(() => undefined);
        throw error;
      }
    },
    async replace(records) {
      const text = records.map((r) => `${r}\n`).join('');
      await writeFileAtomic(path, text);
      size = Buffer.byteLength(text);
      await reopen();
    },
    async preserve() {
      const copy = `${path}.corrupt-${Date.now()}`;
      await copyFile(path, copy);
      return copy;
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
  return storage;
}
