import { createPublicKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCertificateSigningRequest } from './ca.js';
import { createCertificateSigningRequest, csrMaxLength } from './csr.js';
import type { KeySpec } from './keys.js';
import { openssl, tempDir } from './test-helpers/openssl.js';

let dir: { path: string; remove: () => Promise<void> };
let counter = 0;

beforeAll(async () => {
  dir = await tempDir('csr');
});
afterAll(() => dir.remove());

/** Writes the CSR and returns openssl's verification, text dump and multiline subject. */
async function inspect(csrPem: string) {
  const file = `csr-${counter++}.pem`;
  await writeFile(join(dir.path, file), csrPem);
  const verify = await openssl(['req', '-in', file, '-verify', '-noout'], dir.path);
  const text = await openssl(['req', '-in', file, '-noout', '-text'], dir.path);
  const subject = await openssl(
    ['req', '-in', file, '-noout', '-subject', '-nameopt', 'sep_multiline,lname,utf8,space_eq'],
    dir.path,
  );
  const rfc2253 = await openssl(
    ['req', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253'],
    dir.path,
  );
  const attributes = subject
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+=\s+/, 2));
  return { verify, text, attributes, rfc2253: rfc2253.trim() };
}

describe('CSR (whitepaper A02.FR.02-03, A02.FR.13, A00.FR.501-506)', () => {
  test.each<[string, KeySpec | undefined, RegExp, string]>([
    [
      'ECDSA P-256 (default)',
      undefined,
      /Public-Key: \(256 bit\)[\s\S]*NIST CURVE: P-256/,
      'ecdsa-with-SHA256',
    ],
    [
      'ECDSA P-384',
      { type: 'ec', curve: 'P-384' },
      /Public-Key: \(384 bit\)[\s\S]*NIST CURVE: P-384/,
      'ecdsa-with-SHA256',
    ],
    [
      'RSA 2048',
      { type: 'rsa', bits: 2048 },
      /Public-Key: \(2048 bit\)/,
      'sha256WithRSAEncryption',
    ],
  ])(
    '%s: openssl req -verify passes, key and SHA-256 signature as requested',
    async (_name, key, keyLine, sigAlg) => {
      const csr = await createCertificateSigningRequest({
        cpoName: 'ACME Charging',
        serialNumber: 'CP-0001',
        ...(key === undefined ? {} : { key }),
      });
      const { verify, text, attributes } = await inspect(csr.csrPem);
      expect(verify).toMatch(/verify OK|self-signature (verify )?ok/i);
      expect(text).toMatch(keyLine);
      expect(text).toContain(`Signature Algorithm: ${sigAlg}`);
      expect(attributes).toEqual([
        ['organizationName', 'ACME Charging'],
        ['commonName', 'CP-0001'],
      ]);
      expect(csr.csrPem.length).toBeLessThanOrEqual(csrMaxLength);
      // The private key that stays on the charge point belongs to the CSR's public key.
      const fromPrivate = createPublicKey(csr.privateKeyPem).export({
        type: 'spki',
        format: 'pem',
      });
      expect(fromPrivate).toBe(csr.publicKeyPem);
      expect(text).toContain(
        (await openssl(['pkey', '-pubin', '-noout', '-text'], dir.path, csr.publicKeyPem))
          .split('\n')[1]
          ?.trim() ?? '',
      );
    },
  );

  test.each([
    ['a comma and CN=', 'ACME, CN=Evil'],
    ['a plus and O=', 'ACME+O=Evil'],
    ['a leading #', '#4142'],
    ['quotes and a backslash', '"ACME\\, Inc"'],
    ['non-ASCII', 'Ladestrom Müller'],
  ])(
    'A02.FR.13: a CpoName with %s stays one literal O value, never an injected attribute',
    async (_why, cpoName) => {
      const csr = await createCertificateSigningRequest({ cpoName, serialNumber: 'SN-42' });
      const { verify, attributes, rfc2253 } = await inspect(csr.csrPem);
      expect(verify).toMatch(/ok/i);
      expect(attributes).toEqual([
        ['organizationName', cpoName],
        ['commonName', 'SN-42'],
      ]);
      expect(rfc2253.startsWith('subject=CN=SN-42,O=')).toBe(true);
      const parsed = await readCertificateSigningRequest(csr.csrPem);
      expect(parsed.organizationNames).toEqual([cpoName]);
      expect(parsed.commonNames).toEqual(['SN-42']);
    },
  );

  test('A02.FR.02: every request gets a new key pair', async () => {
    const a = await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-1' });
    const b = await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-1' });
    expect(a.publicKeyPem).not.toBe(b.publicKeyPem);
  });

  test.each([
    ['an empty CpoName', { cpoName: '', serialNumber: 'CP-1' }, /cpoName/],
    ['a CpoName over 64 characters', { cpoName: 'x'.repeat(65), serialNumber: 'CP-1' }, /1-64/],
    ['a NUL in the serial number', { cpoName: 'ACME', serialNumber: 'CP\u00001' }, /control/],
    [
      'a URL as serial number',
      { cpoName: 'ACME', serialNumber: 'https://cp.example' },
      /A00.FR.511/,
    ],
    ['an IP address as serial number', { cpoName: 'ACME', serialNumber: '10.0.0.1' }, /A00.FR.511/],
  ])('refuses %s with INVALID_SUBJECT', async (_why, subject, message) => {
    await expect(createCertificateSigningRequest(subject)).rejects.toMatchObject({
      code: 'INVALID_SUBJECT',
      message: expect.stringMatching(message),
    });
  });

  test.each<[string, KeySpec]>([
    ['RSA 1024', { type: 'rsa', bits: 1024 }],
    ['an unknown curve', { type: 'ec', curve: 'P-192' as 'P-256' }],
  ])('A00.FR.502-503: refuses %s with UNSUPPORTED_KEY', async (_why, key) => {
    await expect(
      createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-1', key }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_KEY' });
  });

  test('a tampered CSR is MALFORMED_CSR on the CSMS side', async () => {
    const csr = await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-1' });
    const der = Buffer.from(csr.csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('CP-1'));
    der[at + 3] = 0x32; // CP-1 -> CP-2 inside the signed subject
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(readCertificateSigningRequest(tampered)).rejects.toMatchObject({
      code: 'MALFORMED_CSR',
    });
    await expect(readCertificateSigningRequest('not a csr')).rejects.toMatchObject({
      code: 'MALFORMED_CSR',
    });
  });
});
