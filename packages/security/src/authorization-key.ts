// AuthorizationKey and HTTP Basic credentials for security profiles 1 and 2
// (whitepaper §2.3-2.4, A00.FR.203-205, §7.2; OCPP-J 1.6 §6.2.2). Dependency-free on purpose:
// rpc-core's transport imports this module through the `./authorization-key` subpath.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SecurityError } from './errors.js';

/** Bytes a key must have (A00.FR.205: minimal 16 bytes, 20 bytes maximum). */
export const authorizationKeyLength = { min: 16, max: 20 } as const;

const hexKey = /^(?:[0-9a-fA-F]{2}){16,20}$/;

/** A fresh random 20-byte AuthorizationKey (the maximum entropy the spec allows). */
export function generateAuthorizationKey(): Buffer {
  return randomBytes(authorizationKeyLength.max);
}

/** The key's configuration-key form: upper-case hex, at most 40 characters. */
export function authorizationKeyToHex(key: Uint8Array): string {
  assertKeyLength(key);
  return Buffer.from(key).toString('hex').toUpperCase();
}

/**
 * Parses the AuthorizationKey configuration value (e.g. from ChangeConfiguration.req).
 * Throws `INVALID_AUTHORIZATION_KEY` unless it is 32-40 hex digits (16-20 bytes).
 */
export function parseAuthorizationKey(value: string): Buffer {
  if (typeof value !== 'string' || !hexKey.test(value)) {
    throw new SecurityError(
      'INVALID_AUTHORIZATION_KEY',
      `AuthorizationKey must be an even number of hex digits encoding ${authorizationKeyLength.min}-${authorizationKeyLength.max} bytes (at most 40 characters); got ${typeof value === 'string' ? `${value.length} characters` : describe(value)}`,
    );
  }
  return Buffer.from(value, 'hex');
}

/** True when `value` is an acceptable AuthorizationKey configuration value. */
export function isValidAuthorizationKey(value: string): boolean {
  return typeof value === 'string' && hexKey.test(value);
}

/**
 * Builds `Authorization: Basic ...` from the identity and the raw key bytes. The key is binary,
 * so it is concatenated as bytes, never through a string (which would corrupt bytes >= 0x80).
 */
export function encodeBasicAuthorization(identity: string, key: Uint8Array): string {
  if (!(key instanceof Uint8Array)) {
    throw new SecurityError(
      'INVALID_BASIC_CREDENTIALS',
      `The Basic password is the AuthorizationKey as bytes (a Uint8Array); got ${describe(key)}`,
    );
  }
  if (typeof identity !== 'string' || identity.length === 0 || identity.includes(':')) {
    throw new SecurityError(
      'INVALID_BASIC_CREDENTIALS',
      'The Basic username is the charge point identity and must be non-empty without ":" (RFC 7617 §2)',
    );
  }
  const user = Buffer.from(`${identity}:`, 'utf8');
  return `Basic ${Buffer.concat([user, key]).toString('base64')}`;
}

/** Credentials read from an `Authorization` header. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: Buffer;
}

const base64Token = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an `Authorization` header. Returns `undefined` for a missing header, another scheme,
 * malformed base64, a missing ":" or a username that is not UTF-8; the caller answers 401.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^basic[ ]+(\S+)[ ]*$/i.exec(header);
  const token = match?.[1];
  if (token === undefined || token.length % 4 !== 0 || !base64Token.test(token)) return undefined;
  const decoded = Buffer.from(token, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon <= 0) return undefined;
  let username: string;
  try {
    username = utf8.decode(decoded.subarray(0, colon));
  } catch {
    return undefined;
  }
  return { username, password: decoded.subarray(colon + 1) };
}

/**
 * Compares two keys in time independent of their contents and lengths: both are hashed first,
 * so `timingSafeEqual` always sees equal-length inputs.
 */
export function authorizationKeyEquals(a: Uint8Array, b: Uint8Array): boolean {
  for (const key of [a, b]) {
    if (!(key instanceof Uint8Array)) {
      throw new SecurityError(
        'INVALID_AUTHORIZATION_KEY',
        `authorizationKeyEquals compares bytes (Uint8Array); got ${describe(key)}`,
      );
    }
  }
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** `typeof`, with null and arrays told apart, for error messages about wrong input types. */
function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function assertKeyLength(key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) {
    throw new SecurityError(
      'INVALID_AUTHORIZATION_KEY',
      `AuthorizationKey must be a Uint8Array of bytes; got ${describe(key)}`,
    );
  }
  if (key.length < authorizationKeyLength.min || key.length > authorizationKeyLength.max) {
    throw new SecurityError(
      'INVALID_AUTHORIZATION_KEY',
      `AuthorizationKey must be ${authorizationKeyLength.min}-${authorizationKeyLength.max} bytes; got ${key.length}`,
    );
  }
}
