import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import {
  type ChargePointStatus,
  type DataTransferRequest,
  type DataTransferResponse,
  ocpp16,
} from '@ocpp-kit/messages';
import { createRouter } from '@ocpp-kit/rpc-core';
import type { SecurityEventType } from '@ocpp-kit/security';
import { authorizationKeyToHex, parseAuthorizationKey } from '@ocpp-kit/security/authorization-key';
import { authorizationBehaviour } from './behaviours/authorization.js';
import { availabilityBehaviour } from './behaviours/availability.js';
import { bootBehaviour } from './behaviours/boot.js';
import { certificateSigningBehaviour } from './behaviours/certificate-signing.js';
import { certificatesBehaviour } from './behaviours/certificates.js';
import { configurationBehaviour } from './behaviours/configuration.js';
import { dataTransferBehaviour } from './behaviours/data-transfer.js';
import { diagnosticsBehaviour } from './behaviours/diagnostics.js';
import { firmwareBehaviour } from './behaviours/firmware.js';
import { heartbeatBehaviour } from './behaviours/heartbeat.js';
import { logsBehaviour } from './behaviours/logs.js';
import { meterValuesBehaviour } from './behaviours/meter-values.js';
import { remoteControlBehaviour } from './behaviours/remote-control.js';
import { reservationBehaviour } from './behaviours/reservation.js';
import { resetBehaviour } from './behaviours/reset.js';
import { securityProfileBehaviour } from './behaviours/security-profile.js';
import { smartChargingBehaviour } from './behaviours/smart-charging.js';
import { statusNotificationBehaviour } from './behaviours/status-notification.js';
import { transactionsBehaviour } from './behaviours/transactions.js';
import { triggerBehaviour } from './behaviours/trigger.js';
import type { ChargePointOptions, SupportedProfile } from './charge-point-options.js';
import { ConfigurationStore } from './config/configuration-store.js';
import { keyDefinitions } from './config/definitions.js';
import type { ConfigValueOf, ConfigValueType } from './config/key-definition.js';
import type { Authorization } from './core/authorizer.js';
import type { Behaviour } from './core/behaviour.js';
import { Connection } from './core/connection.js';
import type { ConnectorFault } from './core/connector-status.js';
import { Endpoints, pems } from './core/endpoints.js';
import type { ChargePointEvents, Registration } from './core/events.js';
import type { FileSettings } from './core/files/file-settings.js';
import { KitCore } from './core/kit-core.js';
import { KitLog } from './core/kit-log.js';
import { silentLogger } from './core/logger.js';
import { readableMeasurands } from './core/metering/sampled-values.js';
import { systemTimers } from './core/timers.js';
import { noReservations, type PresentResult } from './core/transactions/transaction-flow.js';
import { ChargePointKitError } from './errors.js';
import { KitStore } from './storage/kit-store.js';

const offeredMeasurands = ['Current.Offered', 'Power.Offered'] as const;

const allProfiles: readonly SupportedProfile[] = [
  'Core',
  'FirmwareManagement',
  'LocalAuthListManagement',
  'Reservation',
  'RemoteTrigger',
  'SmartCharging',
];

/** The profiles by default: all, Firmware Management only with an adapter that installs. */
function profilesOf(options: ChargePointOptions): Set<SupportedProfile> {
  if (options.profiles !== undefined) return new Set(options.profiles);
  return new Set(
    allProfiles.filter(
      (p) => p !== 'FirmwareManagement' || options.hardware.installFirmware !== undefined,
    ),
  );
}

/**
 * The file settings (firmware, diagnostics, logs); undefined without a directory for files,
 * which FirmwareManagement cannot do without.
 */
function fileSettingsOf(
  options: ChargePointOptions,
  profiles: ReadonlySet<SupportedProfile>,
): FileSettings | undefined {
  const transfer = options.fileTransfer ?? {};
  const storage = options.storage;
  const directory =
    transfer.directory ?? ('directory' in storage ? join(storage.directory, 'files') : undefined);
  if (directory === undefined) {
    if (!profiles.has('FirmwareManagement')) return undefined;
    throw new ChargePointKitError(
      'INVALID_OPTIONS',
      'fileTransfer.directory is needed for FirmwareManagement when storage is not a directory',
    );
  }
  const ca = transfer.ca ?? options.tls?.ca;
  return {
    directory,
    maxBytes: transfer.maxBytes ?? 512 * 1024 * 1024,
    idleTimeoutMs: (transfer.idleTimeoutSeconds ?? 60) * 1000,
    ca: ca as FileSettings['ca'],
    defaultRetries: transfer.retries ?? 3,
    defaultRetryIntervalSeconds: transfer.retryIntervalSeconds ?? 60,
  };
}

/** The SQLite file a `{ directory }` storage opens. */
export const chargePointDatabaseFileName = 'charge-point.sqlite';

/**
 * An OCPP 1.6-J charge point: give it the hardware adapter and a storage location, call
 * `start()`. The wiring only: every rule lives in a behaviour.
 */
export class ChargePoint extends EventEmitter<ChargePointEvents> {
  readonly identity: string;
  readonly #core: KitCore;
  readonly #behaviours: Behaviour[];
  readonly #ownsStore: boolean;
  readonly #options: ChargePointOptions;
  readonly #transactions: ReturnType<typeof transactionsBehaviour>;
  #started = false;

  constructor(options: ChargePointOptions) {
    super();
    checkOptions(options);
    this.identity = options.identity;
    this.#options = options;
    const storage = options.storage;
    this.#ownsStore = !('store' in storage);
    const store =
      'store' in storage
        ? storage.store
        : KitStore.open(
            'directory' in storage
              ? { file: join(storage.directory, chargePointDatabaseFileName) }
              : storage,
          );
    try {
      const built = build(this, options, store);
      this.#core = built.core;
      this.#behaviours = built.behaviours;
      this.#transactions = built.transactions;
    } catch (error) {
      if (this.#ownsStore) store.close();
      throw error;
    }
  }

  /** Where the registration is (§4.2): Unknown until the first BootNotification.conf. */
  get registration(): Registration {
    return this.#core.registration;
  }

  /** The configuration keys (typed `get`, `set`, `onChange`). */
  get configuration(): ConfigurationStore {
    return this.#core.config;
  }

  /** The charge point's time in epoch ms: `clock`, set to the CSMS's currentTime (§4.2). */
  now(): number {
    return this.#core.now();
  }

  /** Transaction-related messages stored and not yet delivered. */
  get queuedMessages(): number {
    return this.#core.queue.length;
  }

  /** The status of a connector, or of the charge point for 0 (§4.9). */
  status(connectorId: number): ChargePointStatus {
    if (connectorId !== 0) this.#connector(connectorId);
    return this.#core.connectors.status(connectorId);
  }

  /**
   * Whether an idTag may charge now, decided as for a start (§3.5, §4.1): Local Authorization
   * List, Authorization Cache, then the CSMS; offline per the configuration keys.
   */
  authorize(idTag: string): Promise<Authorization> {
    return this.#core.authorizer.authorize(idTag);
  }

  /**
   * An idTag was presented (RFID card, app, ...): stops the transaction it (or its group, §3.10)
   * started, or authorizes a new one on `connectorId` (default: the only connector, else a
   * plugged-in one, else the first Available).
   */
  presentIdTag(idTag: string, connectorId?: number): Promise<PresentResult> {
    if (connectorId !== undefined) this.#connector(connectorId);
    return this.#transactions.presentIdTag(idTag, connectorId);
  }

  /**
   * The supply is failing and the controller runs on for a moment (a UPS, a capacitor): every
   * running transaction is stopped with reason PowerLoss and stored before this resolves, so the
   * StopTransactions go out now or after the reboot (§3.7). Without it, `afterRestart` decides.
   */
  async powerFailing(): Promise<void> {
    await this.#transactions.flow.stopAll('PowerLoss');
  }

  /**
   * A security event the application detected (whitepaper §8: TamperDetectionActivated,
   * MemoryExhaustion, ... or a vendor type): logged, and sent to the CSMS, critical ones until
   * confirmed. Resolves once it is stored; needs `start()` first.
   */
  securityEvent(type: SecurityEventType | (string & {}), techInfo?: string): Promise<void> {
    return this.#core.securityEvents.record(type, techInfo);
  }

  /** DataTransfer to the CSMS (§4.3); rejects as a CALL does (offline, CALLERROR, timeout). */
  dataTransfer(request: DataTransferRequest): Promise<DataTransferResponse> {
    return this.#core.call('DataTransfer', request);
  }

  /** The EV's cable was plugged into the connector. */
  plugIn(connectorId: number): void {
    this.#transactions.plugged(this.#connector(connectorId));
  }

  /** The cable was unplugged (at the EV side, or altogether). */
  unplug(connectorId: number): void {
    this.#transactions.unplugged(this.#connector(connectorId));
  }

  /** The EV stopped drawing energy (§4.9 C4) or started again (D3). */
  evSuspended(connectorId: number, suspended = true): void {
    this.#transactions.evSuspended(this.#connector(connectorId), suspended);
  }

  /**
   * A fault of a connector, or of the charge point for 0 (§4.9 x9, §7.6): reported with its
   * error code and vendor info; a blocking one makes the connector Faulted until cleared.
   */
  raiseFault(connectorId: number, fault: ConnectorFault): void {
    if (connectorId === 0) {
      const faults = this.#core.connectors.stationFaults.filter(
        (f) => f.errorCode !== fault.errorCode,
      );
      this.#core.connectors.updateStation({ faults: [...faults, fault] });
      return;
    }
    const id = this.#connector(connectorId);
    const faults = this.#core.connectors
      .facts(id)
      .faults.filter((f) => f.errorCode !== fault.errorCode);
    this.#core.connectors.update(id, { faults: [...faults, fault] });
  }

  /** Clears one fault (by error code), or all of a connector's faults; the status returns (§4.9 I1-I8). */
  clearFault(connectorId: number, errorCode?: ConnectorFault['errorCode']): void {
    const keep = (f: ConnectorFault) => errorCode !== undefined && f.errorCode !== errorCode;
    if (connectorId === 0) {
      this.#core.connectors.updateStation({
        faults: this.#core.connectors.stationFaults.filter(keep),
      });
      return;
    }
    const id = this.#connector(connectorId);
    this.#core.connectors.update(id, {
      faults: this.#core.connectors.facts(id).faults.filter(keep),
    });
  }

  #connector(connectorId: number): number {
    if (!this.#core.connectors.has(connectorId))
      throw unknownConnector(connectorId, this.#core.connectors.count);
    return connectorId;
  }

  /**
   * Deals with transactions a power loss interrupted (`afterRestart`), then connects to the
   * CSMS and keeps connected until `stop()`.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#core.openCertificates();
    // A profile the application raised in code wins over a lower one stored (A00.FR.005).
    const configured = this.#core.config.get('SecurityProfile');
    if ((this.#options.securityProfile ?? 0) > configured)
      await this.#core.config.set('SecurityProfile', this.#options.securityProfile ?? 0);
    await this.#core.securityEvents.open();
    await this.#core.securityEvents.record('StartupOfTheDevice');
    await this.#transactions.recover();
    this.#core.connection.start();
  }

  /** Disconnects and stops every timer; stored state stays for the next start. */
  async stop(): Promise<void> {
    for (const behaviour of this.#behaviours) behaviour.stop?.();
    this.#core.queue.stop();
    await this.#core.connection.stop();
    if (this.#ownsStore) this.#core.store.close();
  }
}

/** Builds the core and the behaviours around one store; the wiring only. */
function build(events: ChargePoint, options: ChargePointOptions, store: KitStore) {
  const kitLog = new KitLog(store, options.identity, options.clock ?? Date.now);
  const logger = kitLog.tee(options.logger ?? silentLogger);
  const timers = options.timers ?? systemTimers;
  const profiles = profilesOf(options);
  const config = new ConfigurationStore({
    store,
    station: options.identity,
    definitions: keyDefinitions(
      profiles,
      options.configuration?.custom === undefined ? {} : { custom: options.configuration.custom },
    ),
    initial: initialValues(options, profiles),
    // With Smart Charging the kit itself reports the limit in force as offered (§3.13).
    measurands: new Set([
      ...options.hardware.measurands,
      ...(profiles.has('SmartCharging') ? offeredMeasurands : []),
    ]),
    connectors: options.connectors,
    onDiscarded: (key, reason) => logger.warn('configuration.discarded', { key, reason }),
  });
  const router = createRouter(ocpp16, 'ChargePoint');
  // The endpoint of the profile in force, read at every connect (A05 may raise it).
  let endpoints: Endpoints | undefined;
  let securityEvents: KitCore['securityEvents'] | undefined;
  const connection = new Connection({
    identity: options.identity,
    endpoint: () => (endpoints as Endpoints).current(),
    authorizationKey: () => {
      const hex = config.get('AuthorizationKey');
      return hex === '' ? undefined : parseAuthorizationKey(hex);
    },
    router,
    pingIntervalSeconds: () => config.get('WebSocketPingInterval'),
    onBadMessage: (reason) => securityEvents?.note('InvalidMessages', reason),
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    timers,
    events,
    logger,
  });
  const core = new KitCore({
    station: options.identity,
    connectorCount: options.connectors,
    config,
    store,
    connection,
    router,
    hardware: options.hardware,
    events,
    timers,
    clock: options.clock ?? Date.now,
    logger,
    authorizationCacheSize: options.authorizationCacheSize ?? 1000,
    chargeBeforeAccepted: options.chargeBeforeAccepted ?? false,
    smartCharging: profiles.has('SmartCharging'),
  });
  securityEvents = core.securityEvents;
  endpoints = new Endpoints(
    {
      csms: options.csms,
      ...(options.csmsByProfile === undefined ? {} : { csmsByProfile: options.csmsByProfile }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    },
    config,
    () => core.certificates,
  );
  const reservation = profiles.has('Reservation') ? reservationBehaviour(core) : undefined;
  const transactions = transactionsBehaviour(core, {
    afterRestart: options.afterRestart ?? 'stop',
    reservations: reservation?.gate ?? noReservations,
  });
  const boot = bootBehaviour(core, options.boot);
  const statusNotification = statusNotificationBehaviour(core);
  const behaviours: Behaviour[] = [
    transactions.behaviour,
    meterValuesBehaviour(core),
    boot,
    heartbeatBehaviour(core),
    configurationBehaviour(core),
    statusNotification,
    availabilityBehaviour(core),
    authorizationBehaviour(core),
    remoteControlBehaviour(core, transactions.flow),
    resetBehaviour(core, transactions.flow),
    dataTransferBehaviour(core, options.dataTransfer ?? {}),
    certificatesBehaviour(core),
    securityProfileBehaviour(core, endpoints, { attempts: options.securityProfileAttempts ?? 3 }),
  ];
  if (reservation !== undefined) behaviours.push(reservation);
  const files = fileSettingsOf(options, profiles);
  const firmwareFiles = profiles.has('FirmwareManagement') ? files : undefined;
  const firmware =
    firmwareFiles === undefined
      ? undefined
      : firmwareBehaviour(core, {
          files: firmwareFiles,
          firmwareVersion: options.boot.firmwareVersion,
          signedOnly: options.requireSignedFirmware ?? false,
          isRevoked: options.isFirmwareCertificateRevoked,
        });
  const diagnostics =
    firmwareFiles === undefined
      ? undefined
      : diagnosticsBehaviour(core, { files: firmwareFiles, kitLog });
  const logs = files === undefined ? undefined : logsBehaviour(core, { files, kitLog });
  const signing = certificateSigningBehaviour(core, {
    serialNumber: options.boot.chargePointSerialNumber ?? options.identity,
    factoryCertificate: pems(options.tls?.cert)[0],
  });
  for (const part of [firmware, diagnostics, logs, signing])
    if (part !== undefined) behaviours.push(part.behaviour);
  if (core.limits !== undefined) behaviours.push(smartChargingBehaviour(core, core.limits));
  behaviours.push(
    triggerBehaviour(
      core,
      {
        boot: boot.trigger,
        status: statusNotification.report,
        firmwareStatus: firmware?.current ?? (() => 'Idle'),
        diagnosticsStatus: diagnostics?.status ?? (() => 'Idle'),
        signedFirmwareStatus: firmware?.currentSigned ?? (() => ({ status: 'Idle' })),
        logStatus: logs?.status ?? (() => ({ status: 'Idle' })),
        signCertificate: signing.requestSigning,
      },
      { remoteTrigger: profiles.has('RemoteTrigger') },
    ),
  );
  return { core, behaviours, transactions };
}

function unknownConnector(connectorId: number, count: number): ChargePointKitError {
  return new ChargePointKitError(
    'UNKNOWN_CONNECTOR',
    `Connector ${String(connectorId)} does not exist; this charge point has connectors 1-${count}`,
  );
}

function initialValues(
  options: ChargePointOptions,
  profiles: ReadonlySet<SupportedProfile>,
): Map<string, ConfigValueOf<ConfigValueType>> {
  const values = new Map<string, ConfigValueOf<ConfigValueType>>([
    ['NumberOfConnectors', options.connectors],
    ['SupportedFeatureProfiles', [...profiles]],
    ['ConnectorPhaseRotationMaxLength', options.connectors + 1],
    [
      'ConnectorPhaseRotation',
      Array.from({ length: options.connectors }, (_, i) => `${i + 1}.Unknown`),
    ],
  ]);
  values.set('SecurityProfile', options.securityProfile ?? 0);
  if (options.authorizationKey !== undefined) {
    values.set('AuthorizationKey', authorizationKeyToHex(options.authorizationKey));
  }
  for (const [key, value] of Object.entries(options.configuration?.values ?? {})) {
    if (value !== undefined) values.set(key, value as ConfigValueOf<ConfigValueType>);
  }
  return values;
}

function checkOptions(options: ChargePointOptions): void {
  const problem = (message: string) => new ChargePointKitError('INVALID_OPTIONS', message);
  if (typeof options.identity !== 'string' || options.identity.length === 0) {
    throw problem('identity must be a non-empty string (OCPP-J §3.1.1)');
  }
  if (!Number.isInteger(options.connectors) || options.connectors < 1) {
    throw problem(
      `connectors must be an integer of 1 or more (§3.8); got ${String(options.connectors)}`,
    );
  }
  const urls = typeof options.csms === 'string' ? [options.csms] : options.csms;
  if (urls.length === 0) throw problem('csms needs at least one URL');
  const unreadable = options.hardware.measurands.filter((m) => !readableMeasurands.includes(m));
  if (unreadable.length > 0) {
    throw problem(
      `hardware.measurands names ${unreadable.join(', ')}, which a MeterReading cannot carry; supported: ${readableMeasurands.join(', ')}`,
    );
  }
  const cacheSize = options.authorizationCacheSize ?? 1000;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw problem(
      `authorizationCacheSize must be an integer of 1 or more; got ${String(cacheSize)}`,
    );
  }
  if (
    options.profiles?.includes('FirmwareManagement') &&
    options.hardware.installFirmware === undefined
  ) {
    throw problem(
      'FirmwareManagement needs hardware.installFirmware (§5.19: the adapter installs the image)',
    );
  }
  const profile = options.securityProfile ?? 0;
  if ((profile === 1 || profile === 2) && options.authorizationKey === undefined) {
    throw problem(
      `Security profile ${profile} needs authorizationKey (16-20 bytes, whitepaper §2.2)`,
    );
  }
}
