// Every API error: a stable code, its HTTP status, a message that says what to fix.
export const apiErrorStatus = {
  /** No or a wrong API key. */
  UNAUTHORIZED: 401,
  /** The body, query or path does not match the route's schema. */
  INVALID_REQUEST: 400,
  /** An OCPP payload does not match its schema; `details` lists the failures. */
  INVALID_PAYLOAD: 400,
  /** The path names no CSMS-initiated OCPP action. */
  UNKNOWN_COMMAND: 404,
  /** No such charge point, transaction, idTag or route. */
  NOT_FOUND: 404,
  /** It exists already. */
  CONFLICT: 409,
  /** The body is larger than the API accepts. */
  PAYLOAD_TOO_LARGE: 413,
  /** The body is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Something failed on our side; the message says what. */
  INTERNAL: 500,
} as const;
export type ApiErrorCode = keyof typeof apiErrorStatus;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return apiErrorStatus[this.code];
  }
}

/** Fastify's own error codes, as API errors. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const { code, message, statusCode } = error as {
    code?: string;
    message?: string;
    statusCode?: number;
  };
  if (code === 'FST_ERR_VALIDATION')
    return new ApiError('INVALID_REQUEST', message ?? 'Invalid request');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError('PAYLOAD_TOO_LARGE', 'The body is larger than 64 KiB: send less at once');
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new ApiError('INVALID_REQUEST', message ?? 'Invalid request');
  }
  return new ApiError('INTERNAL', message ?? 'Internal error');
}
