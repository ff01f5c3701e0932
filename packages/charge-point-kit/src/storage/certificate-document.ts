import type { CertificateStoreStorage } from '@ocpp-kit/security';
import type { KitStore } from './kit-store.js';
import { loadState, putState } from './state-table.js';

const name = 'certificates';

/**
 * The certificate store's one document (roots, the charge point's chains and keys) as a row of
 * the kit's state: a write commits with the kit's own (WAL, synchronous=FULL), so after a power
 * loss the store reads back either the old document or the new one.
 */
export function certificateDocument(store: KitStore, station: string): CertificateStoreStorage {
  return {
    read: async () => {
      const value = loadState(store, station, name);
      return typeof value === 'string' ? value : undefined;
    },
    write: (document) => store.write(() => putState(store, station, name, document)),
  };
}
