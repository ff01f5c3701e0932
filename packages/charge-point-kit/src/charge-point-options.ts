import type { BootNotificationRequest } from '@ocpp-kit/messages';
import type { BackoffOptions, ClientTlsOptions, SecurityProfile } from '@ocpp-kit/rpc-core';
import type { Certificate } from '@ocpp-kit/security';
import type { DataTransferHandler } from './behaviours/data-transfer.js';
import type { AfterRestart } from './behaviours/transactions.js';
import type { StandardValueOf } from './config/configuration-store.js';
import type { CustomKeyDefinition, ListedProfile } from './config/key-definition.js';
import type { StandardKeyName } from './config/keys.js';
import type { HardwareAdapter } from './core/hardware.js';
import type { KitLogger } from './core/logger.js';
import type { Timers } from './core/timers.js';
import type { KitStore, KitStoreLocation } from './storage/kit-store.js';

/** The profiles the kit implements today; more come with the kit's later behaviours. */
export type SupportedProfile = Extract<
  ListedProfile,
  | 'Core'
  | 'FirmwareManagement'
  | 'LocalAuthListManagement'
  | 'Reservation'
  | 'RemoteTrigger'
  | 'SmartCharging'
>;

/** How firmware images and diagnostics archives move (chapter 8). */
export interface FileTransferOptions {
  /** Where images and archives are kept; default `<storage.directory>/files`, required otherwise. */
  readonly directory?: string;
  /** Largest firmware image accepted, in bytes. Default 512 MiB. */
  readonly maxBytes?: number;
  /** A connection or transfer silent this long fails the attempt. Default 60 s. */
  readonly idleTimeoutSeconds?: number;
  /** Roots trusted for HTTPS and FTPS (PEM); default `tls.ca`, else Node's roots. */
  readonly ca?: string | readonly string[];
  /** Retries when UpdateFirmware / GetDiagnostics name none. Default 3. */
  readonly retries?: number;
  /** Seconds between attempts when the request names none. Default 60. */
  readonly retryIntervalSeconds?: number;
}

/** Where the charge point keeps its state: a directory (one SQLite file in it) or a shared store. */
export type ChargePointStorage =
  | { readonly directory: string }
  | { readonly store: KitStore }
  | KitStoreLocation;

export interface ChargePointOptions {
  /** The charge point identity (OCPP-J §3.1.1), also the key of its rows in a shared store. */
  readonly identity: string;
  /** The CSMS endpoint(s); the identity is appended. Several are tried in turn when a connect fails. */
  readonly csms: string | readonly string[];
  /**
   * Whitepaper §2: 0 (default) to 3, the lowest in force; the CSMS may raise it with the
   * SecurityProfile key (A05), which is stored.
   */
  readonly securityProfile?: SecurityProfile;
  /** Endpoints for the profiles the CSMS may raise this one to, where `csms` cannot serve (wss:// for 2/3). */
  readonly csmsByProfile?: Partial<Record<SecurityProfile, string | readonly string[]>>;
  /** Failed connects with a raised profile before falling back to the previous one (A05.FR.08). Default 3. */
  readonly securityProfileAttempts?: number;
  /** Profiles 1/2: the AuthorizationKey (16-20 bytes), until the CSMS sets another. */
  readonly authorizationKey?: Uint8Array;
  /**
   * Profiles 2/3: CSMS roots trusted besides the installed CentralSystemRootCertificates (`ca`),
   * and for 3 the charge point's factory `cert` and `key`, used until a signed one is installed.
   */
  readonly tls?: ClientTlsOptions;
  /** What BootNotification.req reports (§4.2). */
  readonly boot: BootNotificationRequest;
  /** Number of connectors, 1 or more (§3.8: numbered 1..n; 0 is the charge point itself). */
  readonly connectors: number;
  readonly hardware: HardwareAdapter;
  readonly storage: ChargePointStorage;
  /**
   * Default: all the kit implements, FirmwareManagement only when the hardware has
   * `installFirmware`.
   */
  readonly profiles?: readonly SupportedProfile[];
  /** Firmware downloads and diagnostics and log uploads. */
  readonly fileTransfer?: FileTransferOptions;
  /** Install signed firmware only (SignedUpdateFirmware, L01); UpdateFirmware gets NotSupported (L01.FR.20). */
  readonly requireSignedFirmware?: boolean;
  /**
   * Whether a firmware signing certificate was revoked (OCSP, a deny list: the whitepaper names
   * no mechanism); a revoked one is answered RevokedCertificate (L01.FR.25).
   */
  readonly isFirmwareCertificateRevoked?: (certificate: Certificate) => boolean;
  readonly configuration?: {
    /** Values of standard keys: R keys always, RW keys until the CSMS changes them. */
    readonly values?: { readonly [K in StandardKeyName]?: StandardValueOf<K> };
    /** The charge point's own keys (names of up to 50 characters, unique in any letter case). */
    readonly custom?: Readonly<Record<string, CustomKeyDefinition>>;
  };
  /**
   * Transactions found running at start (§3.7: a power loss or a kill interrupted them):
   * `'stop'` (default) stops each with reason PowerLoss and the meter register read now;
   * `'resume'` continues them, assuming the cable still plugged, energised again.
   */
  readonly afterRestart?: AfterRestart;
  /** Handlers of the CSMS's DataTransfer.req by vendorId (§5.6); others get UnknownVendorId. */
  readonly dataTransfer?: Readonly<Record<string, DataTransferHandler>>;
  /** Entries the Authorization Cache keeps (§3.5.1). Default 1000. */
  readonly authorizationCacheSize?: number;
  /**
   * Errata 3.11: it is advisable to deny charging until the CSMS has Accepted the charge point
   * once; `true` authorizes offline per the configuration keys even before. Default false.
   */
  readonly chargeBeforeAccepted?: boolean;
  /** Backoff of connect and reconnect attempts (OCPP-J errata 3.4). */
  readonly reconnect?: BackoffOptions;
  /** Epoch ms; default `Date.now`. Adjusted to the CSMS's currentTime, never set. */
  readonly clock?: () => number;
  readonly timers?: Timers;
  /** Default: silent. */
  readonly logger?: KitLogger;
}
