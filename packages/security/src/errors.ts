/** Stable codes of every `SecurityError`; extend here, never rename. */
export const securityErrorCodes = [
  'INVALID_AUTHORIZATION_KEY',
  'INVALID_BASIC_CREDENTIALS',
  /** A certificate (PEM or DER) could not be parsed. */
  'MALFORMED_CERTIFICATE',
  /** A PKCS#10 CSR could not be parsed or its self-signature does not verify. */
  'MALFORMED_CSR',
  /** CpoName / serial number unusable as a certificate subject (A02.FR.13, A00.FR.511). */
  'INVALID_SUBJECT',
  /** A key type or size the whitepaper forbids (A00.FR.501-503) or Node cannot use. */
  'UNSUPPORTED_KEY',
  /** CertificateHashData with an unknown algorithm or non-hex fields. */
  'INVALID_HASH_DATA',
  /** A CSR the CA helper refuses to sign (wrong subject, weak key). */
  'CSR_REJECTED',
  /** A security event type or techInfo that does not fit SecurityEventNotification.req. */
  'INVALID_SECURITY_EVENT',
  /** Reading or writing the certificate store directory failed. */
  'STORE_IO',
  /** Reading or writing the security log failed. */
  'LOG_IO',
  /** The firmware file could not be read. */
  'FIRMWARE_READ_FAILED',
  /** The firmware file is longer than `maxBytes` (or never ends). */
  'FIRMWARE_TOO_LARGE',
  /** The caller's AbortSignal stopped the operation. */
  'ABORTED',
] as const;
export type SecurityErrorCode = (typeof securityErrorCodes)[number];

/** The one error class of `@ocpp-kit/security`; branch on `code`, not on the message. */
export class SecurityError extends Error {
  override readonly name = 'SecurityError';
  readonly code: SecurityErrorCode;

  constructor(code: SecurityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
