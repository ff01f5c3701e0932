// The message types this API takes and returns, so that no caller needs @ocpp-kit/messages too.
export type {
  CertificateHashData,
  CertificateSignedStatus,
  CertificateUse,
  DeleteCertificateStatus,
  Firmware,
  GetInstalledCertificateIdsResponse,
  HashAlgorithm,
  InstallCertificateStatus,
  SecurityEventNotificationRequest,
  SignedFirmwareStatus,
  UpdateFirmwareStatus,
} from '@ocpp-kit/messages';
export type { BasicCredentials } from './authorization-key.js';
export {
  authorizationKeyEquals,
  authorizationKeyLength,
  authorizationKeyToHex,
  encodeBasicAuthorization,
  generateAuthorizationKey,
  isValidAuthorizationKey,
  parseAuthorizationKey,
  parseBasicAuthorization,
} from './authorization-key.js';
export type { CertificateAuthority, CsrDetails, SignCsrOptions, SignedCertificate } from './ca.js';
export {
  certificateChainMaxLength,
  readCertificateSigningRequest,
  signCertificateRequest,
} from './ca.js';
export type { Certificate, KeyUsage, SignatureDigest } from './certificate.js';
export {
  certificateLimits,
  isIssuedBy,
  isSelfIssued,
  isSelfSigned,
  keyPurposes,
  keyUsageNames,
  parseCertificateDer,
  parsePemCertificate,
  parsePemCertificates,
} from './certificate.js';
export type {
  CertificateInstallResult,
  CertificateSignedResult,
  CertificateStoreLocation,
  CertificateStoreOptions,
  ChargePointCredentials,
  ChargePointIdentity,
  InstalledCertificate,
  StoreProblem,
  StoreRejectionReason,
} from './certificate-store.js';
export {
  CertificateStore,
  certificateStoreFileName,
  storeRejectionReasons,
} from './certificate-store.js';
export type { CertificateStoreStorage } from './certificate-store-storage.js';
export { certificateStoreFile } from './certificate-store-storage.js';
export type {
  CertificateSignedCheck,
  ChainRejection,
  ChainRejectionReason,
  ChainValidation,
  FirmwareSigningCheck,
} from './chain.js';
export {
  certificateSignedMaxChainSize,
  chainRejectionReasons,
  keyStrengthProblem,
  signatureAlgorithmProblem,
  validateCertificateSigned,
  validateFirmwareSigningCertificate,
  validateRootCertificate,
} from './chain.js';
export type { CertificateSigningRequest, CreateCsrOptions } from './csr.js';
export { createCertificateSigningRequest, csrMaxLength } from './csr.js';
export type { SecurityErrorCode } from './errors.js';
export { SecurityError, securityErrorCodes } from './errors.js';
export type {
  FirmwareCertificateCheck,
  FirmwareCertificateRejection,
  FirmwareCertificateResult,
  FirmwareSignatureRejection,
  FirmwareVerification,
  FirmwareVerificationOptions,
} from './firmware.js';
export {
  checkFirmwareSigningCertificate,
  defaultFirmwareMaxBytes,
  verifyFirmware,
} from './firmware.js';
export {
  certificateHashData,
  certificateHashDataEquals,
  hashAlgorithmDigests,
  serialNumberHex,
} from './hash-data.js';
export type {
  CertificateProfile,
  IssueOptions,
  KeyAndCertificate,
  SubjectAttributes,
} from './issue.js';
export { issueCertificate } from './issue.js';
export type { GeneratedKeyPair, KeySpec } from './keys.js';
export { defaultKeySpec, generateKeyPair } from './keys.js';
export type { SecurityEventType } from './security-events.js';
export {
  isCriticalSecurityEvent,
  securityEventLimits,
  securityEventNotification,
  securityEvents,
  securityEventTypes,
} from './security-events.js';
export type {
  SecurityLogEntry,
  SecurityLogLocation,
  SecurityLogOptions,
  SecurityLogProblem,
} from './security-log.js';
export { SecurityLog, toSecurityEventNotification } from './security-log.js';
export type { SecurityLogStorage } from './security-log-storage.js';
export { securityLogFile } from './security-log-storage.js';
export type { ChargePointSubject } from './subject.js';
export { assertChargePointSubject, subjectLimits } from './subject.js';
