// Test-only: both storage ports on one SQLite database, the way a kit keeps the certificate store
// and the security log beside the rest of its state. WAL with synchronous=FULL: a committed
// transaction survives a power loss; each port operation is one transaction.
import Database from 'better-sqlite3';
import type { CertificateStoreStorage } from '../certificate-store-storage.js';
import type { SecurityLogStorage } from '../security-log-storage.js';

export interface SqliteStorage {
  readonly certificateStore: CertificateStoreStorage;
  readonly securityLog: SecurityLogStorage;
  /** Closes the database (the ports' own `close` leaves it open for the other port). */
  close(): void;
}

export function sqliteStorage(path: string): SqliteStorage {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS security_log (id INTEGER PRIMARY KEY, record TEXT NOT NULL) STRICT;
  `);
  const readDocument = db.prepare<[], { body: string }>(
    "SELECT body FROM documents WHERE name = 'certificate-store'",
  );
  const writeDocument = db.prepare<[string]>(
    "INSERT INTO documents (name, body) VALUES ('certificate-store', ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body",
  );
  const readLog = db.prepare<[], { record: string }>('SELECT record FROM security_log ORDER BY id');
  const appendLog = db.prepare<[string]>('INSERT INTO security_log (record) VALUES (?)');
  const clearLog = db.prepare('DELETE FROM security_log');
  const replaceLog = db.transaction((records: readonly string[]) => {
    clearLog.run();
    for (const record of records) appendLog.run(record);
  });
  let copies = 0;

  return {
    certificateStore: {
      read: async () => readDocument.get()?.body,
      write: async (document) => {
        writeDocument.run(document);
      },
    },
    securityLog: {
      read: async () => readLog.all().map((row) => row.record),
      append: async (record) => {
        appendLog.run(record);
      },
      replace: async (records) => {
        replaceLog(records);
      },
      preserve: async () => {
        const table = `security_log_preserved_${Date.now()}_${copies++}`;
        db.exec(`CREATE TABLE ${table} AS SELECT * FROM security_log`);
        return `${path}#${table}`;
      },
      close: async () => undefined,
    },
    close: () => db.close(),
  };
}
