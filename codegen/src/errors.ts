/** Stable codes of every way generation can fail. */
export const codegenErrorCodes = [
  'INPUT_UNREADABLE',
  'MANIFEST_INVALID',
  'TYPE_NAMES_INVALID',
  'SCHEMA_UNSUPPORTED',
  'TYPE_NAME_MISSING',
  'TYPE_NAME_UNUSED',
  'TYPE_NAME_CONFLICT',
  'VALIDATOR_COMPILE_FAILED',
  'USAGE',
] as const;
export type CodegenErrorCode = (typeof codegenErrorCodes)[number];

/** The one error class of @ocpp-kit/codegen; `message` says what to fix. */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';
  readonly code: CodegenErrorCode;

  constructor(code: CodegenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
