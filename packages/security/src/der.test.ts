import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseCertificateDer, parsePemCertificates } from './certificate.js';
import { SecurityError } from './errors.js';
import { serialNumberHex } from './hash-data.js';
import { openssl } from './test-helpers/openssl.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';

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

  test('a certificate parses to the fields openssl x509 -text shows', async () => {
    const cert = parseCertificateDer(derOf(pki.subCa.certificatePem));
    const text = await openssl(
      ['x509', '-noout', '-text', '-fingerprint', '-sha256', '-dates', '-serial'],
      tmpdir(),
      pki.subCa.certificatePem,
    );
    expect(cert.basicConstraints).toEqual({ ca: true, pathLength: 0, critical: true });
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect([...(cert.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const date = (name: string) =>
      new Date(new RegExp(`^${name}=(.+)$`, 'm').exec(text)?.[1] ?? '').getTime();
    expect(cert.notBefore.getTime()).toBe(date('notBefore'));
    expect(cert.notAfter.getTime()).toBe(date('notAfter'));
    expect(serialNumberHex(cert.serialNumber)).toBe(/^serial=0*([0-9A-F]+)$/m.exec(text)?.[1]);
    expect(cert.fingerprint).toBe(
      /^sha256 Fingerprint=([0-9A-F:]+)$/im.exec(text)?.[1]?.replace(/:/g, '').toLowerCase(),
    );
    expect([cert.organizationNames, cert.commonNames]).toEqual([['Test CPO'], ['Test CPO Sub-CA']]);
  });
});
