// Subject names for charge point certificates, validated before any encoding (A00.FR.509,
// A00.FR.511, A02.FR.13). Names are always built as separate attributes, never from a string.
import { isIP } from 'node:net';
import { SecurityError } from './errors.js';

/** RFC 5280 upper bounds: ub-organization-name and ub-common-name are both 64. */
export const subjectLimits = { organizationName: 64, commonName: 64 } as const;

/** The subject a charge point puts in its CSR: O = CpoName, CN = its serial number. */
export interface ChargePointSubject {
  readonly cpoName: string;
  readonly serialNumber: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const control = /[\u0000-\u001f\u007f]/;

/** Throws `INVALID_SUBJECT` naming the field unless the subject is usable. */
export function assertChargePointSubject(subject: ChargePointSubject): void {
  if (typeof subject !== 'object' || subject === null) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `Expected { cpoName, serialNumber }; got ${subject === null ? 'null' : typeof subject}`,
    );
  }
  checkText('cpoName', subject.cpoName, subjectLimits.organizationName);
  checkText('serialNumber', subject.serialNumber, subjectLimits.commonName);
  // A00.FR.511: the CN must not look like a URL or an IP address, so that charge point and
  // central system certificates cannot be confused.
  if (isUrlOrIpAddress(subject.serialNumber)) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `serialNumber must not be a URL or an IP address (A00.FR.511); got "${subject.serialNumber}"`,
    );
  }
}

/** A UTF-16 code unit of a surrogate pair without its other half: not encodable as UTF-8. */
const loneSurrogate = /\p{Surrogate}/u;

function checkText(field: string, value: unknown, max: number): void {
  // RFC 5280 upper bounds count characters, so code points are counted, not UTF-16 units.
  const length = typeof value === 'string' ? codePoints(value) : 0;
  if (typeof value !== 'string' || length === 0 || length > max) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `${field} must be a string of 1-${max} characters; got ${typeof value === 'string' ? `${length} characters` : value === null ? 'null' : typeof value}`,
    );
  }
  if (loneSurrogate.test(value)) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `${field} holds a lone UTF-16 surrogate, which no UTF8String can carry`,
    );
  }
  if (control.test(value) || value.trim() !== value) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `${field} must not contain control characters or leading/trailing spaces`,
    );
  }
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** Text that could be an IP address in some notation: digits, hex, dots, colons, brackets. */
const ipLike = /^[0-9a-fx.:[\]]+$/i;

/**
 * A00.FR.511: true when a charge point CN would look like a URL or an IP address. Besides the
 * canonical forms, every form a URL host parser (WHATWG, inet_aton) reads as an address counts:
 * `127.1`, `2130706433`, `0x7f000001`, `[::1]`.
 */
export function isUrlOrIpAddress(value: string): boolean {
  if (isIP(value) !== 0 || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return true;
  if (!ipLike.test(value)) return false;
  try {
    const host = new URL(`http://${value}/`).hostname;
    return isIP(host) !== 0 || (host.startsWith('[') && isIP(host.slice(1, -1)) !== 0);
  } catch {
    return false;
  }
}

/** The O / CN values a charge point certificate must carry, when known. */
export interface ExpectedChargePointSubject {
  readonly cpoName?: string | undefined;
  readonly serialNumber?: string | undefined;
}

/**
 * Why a charge point certificate or CSR subject is unacceptable, or `undefined` when it is fine:
 * exactly one O (A00.FR.509) and one CN that is not a URL or an IP address (A00.FR.511), equal to
 * CpoName (A02.FR.13) / the serial number (A00.FR.405) when expected. Callers wrap the text in their
 * own error or result type.
 */
export function chargePointSubjectProblem(
  organizationNames: readonly string[],
  commonNames: readonly string[],
  expected: ExpectedChargePointSubject = {},
): string | undefined {
  const [o] = organizationNames;
  const [cn] = commonNames;
  if (o === undefined || organizationNames.length > 1) {
    return `O is ${JSON.stringify(organizationNames)}; exactly one organizationName is required (A00.FR.509)`;
  }
  if (cn === undefined || commonNames.length > 1 || isUrlOrIpAddress(cn)) {
    return `CN is ${JSON.stringify(commonNames)}; exactly one commonName that is not a URL or an IP address is required (A00.FR.511)`;
  }
  if (expected.cpoName !== undefined && o !== expected.cpoName) {
    return `O is "${o}"; expected CpoName "${expected.cpoName}" (A00.FR.509, A02.FR.13)`;
  }
  if (expected.serialNumber !== undefined && cn !== expected.serialNumber) {
    return `CN is "${cn}"; expected serial number "${expected.serialNumber}" (A00.FR.511, A00.FR.405)`;
  }
  return undefined;
}
