// Test-only: the storages the persistence tests run against, by name, so that a crash test's
// child process opens exactly what its parent checks afterwards.
import { join } from 'node:path';
import type { CertificateStoreLocation } from '../certificate-store.js';
import type { SecurityLogLocation } from '../security-log.js';
import { sqliteStorage } from './sqlite-storage.js';

export const storageBackends = ['file', 'sqlite'] as const;
export type StorageBackend = (typeof storageBackends)[number];

export interface OpenedBackend {
  /** Spread into `SecurityLog.open` options. */
  readonly securityLog: SecurityLogLocation;
  /** Spread into `CertificateStore.open` options. */
  readonly certificateStore: CertificateStoreLocation;
  close(): void;
}

/** The `backend` storage kept under `directory`: files, or one SQLite database. */
export function openBackend(backend: StorageBackend, directory: string): OpenedBackend {
  if (backend === 'file') {
    return {
      securityLog: { file: join(directory, 'security.log') },
      certificateStore: { directory: join(directory, 'store') },
      close: () => undefined,
    };
  }
  const db = sqliteStorage(join(directory, 'state.db'));
  return {
    securityLog: { storage: db.securityLog },
    certificateStore: { storage: db.certificateStore },
    close: () => db.close(),
  };
}
