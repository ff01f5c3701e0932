import type { KitStore } from './kit-store.js';

/** The stored configuration values of one charge point, as their GetConfiguration text. */
export function loadConfigValues(store: KitStore, station: string): Map<string, string> {
  const rows = store.statement('SELECT key, value FROM config WHERE station = ?').all(station);
  return new Map(rows.map((row) => [String(row.key), String(row.value)]));
}

/** Stores one value durably (group commit). */
export function saveConfigValue(
  store: KitStore,
  station: string,
  key: string,
  value: string,
): Promise<void> {
  return store.write(() => {
    store
      .statement(
        'INSERT INTO config (station, key, value) VALUES (?, ?, ?) ON CONFLICT (station, key) DO UPDATE SET value = excluded.value',
      )
      .run(station, key, value);
  });
}
