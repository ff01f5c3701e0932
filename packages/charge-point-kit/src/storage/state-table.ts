import { ChargePointKitError } from '../errors.js';
import type { KitStore } from './kit-store.js';

/** A named piece of a charge point's state, stored as JSON (availability, boot facts, ...). */
export function loadState(store: KitStore, station: string, name: string): unknown {
  const row = store
    .statement('SELECT value FROM state WHERE station = ? AND name = ?')
    .get(station, name);
  if (row === undefined) return undefined;
  try {
    return JSON.parse(String(row.value));
  } catch (cause) {
    throw new ChargePointKitError(
      'STORAGE_CORRUPT',
      `Stored state '${name}' of ${station} does not parse`,
      {
        cause,
      },
    );
  }
}

/** Inside a write: stores (or replaces) a named piece of state. */
export function putState(store: KitStore, station: string, name: string, value: unknown): void {
  store
    .statement(
      'INSERT INTO state (station, name, value) VALUES (?, ?, ?) ON CONFLICT (station, name) DO UPDATE SET value = excluded.value',
    )
    .run(station, name, JSON.stringify(value));
}

/** Inside a write: forgets a named piece of state. */
export function deleteState(store: KitStore, station: string, name: string): void {
  store.statement('DELETE FROM state WHERE station = ? AND name = ?').run(station, name);
}
