import { describe, expect, test } from 'vitest';
import {
  callErrorCodes,
  isCallErrorCode,
  localErrorCodes,
  normalizeCallErrorCode,
  RpcError,
  rpcErrorCodes,
} from './errors.js';

describe('RpcError codes', () => {
  test('OCPP-J 4.2.3 Table 7: the ten CALLERROR codes, in the 1.6 spellings (errata 5.1/5.2: do not fix)', () => {
    expect([...callErrorCodes].sort()).toEqual(
      [
        'FormationViolation',
        'GenericError',
        'InternalError',
        'NotImplemented',
        'NotSupported',
        'OccurenceConstraintViolation',
        'PropertyConstraintViolation',
        'ProtocolError',
        'SecurityError',
        'TypeConstraintViolation',
      ].sort(),
    );
  });

  test('OCPP-J errata 5.1/5.2: the corrected spellings are accepted on receipt and normalised', () => {
    expect(normalizeCallErrorCode('FormatViolation')).toBe('FormationViolation');
    expect(normalizeCallErrorCode('OccurrenceConstraintViolation')).toBe(
      'OccurenceConstraintViolation',
    );
    expect(normalizeCallErrorCode('FormationViolation')).toBe('FormationViolation');
    expect(normalizeCallErrorCode('MessageTypeNotSupported')).toBeUndefined();
    expect(normalizeCallErrorCode('Timeout')).toBeUndefined();
    expect(normalizeCallErrorCode('__proto__')).toBeUndefined();
  });

  test('local codes are never CALLERROR codes and the catalogue has no duplicates', () => {
    for (const code of localErrorCodes) expect(isCallErrorCode(code)).toBe(false);
    expect(new Set(rpcErrorCodes).size).toBe(rpcErrorCodes.length);
  });

  test('RpcError keeps code, cause and CALLERROR fields', () => {
    const cause = new Error('socket reset');
    const error = new RpcError('ConnectionLost', 'lost', {
      cause,
      messageId: 'm1',
      action: 'Heartbeat',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'RpcError',
      code: 'ConnectionLost',
      messageId: 'm1',
      action: 'Heartbeat',
    });
    expect(error.cause).toBe(cause);
    expect('cause' in new RpcError('Closed', 'closed')).toBe(false);
  });
});
