import { describe, expect, test } from 'vitest';
import { RpcError } from '../errors.js';
import {
  classifyTlsFailure,
  handshakeSecurityEvent,
  type TlsSecurityEvent,
  tlsErrorCode,
  tlsSecurityEvents,
} from './tls-security-event.js';

const tlsError = (code: string) => Object.assign(new Error(code), { code });
const allowed = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' };

/** Codes seen in the field, with the event the whitepaper attaches to each failure. */
const classified = [
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'InvalidCentralSystemCertificate'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'InvalidCentralSystemCertificate'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'InvalidCentralSystemCertificate'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'InvalidCentralSystemCertificate'],
  ['CERT_HAS_EXPIRED', 'InvalidCentralSystemCertificate'],
  ['CERT_NOT_YET_VALID', 'InvalidCentralSystemCertificate'],
  ['INVALID_PURPOSE', 'InvalidCentralSystemCertificate'],
  ['UNSPECIFIED', 'InvalidCentralSystemCertificate'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'InvalidCentralSystemCertificate'],
  ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'InvalidTLSVersion'],
  ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'InvalidTLSVersion'],
  ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'InvalidTLSCipherSuite'],
  ['ERR_SSL_UNKNOWN_CIPHER_RETURNED', 'InvalidTLSCipherSuite'],
] as const satisfies readonly (readonly [string, TlsSecurityEvent])[];

describe('classifyTlsFailure (whitepaper §2.4.1, §2.5.1)', () => {
  test.each(classified)('A00.FR.309/315/322: %s -> %s', (code, event: TlsSecurityEvent) => {
    expect(classifyTlsFailure(code, allowed)).toBe(event);
  });

  test.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
    'OUT_OF_MEM',
    'toString',
    '__proto__',
  ])(
    'whitepaper §2.4.1/§2.5.1: %s is no failure A00.FR.309/315/322 name, so it raises no event',
    (code) => {
      expect(classifyTlsFailure(code, allowed)).toBeUndefined();
    },
  );

  test('library contract: errors without a string code have no TLS error code', () => {
    for (const error of [undefined, null, 'CERT_HAS_EXPIRED', new Error('x'), { code: 42 }]) {
      expect(tlsErrorCode(error)).toBeUndefined();
    }
  });

  test('A00.FR.315/419: a version failure counts only when TLS 1.2 and 1.3 are both enabled', () => {
    const version = 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION';
    expect(classifyTlsFailure(version, { minVersion: 'TLSv1.2' })).toBe('InvalidTLSVersion');
    expect(classifyTlsFailure(version, { ...allowed, maxVersion: 'TLSv1.2' })).toBeUndefined();
    expect(classifyTlsFailure(version, { ...allowed, minVersion: 'TLSv1.3' })).toBeUndefined();
    // Certificate and cipher suite failures do not depend on the version range.
    expect(classifyTlsFailure('CERT_HAS_EXPIRED', { maxVersion: 'TLSv1.2' })).toBe(
      'InvalidCentralSystemCertificate',
    );
  });

  test('library contract: an EPROTO write error gets the ERR_SSL_* code of its OpenSSL reason, as Node builds it', () => {
    // Observed through ws on Node 20 / OpenSSL 3.0 (the alert ends the pending upgrade write).
    const eproto = (line: string) =>
      Object.assign(new Error(`write EPROTO 804CC8F6357F0000:${line}\n`), {
        code: 'EPROTO',
        errno: -71,
        syscall: 'write',
      });
    const version = eproto(
      'error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 70',
    );
    expect(tlsErrorCode(version)).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(classifyTlsFailure(tlsErrorCode(version) ?? '', allowed)).toBe('InvalidTLSVersion');
    const cipher = eproto(
      'error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 40',
    );
    expect(classifyTlsFailure(tlsErrorCode(cipher) ?? '', allowed)).toBe('InvalidTLSCipherSuite');
    const plain = eproto(
      'error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355:',
    );
    expect(tlsErrorCode(plain)).toBe('ERR_SSL_WRONG_VERSION_NUMBER');
    expect(classifyTlsFailure(tlsErrorCode(plain) ?? '', allowed)).toBeUndefined();
    expect(tlsErrorCode(tlsError('EPROTO'))).toBe('EPROTO');
    expect(tlsErrorCode(tlsError('CERT_HAS_EXPIRED'))).toBe('CERT_HAS_EXPIRED');
  });

  test('library contract: handshakeSecurityEvent reads HandshakeFailed details only', () => {
    const details = { securityEvent: 'InvalidTLSVersion' };
    expect(handshakeSecurityEvent(new RpcError('HandshakeFailed', 'x', { details }))).toBe(
      'InvalidTLSVersion',
    );
    expect(handshakeSecurityEvent(new RpcError('Timeout', 'x', { details }))).toBeUndefined();
    expect(handshakeSecurityEvent(new RpcError('HandshakeFailed', 'x'))).toBeUndefined();
    expect(handshakeSecurityEvent(new Error('x'))).toBeUndefined();
  });

  test('whitepaper §2.4.1/§2.5.1: tlsSecurityEvents lists exactly the events the classifier raises, once each', () => {
    // That each name is a §8 event of @ocpp-kit/security is checked in tests/src (cross-package).
    const raised = new Set(classified.map(([code]) => classifyTlsFailure(code, allowed)));
    expect(new Set(tlsSecurityEvents)).toEqual(raised);
    expect(new Set(tlsSecurityEvents).size).toBe(tlsSecurityEvents.length);
  });
});
