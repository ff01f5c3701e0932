// Where a CertificateStore keeps its one state document. The store commits every mutation as one
// `write`, so a storage whose write is atomic (old or new document after a crash, never a mix)
// makes every store mutation crash-atomic. A kit can plug its own database in here.
import { readCommitted, writeFileAtomic } from './atomic-file.js';

/** Persistence port of `CertificateStore`. */
export interface CertificateStoreStorage {
  /** The last committed document, or `undefined` when none was ever written. */
  read(): Promise<string | undefined>;
  /** Replaces the document; after a crash `read` returns either the old or the new one. */
  write(document: string): Promise<void>;
}

/**
 * The default storage: one file (mode 0600, it holds private keys) replaced by temp file + fsync
 * + rename + directory fsync. `read` removes temp files left by writes a crash interrupted.
 */
export function certificateStoreFile(path: string): CertificateStoreStorage {
  return {
    read: () => readCommitted(path),
    write: (document) => writeFileAtomic(path, document),
  };
}
