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
export type { SecurityErrorCode } from './errors.js';
export { SecurityError, securityErrorCodes } from './errors.js';
