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

function checkText(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `${field} must be a string of 1-${max} characters; got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
    );
  }
  if (control.test(value) || value.trim() !== value) {
    throw new SecurityError(
      'INVALID_SUBJECT',
      `${field} must not contain control characters or leading/trailing spaces`,
    );
  }
}

/** A00.FR.511: true when a charge point CN would look like a URL or an IP address. */
export function isUrlOrIpAddress(value: string): boolean {
  return isIP(value) !== 0 || /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
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
