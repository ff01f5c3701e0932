// Who may connect, with which credentials, and what the last boot answered. The application owns
// the records (a database in the reference CSMS); the kit reads them at every handshake and boot.
import type { BootNotificationRequest, RegistrationStatus } from '@ocpp-kit/messages';
import type { SecurityProfile } from '@ocpp-kit/rpc-core';

/**
 * `Registered` boots Accepted, `PendingRegistration` boots Pending until an operator registers it,
 * `Blocked` boots Rejected (§4.2 BootNotification.conf status).
 */
export type RegistrationState = 'Registered' | 'PendingRegistration' | 'Blocked';

/** A charge point the central system knows. */
export interface ChargePointRecord {
  readonly identity: string;
  /**
   * The lowest security profile it may connect with; a higher one is accepted, so that raising
   * the profile (whitepaper A05) needs no second record. A lower one is refused.
   */
  readonly securityProfile: SecurityProfile;
  /** Profiles 1/2: its AuthorizationKey, the Basic password (A00.FR.205). */
  readonly authorizationKey?: Uint8Array;
  /** Profile 3: the certificate CN it must present; default its identity (A00.FR.405). */
  readonly certificateCommonName?: string;
  readonly registration: RegistrationState;
  /**
   * The status of the last BootNotification.conf it got. A charge point does not boot again when
   * only its connection drops (§4.2), so an `Accepted` one stays accepted on reconnect.
   */
  readonly lastBootStatus?: RegistrationStatus;
}

/** A charge point first seen at a handshake under `unknownChargePoints: 'pending'`. */
export interface PendingRegistration {
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  readonly remoteAddress: string | undefined;
}

/** The port the kit reads known charge points through; every method may be async. */
export interface ChargePointDirectory {
  find(identity: string): ChargePointRecord | undefined | Promise<ChargePointRecord | undefined>;
  /** Records an unknown charge point as `PendingRegistration` and returns its record. */
  addPending(registration: PendingRegistration): ChargePointRecord | Promise<ChargePointRecord>;
  /** Records a boot: what the charge point reported and the status it was answered. */
  recordBoot(
    identity: string,
    request: BootNotificationRequest,
    status: RegistrationStatus,
  ): void | Promise<void>;
}

/** The in-memory directory: records by identity, for tests and small deployments. */
export class MemoryDirectory implements ChargePointDirectory {
  readonly #records = new Map<string, ChargePointRecord>();
  readonly #boots = new Map<string, BootNotificationRequest>();

  constructor(records: Iterable<ChargePointRecord> = []) {
    for (const record of records) this.#records.set(record.identity, record);
  }

  find(identity: string): ChargePointRecord | undefined {
    return this.#records.get(identity);
  }

  /** Adds or replaces a record. */
  set(record: ChargePointRecord): this {
    this.#records.set(record.identity, record);
    return this;
  }

  delete(identity: string): boolean {
    this.#boots.delete(identity);
    return this.#records.delete(identity);
  }

  /** The last BootNotification.req of a charge point. */
  bootOf(identity: string): BootNotificationRequest | undefined {
    return this.#boots.get(identity);
  }

  records(): IterableIterator<ChargePointRecord> {
    return this.#records.values();
  }

  addPending({ identity, securityProfile }: PendingRegistration): ChargePointRecord {
    const record: ChargePointRecord = {
      identity,
      securityProfile,
      registration: 'PendingRegistration',
    };
    this.#records.set(identity, record);
    return record;
  }

  recordBoot(identity: string, request: BootNotificationRequest, status: RegistrationStatus): void {
    const record = this.#records.get(identity);
    if (record !== undefined) this.#records.set(identity, { ...record, lastBootStatus: status });
    this.#boots.set(identity, request);
  }
}
