import type { ValidationFailure, ValidationKeyword } from '@ocpp-kit/messages';
import { type CallErrorCode, RpcError } from '../errors.js';

/**
 * The CALLERROR code for a failed schema keyword (OCPP-J 1.6 §4.2.3 Table 7). Exhaustive: a new
 * keyword in `@ocpp-kit/messages` is a compile error here until it is mapped.
 */
export function callErrorCodeOf(keyword: ValidationKeyword): CallErrorCode {
  switch (keyword) {
    // "at least one of the fields violates occurrence constraints": presence and cardinality.
    case 'required':
    case 'minItems':
    case 'maxItems':
    case 'dependencies':
      return 'OccurenceConstraintViolation';
    // "violates data type constraints (e.g. "somestring": 12)".
    case 'type':
      return 'TypeConstraintViolation';
    // "syntactically correct but at least one field contains an invalid value".
    case 'enum':
    case 'const':
    case 'maxLength':
    case 'minLength':
    case 'pattern':
    case 'format':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'uniqueItems':
      return 'PropertyConstraintViolation';
    // "not conform the PDU structure": unknown fields or no matching shape.
    case 'additionalProperties':
    case 'additionalItems':
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
    case 'not':
      return 'FormationViolation';
  }
}

/** JSON pointer of the failing field: the missing/extra property is appended. */
export function fieldOf(failure: ValidationFailure): string {
  return failure.property === undefined
    ? failure.instancePath
    : `${failure.instancePath}/${failure.property}`;
}

const maxDescriptionLength = 256;

/**
 * A CALLERROR description: the validator's message, which names the field (protocol.ts
 * contract). Bounded, since an unknown property's name comes from the peer.
 */
export function describeFailure(failure: ValidationFailure): string {
  const text = failure.message;
  return text.length > maxDescriptionLength ? `${text.slice(0, maxDescriptionLength - 1)}…` : text;
}

/** The `InvalidOutgoingPayload` error for a payload of ours that fails its schema; names the field. */
export function invalidOutgoingPayload(
  action: string,
  kind: 'request' | 'response',
  failures: readonly ValidationFailure[],
  messageId = '',
): RpcError {
  const first = failures[0] as ValidationFailure;
  return new RpcError(
    'InvalidOutgoingPayload',
    `'${action}' ${kind} is invalid: ${describeFailure(first)}; fix the payload to match the schema`,
    {
      details: { code: callErrorCodeOf(first.keyword) },
      failures,
      action,
      ...(messageId === '' ? {} : { messageId }),
    },
  );
}
