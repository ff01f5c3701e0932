// The csms-kit ChargePointDirectory on SQLite, plus what the operator API needs.
import type {
  ChargePointDirectory,
  ChargePointRecord,
  PendingRegistration,
  RegistrationState,
  SecurityProfile,
} from '@ocpp-kit/csms-kit';
import type { BootNotificationRequest, RegistrationStatus } from '@ocpp-kit/messages';
import type { CsmsDatabase } from './database.js';

interface ChargePointRow {
  identity: string;
  security_profile: number;
  authorization_key: Buffer | null;
  certificate_common_name: string | null;
  registration: RegistrationState;
  last_boot_status: RegistrationStatus | null;
  boot_json: string | null;
  booted_at: number | null;
  created_at: number;
  last_seen_at: number | null;
}

/** A charge point as the operator API shows it: never its AuthorizationKey. */
export interface ChargePointView {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly hasAuthorizationKey: boolean;
  readonly certificateCommonName: string | null;
  readonly registration: RegistrationState;
  readonly lastBootStatus: RegistrationStatus | null;
  readonly boot: BootNotificationRequest | null;
  readonly bootedAt: string | null;
  readonly createdAt: string;
  readonly lastSeenAt: string | null;
}

export interface ChargePointChanges {
  readonly securityProfile?: SecurityProfile;
  readonly authorizationKey?: Uint8Array | null;
  readonly certificateCommonName?: string | null;
  readonly registration?: RegistrationState;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function recordOf(row: ChargePointRow): ChargePointRecord {
  return {
    identity: row.identity,
    securityProfile: row.security_profile as SecurityProfile,
    registration: row.registration,
    ...(row.authorization_key === null
      ? {}
      : { authorizationKey: new Uint8Array(row.authorization_key) }),
    ...(row.certificate_common_name === null
      ? {}
      : { certificateCommonName: row.certificate_common_name }),
    ...(row.last_boot_status === null ? {} : { lastBootStatus: row.last_boot_status }),
  };
}

export class ChargePointTable implements ChargePointDirectory {
  readonly #db: CsmsDatabase;
  readonly #clock: () => number;
  readonly #find;
  readonly #list;
  readonly #insert;
  readonly #boot;
  readonly #seen;
  readonly #delete;

  constructor(db: CsmsDatabase, clock: () => number) {
    this.#db = db;
    this.#clock = clock;
    this.#find = db.prepare<[string], ChargePointRow>(
      'SELECT * FROM charge_points WHERE identity = ?',
    );
    this.#list = db.prepare<[], ChargePointRow>('SELECT * FROM charge_points ORDER BY identity');
    this.#insert = db.prepare<
      [string, number, Buffer | null, string | null, string, number],
      never
    >(
      `INSERT INTO charge_points (identity, security_profile, authorization_key, certificate_common_name, registration, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#boot = db.prepare<[string, string, number, string], never>(
      'UPDATE charge_points SET last_boot_status = ?, boot_json = ?, booted_at = ? WHERE identity = ?',
    );
    this.#seen = db.prepare<[number, string], never>(
      'UPDATE charge_points SET last_seen_at = ? WHERE identity = ?',
    );
    this.#delete = db.prepare<[string], never>('DELETE FROM charge_points WHERE identity = ?');
  }

  find(identity: string): ChargePointRecord | undefined {
    const row = this.#find.get(identity);
    return row === undefined ? undefined : recordOf(row);
  }

  addPending({ identity, securityProfile }: PendingRegistration): Promise<ChargePointRecord> {
    return this.#db.write(() => {
      this.#insert.run(identity, securityProfile, null, null, 'PendingRegistration', this.#clock());
      return recordOf(this.#find.get(identity) as ChargePointRow);
    });
  }

  recordBoot(
    identity: string,
    request: BootNotificationRequest,
    status: RegistrationStatus,
  ): Promise<void> {
    return this.#db.write(() => {
      this.#boot.run(status, JSON.stringify(request), this.#clock(), identity);
    });
  }

  /** Last time a CALL came in; written with the next group commit, never waited for. */
  seen(identity: string): void {
    this.#db.write(() => this.#seen.run(this.#clock(), identity)).catch(() => undefined);
  }

  view(identity: string): ChargePointView | undefined {
    const row = this.#find.get(identity);
    return row === undefined ? undefined : viewOf(row);
  }

  list(): ChargePointView[] {
    return this.#list.all().map(viewOf);
  }

  /** Registers a new charge point; false when the identity exists. */
  register(record: ChargePointRecord): Promise<boolean> {
    return this.#db.write(() => {
      if (this.#find.get(record.identity) !== undefined) return false;
      this.#insert.run(
        record.identity,
        record.securityProfile,
        record.authorizationKey === undefined ? null : Buffer.from(record.authorizationKey),
        record.certificateCommonName ?? null,
        record.registration,
        this.#clock(),
      );
      return true;
    });
  }

  /** Applies the given changes; false when the identity is unknown. */
  update(identity: string, changes: ChargePointChanges): Promise<boolean> {
    const sets: string[] = [];
    const values: (string | number | Buffer | null)[] = [];
    if (changes.securityProfile !== undefined) {
      sets.push('security_profile = ?');
      values.push(changes.securityProfile);
    }
    if (changes.authorizationKey !== undefined) {
      sets.push('authorization_key = ?');
      values.push(changes.authorizationKey === null ? null : Buffer.from(changes.authorizationKey));
    }
    if (changes.certificateCommonName !== undefined) {
      sets.push('certificate_common_name = ?');
      values.push(changes.certificateCommonName);
    }
    if (changes.registration !== undefined) {
      sets.push('registration = ?');
      values.push(changes.registration);
    }
    if (sets.length === 0) return Promise.resolve(this.#find.get(identity) !== undefined);
    const statement = this.#db.prepare<(string | number | Buffer | null)[], never>(
      `UPDATE charge_points SET ${sets.join(', ')} WHERE identity = ?`,
    );
    return this.#db.write(() => statement.run(...values, identity).changes > 0);
  }

  remove(identity: string): Promise<boolean> {
    return this.#db.write(() => this.#delete.run(identity).changes > 0);
  }
}

function viewOf(row: ChargePointRow): ChargePointView {
  return {
    identity: row.identity,
    securityProfile: row.security_profile as SecurityProfile,
    hasAuthorizationKey: row.authorization_key !== null,
    certificateCommonName: row.certificate_common_name,
    registration: row.registration,
    lastBootStatus: row.last_boot_status,
    boot: row.boot_json === null ? null : (JSON.parse(row.boot_json) as BootNotificationRequest),
    bootedAt: iso(row.booted_at),
    createdAt: iso(row.created_at) as string,
    lastSeenAt: iso(row.last_seen_at),
  };
}
