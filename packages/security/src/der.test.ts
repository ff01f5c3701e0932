import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseCertificateDer, parsePemCertificates } from './certificate.js';
import { SecurityError } from './errors.js';
import { createTestPki, type TestPki } from './test-pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

describe('untrusted certificate bytes never crash the parser', () => {
  test('mutated, truncated or extended DER either parses or throws MALFORMED_CERTIFICATE', () => {
    const der = derOf(pki.server.ecdsa.certificatePem);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 4,
        }),
        fc.nat(der.length),
        fc.uint8Array({ maxLength: 8 }),
        (edits, cut, tail) => {
          const bytes = Buffer.concat([der.subarray(0, Math.max(1, cut)), tail]);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          try {
            const cert = parseCertificateDer(bytes);
            expect(cert.der.length).toBe(bytes.length);
          } catch (error) {
            expect(error).toBeInstanceOf(SecurityError);
            expect((error as SecurityError).code).toBe('MALFORMED_CERTIFICATE');
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test('arbitrary text as a PEM chain throws MALFORMED_CERTIFICATE only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() =>
          parsePemCertificates(`-----BEGIN CERTIFICATE-----\n${text}\n-----END CERTIFICATE-----\n`),
        ).toThrowError(expect.objectContaining({ code: 'MALFORMED_CERTIFICATE' }));
      }),
      { numRuns: 200 },
    );
  });

  test('a certificate parses to the fields openssl would show', () => {
    const cert = parseCertificateDer(derOf(pki.subCa.certificatePem));
    expect(cert.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect([...(cert.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(cert.notAfter.getTime()).toBeGreaterThan(cert.notBefore.getTime());
    expect(cert.fingerprint).toBe(cert.x509.fingerprint256.replace(/:/g, '').toLowerCase());
  });
});
