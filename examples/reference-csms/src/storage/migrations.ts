// Schema versions by PRAGMA user_version; each step runs once, in one transaction. Add a step,
// never edit one that shipped.
import type Database from 'better-sqlite3';

/** The CSMS's database: everything but the meter readings. */
export const csmsSchema: readonly string[] = [
  `
  CREATE TABLE charge_points (
    identity TEXT PRIMARY KEY,
    security_profile INTEGER NOT NULL CHECK (security_profile BETWEEN 0 AND 3),
    authorization_key BLOB,
    certificate_common_name TEXT,
    registration TEXT NOT NULL CHECK (registration IN ('Registered', 'PendingRegistration', 'Blocked')),
    last_boot_status TEXT,
    boot_json TEXT,
    booted_at INTEGER,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE TABLE connector_status (
    identity TEXT NOT NULL,
    connector_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT NOT NULL,
    info TEXT,
    vendor_error_code TEXT,
    timestamp INTEGER,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (identity, connector_id)
  );
  CREATE TABLE id_tags (
    id_tag_key TEXT PRIMARY KEY,
    id_tag TEXT NOT NULL,
    status TEXT NOT NULL,
    expires_at INTEGER,
    parent_id_tag TEXT,
    concurrent_transactions INTEGER NOT NULL DEFAULT 0,
    in_local_list INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE transactions (
    transaction_id INTEGER PRIMARY KEY AUTOINCREMENT,
    identity TEXT NOT NULL,
    connector_id INTEGER NOT NULL,
    id_tag TEXT NOT NULL,
    id_tag_key TEXT NOT NULL,
    meter_start INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    reservation_id INTEGER,
    id_tag_info TEXT NOT NULL,
    meter_stop INTEGER,
    stopped_at INTEGER,
    stop_reason TEXT,
    stop_id_tag TEXT,
    UNIQUE (identity, connector_id, started_at, meter_start, id_tag_key)
  );
  CREATE INDEX transactions_active ON transactions (id_tag_key) WHERE stopped_at IS NULL;
  CREATE INDEX transactions_by_charge_point ON transactions (identity, transaction_id);
  CREATE TABLE orphan_stops (
    identity TEXT NOT NULL,
    transaction_id INTEGER NOT NULL,
    meter_stop INTEGER NOT NULL,
    stopped_at INTEGER NOT NULL,
    reason TEXT,
    id_tag TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (identity, transaction_id)
  );
  CREATE TABLE charging_profiles (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    connector_id INTEGER NOT NULL,
    profile_json TEXT NOT NULL,
    outcome TEXT NOT NULL,
    sent_at INTEGER NOT NULL
  );
  CREATE TABLE configuration (
    identity TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    readonly INTEGER NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (identity, key)
  );
  CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    certificate_chain TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_at INTEGER NOT NULL
  );
  CREATE TABLE security_events (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    type TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    tech_info TEXT,
    received_at INTEGER NOT NULL
  );
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('firmware', 'diagnostics', 'log')),
    request_id INTEGER,
    status TEXT NOT NULL,
    detail TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE local_list_versions (
    identity TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
];

/** The readings file (meter-value-table.ts), written by its own thread (meter-writer.js). */
export const readingsSchema: readonly string[] = [
  `
  -- id is the arrival order; both trees append (readings arrive roughly in time order), and
  -- the unique key makes a resent reading a no-op (INSERT OR IGNORE).
  CREATE TABLE meter_values (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    connector_id INTEGER NOT NULL,
    transaction_id INTEGER,
    timestamp INTEGER NOT NULL,
    measurand TEXT NOT NULL,
    phase TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    unit TEXT,
    value TEXT NOT NULL,
    UNIQUE (timestamp, identity, connector_id, measurand, phase, location, context)
  );
  -- Per transaction, written by the writer a few seconds behind; every reading up to
  -- summary_state.covered_id is in them.
  CREATE TABLE transaction_latest (
    transaction_id INTEGER NOT NULL,
    measurand TEXT NOT NULL,
    phase TEXT NOT NULL,
    unit TEXT,
    value TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, measurand, phase)
  ) WITHOUT ROWID;
  -- through_id: the last reading the count includes (a crash replays only those after it).
  CREATE TABLE transaction_readings (
    transaction_id INTEGER PRIMARY KEY,
    readings INTEGER NOT NULL,
    through_id INTEGER NOT NULL
  );
  CREATE TABLE summary_state (covered_id INTEGER NOT NULL);
  INSERT INTO summary_state (covered_id) VALUES (0);
  `,
];

export function migrate(db: Database.Database, steps: readonly string[]): void {
  const schemaVersion = steps.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > schemaVersion) {
    throw new Error(
      `The database has schema version ${current}, newer than this CSMS (${schemaVersion}): run a newer version`,
    );
  }
  for (let version = current; version < schemaVersion; version += 1) {
    db.transaction(() => {
      db.exec(steps[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
