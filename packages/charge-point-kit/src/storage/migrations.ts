/**
 * The schema, one step per version (`PRAGMA user_version`). Append a step to change it; never
 * edit a released one. Every table is keyed by `station` (the charge point identity), so several
 * charge points in one process can share one database and one group commit.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE config (
     station TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (station, key)) WITHOUT ROWID;
   CREATE TABLE state (
     station TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (station, name)) WITHOUT ROWID;
   CREATE TABLE queue (
     station TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL,
     action TEXT NOT NULL, payload TEXT NOT NULL, local_tx INTEGER,
     attempts INTEGER NOT NULL,
     PRIMARY KEY (station, seq)) WITHOUT ROWID;
   CREATE TABLE auth_cache (
     station TEXT NOT NULL, id_key TEXT NOT NULL, id_tag TEXT NOT NULL, info TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (station, id_key)) WITHOUT ROWID;
   CREATE TABLE transactions (
     station TEXT NOT NULL, local_id INTEGER NOT NULL, connector_id INTEGER NOT NULL,
     id_tag TEXT NOT NULL, parent_id_tag TEXT, meter_start INTEGER NOT NULL,
     started_at INTEGER NOT NULL, reservation_id INTEGER, transaction_id INTEGER,
     stopped_at INTEGER,
     PRIMARY KEY (station, local_id)) WITHOUT ROWID;
   CREATE TABLE transaction_data (
     station TEXT NOT NULL, local_id INTEGER NOT NULL, seq INTEGER NOT NULL,
     meter_value TEXT NOT NULL,
     PRIMARY KEY (station, local_id, seq)) WITHOUT ROWID;
   CREATE TABLE local_list (
     station TEXT NOT NULL, id_key TEXT NOT NULL, id_tag TEXT NOT NULL, info TEXT NOT NULL,
     PRIMARY KEY (station, id_key)) WITHOUT ROWID;`,
  // The kit's own log, the diagnostics file's core (§5.9); bounded per station.
  `CREATE TABLE kit_log (
     station TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, level TEXT NOT NULL,
     event TEXT NOT NULL, fields TEXT NOT NULL,
     PRIMARY KEY (station, seq)) WITHOUT ROWID;`,
  // The security log's records (whitepaper A04.FR.04), and copies kept aside before a repair.
  `CREATE TABLE security_log (
     station TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
     PRIMARY KEY (station, seq)) WITHOUT ROWID;
   CREATE TABLE security_log_preserved (
     station TEXT NOT NULL, copy TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
     PRIMARY KEY (station, copy, seq)) WITHOUT ROWID;`,
];
