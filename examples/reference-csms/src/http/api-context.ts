import type { CentralSystem } from '@ocpp-kit/csms-kit';
import type { Storage } from '../storage/storage.js';
import type { RouteTable } from './route.js';

/** What every route module gets. */
export interface ApiContext {
  readonly csms: CentralSystem<unknown>;
  readonly storage: Storage;
  readonly routes: RouteTable;
  readonly dataDir: string;
}
