// The public API of @ocpp-kit/charge-point-kit.
// Connection option types, from rpc-core, so a charge point needs one import.
export type { BackoffOptions, ClientTlsOptions, SecurityProfile } from '@ocpp-kit/rpc-core';
export { ChargePoint, chargePointDatabaseFileName } from './charge-point.js';
export type {
  ChargePointOptions,
  ChargePointStorage,
  FileTransferOptions,
  SupportedProfile,
} from './charge-point-options.js';
export type {
  ConfigurationChange,
  ConfigurationStore,
  StandardValueOf,
  ValueToSet,
} from './config/configuration-store.js';
export type {
  BooleanKey,
  ConfigAccess,
  ConfigValueOf,
  ConfigValueType,
  CslItems,
  CslKey,
  CustomKeyDefinition,
  IntegerKey,
  KeyDefinition,
  ListedProfile,
  StringKey,
} from './config/key-definition.js';
export type { StandardKeyName } from './config/keys.js';
export { standardKeys } from './config/keys.js';
export type { Authorization, AuthorizationSource } from './core/authorizer.js';
export type { ConnectorFault } from './core/connector-status.js';
export type { ChargePointEvents, Registration } from './core/events.js';
export type {
  FirmwareInstallResult,
  HardwareAdapter,
  MeterReading,
  OutputCommand,
} from './core/hardware.js';
export type { LocalListRefusal, LocalListRejectionReason } from './core/local-list.js';
export { localListRejectionReasons } from './core/local-list.js';
export type { KitLogger, LogFields } from './core/logger.js';
export { silentLogger } from './core/logger.js';
export type { Timers } from './core/timers.js';
export { systemTimers } from './core/timers.js';
export type { ChargePointKitErrorCode } from './errors.js';
export { ChargePointKitError, chargePointKitErrorCodes } from './errors.js';
export type { KitStoreLocation } from './storage/kit-store.js';
export { KitStore } from './storage/kit-store.js';
export { openSqliteDatabase } from './storage/open-sqlite-database.js';
export type { SqlDatabase, SqlRow, SqlStatement, SqlValue } from './storage/sql-database.js';
