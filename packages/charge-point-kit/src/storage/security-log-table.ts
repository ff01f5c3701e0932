import type { SecurityLogStorage } from '@ocpp-kit/security';
import type { KitStore } from './kit-store.js';

/**
 * The security log's records as rows of the kit's database: an append commits with the kit's
 * own writes (WAL, synchronous=FULL: durable once it resolves), a replace is one transaction,
 * and a copy set aside before a repair stays in `security_log_preserved`.
 */
export function securityLogTable(store: KitStore, station: string): SecurityLogStorage {
  let last = 0;
  const lastSeq = () =>
    Number(
      store.statement('SELECT MAX(seq) AS seq FROM security_log WHERE station = ?').get(station)
        ?.seq ?? 0,
    );
  const insert = (seq: number, record: string) =>
    store
      .statement('INSERT INTO security_log (station, seq, record) VALUES (?, ?, ?)')
      .run(station, seq, record);
  return {
    read: async () => {
      last = lastSeq();
      return store
        .statement('SELECT record FROM security_log WHERE station = ? ORDER BY seq')
        .all(station)
        .map((row) => String(row.record));
    },
    append: (record) => {
      last += 1;
      const seq = last;
      return store.write(() => insert(seq, record));
    },
    replace: (records) =>
      store.write(() => {
        store.statement('DELETE FROM security_log WHERE station = ?').run(station);
        for (const [i, record] of records.entries()) insert(i + 1, record);
        last = records.length;
      }),
    preserve: async () => {
      const copy = new Date().toISOString();
      await store.write(() =>
        store
          .statement(
            'INSERT INTO security_log_preserved (station, copy, seq, record) SELECT station, ?, seq, record FROM security_log WHERE station = ?',
          )
          .run(copy, station),
      );
      return `table security_log_preserved, copy ${copy}`;
    },
    close: async () => {},
  };
}
