// What charge points report and what the CSMS sent them, kept for operators: connector status,
// security events, firmware/diagnostics/log jobs, configuration read back, charging profiles,
// certificates, local list versions.
import type { KeyValue, StatusNotificationRequest } from '@ocpp-kit/messages';
import type { CsmsDatabase } from './database.js';

export interface ConnectorStatusView {
  readonly connectorId: number;
  readonly status: string;
  readonly errorCode: string;
  readonly info: string | null;
  readonly vendorErrorCode: string | null;
  readonly timestamp: string | null;
}

export type JobKind = 'firmware' | 'diagnostics' | 'log';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class RecordTables {
  readonly #db: CsmsDatabase;
  readonly #clock: () => number;

  constructor(db: CsmsDatabase, clock: () => number) {
    this.#db = db;
    this.#clock = clock;
  }

  status(identity: string, request: StatusNotificationRequest): Promise<void> {
    const statement = this.#db.prepare<
      [string, number, string, string, string | null, string | null, number | null, number],
      never
    >(
      `INSERT INTO connector_status (identity, connector_id, status, error_code, info, vendor_error_code, timestamp, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity, connector_id) DO UPDATE SET status = excluded.status, error_code = excluded.error_code,
         info = excluded.info, vendor_error_code = excluded.vendor_error_code, timestamp = excluded.timestamp,
         received_at = excluded.received_at`,
    );
    return this.#db.write(() => {
      statement.run(
        identity,
        request.connectorId,
        request.status,
        request.errorCode,
        request.info ?? null,
        request.vendorErrorCode ?? null,
        request.timestamp === undefined ? null : Date.parse(request.timestamp),
        this.#clock(),
      );
    });
  }

  connectors(identity: string): ConnectorStatusView[] {
    return this.#db
      .prepare<
        [string],
        {
          connector_id: number;
          status: string;
          error_code: string;
          info: string | null;
          vendor_error_code: string | null;
          timestamp: number | null;
        }
      >('SELECT * FROM connector_status WHERE identity = ? ORDER BY connector_id')
      .all(identity)
      .map((r) => ({
        connectorId: r.connector_id,
        status: r.status,
        errorCode: r.error_code,
        info: r.info,
        vendorErrorCode: r.vendor_error_code,
        timestamp: iso(r.timestamp),
      }));
  }

  securityEvent(
    identity: string,
    type: string,
    timestamp: string,
    techInfo: string | undefined,
  ): Promise<void> {
    const statement = this.#db.prepare<[string, string, number, string | null, number], never>(
      'INSERT INTO security_events (identity, type, timestamp, tech_info, received_at) VALUES (?, ?, ?, ?, ?)',
    );
    return this.#db.write(() => {
      statement.run(identity, type, Date.parse(timestamp), techInfo ?? null, this.#clock());
    });
  }

  securityEvents(identity: string | undefined, limit: number) {
    const rows = this.#db
      .prepare<
        (string | number)[],
        { identity: string; type: string; timestamp: number; tech_info: string | null }
      >(
        `SELECT identity, type, timestamp, tech_info FROM security_events ${identity === undefined ? '' : 'WHERE identity = ?'}
         ORDER BY id DESC LIMIT ?`,
      )
      .all(...(identity === undefined ? [] : [identity]), limit);
    return rows.map((r) => ({
      identity: r.identity,
      type: r.type,
      timestamp: iso(r.timestamp),
      techInfo: r.tech_info,
    }));
  }

  /** The latest status of a firmware, diagnostics or log job reported by a charge point. */
  job(
    identity: string,
    kind: JobKind,
    status: string,
    requestId?: number,
    detail?: string,
  ): Promise<void> {
    const statement = this.#db.prepare<
      [string, string, number | null, string, string | null, number],
      never
    >(
      'INSERT INTO jobs (identity, kind, request_id, status, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    return this.#db.write(() => {
      statement.run(identity, kind, requestId ?? null, status, detail ?? null, this.#clock());
    });
  }

  jobs(identity: string | undefined, limit: number) {
    return this.#db
      .prepare<
        (string | number)[],
        {
          identity: string;
          kind: string;
          request_id: number | null;
          status: string;
          detail: string | null;
          updated_at: number;
        }
      >(
        `SELECT identity, kind, request_id, status, detail, updated_at FROM jobs ${identity === undefined ? '' : 'WHERE identity = ?'}
         ORDER BY id DESC LIMIT ?`,
      )
      .all(...(identity === undefined ? [] : [identity]), limit)
      .map((r) => ({
        identity: r.identity,
        kind: r.kind,
        requestId: r.request_id,
        status: r.status,
        detail: r.detail,
        updatedAt: iso(r.updated_at),
      }));
  }

  /** GetConfiguration.conf as read back (§5.8). */
  configuration(identity: string, keys: readonly KeyValue[]): Promise<void> {
    const statement = this.#db.prepare<[string, string, string | null, number, number], never>(
      `INSERT INTO configuration (identity, key, value, readonly, read_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (identity, key) DO UPDATE SET value = excluded.value, readonly = excluded.readonly, read_at = excluded.read_at`,
    );
    return this.#db.write(() => {
      const now = this.#clock();
      for (const key of keys)
        statement.run(identity, key.key, key.value ?? null, key.readonly ? 1 : 0, now);
    });
  }

  configurationOf(identity: string) {
    return this.#db
      .prepare<[string], { key: string; value: string | null; readonly: number; read_at: number }>(
        'SELECT key, value, readonly, read_at FROM configuration WHERE identity = ? ORDER BY key',
      )
      .all(identity)
      .map((r) => ({
        key: r.key,
        value: r.value,
        readonly: r.readonly === 1,
        readAt: iso(r.read_at),
      }));
  }

  chargingProfile(
    identity: string,
    connectorId: number,
    profile: unknown,
    outcome: string,
  ): Promise<void> {
    const statement = this.#db.prepare<[string, number, string, string, number], never>(
      'INSERT INTO charging_profiles (identity, connector_id, profile_json, outcome, sent_at) VALUES (?, ?, ?, ?, ?)',
    );
    return this.#db.write(() => {
      statement.run(identity, connectorId, JSON.stringify(profile), outcome, this.#clock());
    });
  }

  chargingProfiles(identity: string) {
    return this.#db
      .prepare<
        [string],
        { connector_id: number; profile_json: string; outcome: string; sent_at: number }
      >(
        'SELECT connector_id, profile_json, outcome, sent_at FROM charging_profiles WHERE identity = ? ORDER BY id DESC',
      )
      .all(identity)
      .map((r) => ({
        connectorId: r.connector_id,
        chargingProfile: JSON.parse(r.profile_json) as unknown,
        outcome: r.outcome,
        sentAt: iso(r.sent_at),
      }));
  }

  certificate(identity: string, certificateChain: string, status: string): Promise<void> {
    const statement = this.#db.prepare<[string, string, string, number], never>(
      'INSERT INTO certificates (identity, certificate_chain, status, issued_at) VALUES (?, ?, ?, ?)',
    );
    return this.#db.write(() => {
      statement.run(identity, certificateChain, status, this.#clock());
    });
  }

  certificates(identity: string) {
    return this.#db
      .prepare<[string], { certificate_chain: string; status: string; issued_at: number }>(
        'SELECT certificate_chain, status, issued_at FROM certificates WHERE identity = ? ORDER BY id DESC',
      )
      .all(identity)
      .map((r) => ({
        certificateChain: r.certificate_chain,
        status: r.status,
        issuedAt: iso(r.issued_at),
      }));
  }

  localListVersion(identity: string, version: number): Promise<void> {
    const statement = this.#db.prepare<[string, number, number], never>(
      `INSERT INTO local_list_versions (identity, version, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
    );
    return this.#db.write(() => {
      statement.run(identity, version, this.#clock());
    });
  }

  setting(key: string): string | undefined {
    return this.#db
      .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
      .get(key)?.value;
  }

  putSetting(key: string, value: string): Promise<void> {
    const statement = this.#db.prepare<[string, string], never>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    return this.#db.write(() => {
      statement.run(key, value);
    });
  }
}
