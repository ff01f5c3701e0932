// The public API of @ocpp-kit/csms-kit.
// Transport and preview types from the packages below, so a central system needs one import.
export type {
  CallOptions,
  HandshakeRejectedEvent,
  SecurityProfile,
  ServerTlsOptions,
} from '@ocpp-kit/rpc-core';
export { previewCompositeSchedule, previewLimitAt } from '@ocpp-kit/schedule';
export type { CertificateAuthority } from '@ocpp-kit/security';
export type { ListeningAddress } from './central-system.js';
export { CentralSystem, createCentralSystem } from './central-system.js';
export type {
  CentralSystemOptions,
  ListenerOptions,
  TransportOptions,
} from './central-system-options.js';
export type { CallFailureReason, CallOutcome } from './commands/call-outcome.js';
export { callFailureReasons } from './commands/call-outcome.js';
export type { CsmsHandshakeContext, UnknownChargePointPolicy } from './core/authentication.js';
export type { ChargePointRequestEvent, CsmsEvents } from './core/csms-events.js';
export type {
  ChargePointAction,
  CsmsHandler,
  CsmsHandlerContext,
  HandlerTable,
} from './core/handler.js';
export type { BootContext, BootPolicy } from './core/kit-services.js';
export type { CsmsLogFields, CsmsLogger } from './core/logger.js';
export { silentCsmsLogger } from './core/logger.js';
export type { CsmsCommand, SessionInfo } from './core/session.js';
export { ChargePointSession } from './core/session.js';
export type { CsmsKitErrorCode } from './errors.js';
export { CsmsKitError, csmsKitErrorCodes } from './errors.js';
export type { FileEndpointsOptions } from './files/file-endpoints.js';
export { FileEndpoints } from './files/file-endpoints.js';
export type {
  ActiveTransactionCount,
  AuthorizerOptions,
  IdTagProvider,
  IdTagRecord,
} from './helpers/authorization.js';
export { Authorizer, MemoryIdTags } from './helpers/authorization.js';
export type {
  CertificateAuthoritySignerOptions,
  CertificateSigner,
  CsrToSign,
} from './helpers/certificate-signing.js';
export { certificateAuthoritySigner } from './helpers/certificate-signing.js';
export type { ChargingLimitOptions } from './helpers/charging-profiles.js';
export { chargingLimitProfile } from './helpers/charging-profiles.js';
export { idTagKey } from './helpers/id-tag-key.js';
export type {
  LocalAuthorizationListOptions,
  LocalListState,
} from './helpers/local-authorization-list.js';
export { LocalAuthorizationList } from './helpers/local-authorization-list.js';
export type { LedgerStart, LedgerStop } from './helpers/transaction-ledger.js';
export { TransactionLedger } from './helpers/transaction-ledger.js';
export type {
  BeginResult,
  StoredTransaction,
  TransactionEndResult,
  TransactionStart,
  TransactionStartKey,
  TransactionStop,
  TransactionStore,
} from './helpers/transaction-store.js';
export { MemoryTransactionStore, maxTransactionId } from './helpers/transaction-store.js';
export type {
  ChargePointDirectory,
  ChargePointRecord,
  PendingRegistration,
  RegistrationState,
} from './registry/charge-point-directory.js';
export { MemoryDirectory } from './registry/charge-point-directory.js';
export type { RoutedCall, SessionRegistry } from './registry/session-registry.js';
export { InProcessRegistry } from './registry/session-registry.js';
