/** Stable codes of every `SecurityError`; extend here, never rename. */
export const securityErrorCodes = [
  'INVALID_AUTHORIZATION_KEY',
  'INVALID_BASIC_CREDENTIALS',
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
