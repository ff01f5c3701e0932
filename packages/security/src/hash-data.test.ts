import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HashAlgorithm } from '@ocpp-kit/messages';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePemCertificate } from './certificate.js';
import { SecurityError } from './errors.js';
import { certificateHashData, certificateHashDataEquals } from './hash-data.js';
import { openssl, tempDir } from './test-helpers/openssl.js';

let dir: { path: string; remove: () => Promise<void> };

const issuers = {
  rsa: ['-newkey', 'rsa:2048'],
  ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
} as const;
const serials = { '0FFF': '0x0FFF', highBit: '0x80112233445566778899' } as const;

/** CertID fields of the OCSP request openssl writes for (issuer, cert, digest). */
async function opensslCertId(issuer: string, cert: string, digest: string) {
  const out = `${issuer}-${cert}-${digest}.der`;
  await openssl(
    ['ocsp', '-issuer', issuer, `-${digest}`, '-cert', cert, '-no_nonce', '-reqout', out],
    dir.path,
  );
  const parsed = await openssl(['asn1parse', '-inform', 'DER', '-in', out], dir.path);
  const hashes = [...parsed.matchAll(/OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)/g)].map((m) => m[1]);
  const serial = /INTEGER\s+:([0-9A-F]+)/.exec(parsed)?.[1];
  return { issuerNameHash: hashes[0], issuerKeyHash: hashes[1], serial };
}

beforeAll(async () => {
  dir = await tempDir('hash');
  for (const [name, keyArgs] of Object.entries(issuers)) {
    await openssl(
      [
        'req',
        '-x509',
        ...keyArgs,
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-subj',
        `/C=NL/O=Issuer ${name}/CN=Root ${name}`,
        '-days',
        '30',
      ],
      dir.path,
    );
    for (const [label, serial] of Object.entries(serials)) {
      const base = `${name}-${label}`;
      await openssl(
        [
          'req',
          '-new',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          `${base}.key`,
          '-out',
          `${base}.csr`,
          '-subj',
          '/O=CPO/CN=CP-1',
        ],
        dir.path,
      );
      await openssl(
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          `${name}.pem`,
          '-CAkey',
          `${name}.key`,
          '-set_serial',
          serial,
          '-days',
          '10',
          '-out',
          `${base}.pem`,
        ],
        dir.path,
      );
    }
  }
});

afterAll(() => dir.remove());

const load = async (file: string) =>
  parsePemCertificate(await readFile(join(dir.path, file), 'utf8'), file);

describe('CertificateHashData (whitepaper §6.1, RFC 6960 §4.1.1 CertID)', () => {
  const cases = (['rsa', 'ec'] as const).flatMap((issuer) =>
    (['0FFF', 'highBit'] as const).flatMap((serial) =>
      (['SHA256', 'SHA384', 'SHA512'] as const).map((alg) => [issuer, serial, alg] as const),
    ),
  );

  test.each(cases)(
    '%s issuer, serial %s, %s: equals openssl ocsp CertID',
    async (issuer, serial, alg) => {
      const cert = await load(`${issuer}-${serial}.pem`);
      const ca = await load(`${issuer}.pem`);
      const ours = certificateHashData(cert, ca, alg as HashAlgorithm);
      const theirs = await opensslCertId(
        `${issuer}.pem`,
        `${issuer}-${serial}.pem`,
        alg.toLowerCase(),
      );
      expect(ours.hashAlgorithm).toBe(alg);
      expect(ours.issuerNameHash.toUpperCase()).toBe(theirs.issuerNameHash);
      expect(ours.issuerKeyHash.toUpperCase()).toBe(theirs.issuerKeyHash);
      expect(ours.issuerNameHash).toHaveLength({ SHA256: 64, SHA384: 96, SHA512: 128 }[alg]);
      expect(theirs.serial?.replace(/^0+/, '')).toBe(ours.serialNumber);
    },
  );

  test('§6.1: serial 0x0FFF is "FFF" (no leading zeros, no 0x)', async () => {
    const hash = certificateHashData(await load('rsa-0FFF.pem'), await load('rsa.pem'));
    expect(hash.serialNumber).toBe('FFF');
  });

  test('§6.1: a serial with the high bit set drops the DER sign byte', async () => {
    const cert = await load('ec-highBit.pem');
    expect(cert.serialNumber[0]).toBe(0); // DER needs 00 before 0x80
    expect(certificateHashData(cert, await load('ec.pem')).serialNumber).toBe(
      '80112233445566778899',
    );
  });

  test('a root is its own issuer: hash data equals openssl with -issuer = -cert', async () => {
    const root = await load('ec.pem');
    const ours = certificateHashData(root, root, 'SHA256');
    const theirs = await opensslCertId('ec.pem', 'ec.pem', 'sha256');
    expect(ours.issuerNameHash.toUpperCase()).toBe(theirs.issuerNameHash);
    expect(ours.issuerKeyHash.toUpperCase()).toBe(theirs.issuerKeyHash);
  });

  test('CiString fields compare case-insensitively; algorithm and serial must match', async () => {
    const hash = certificateHashData(await load('rsa-0FFF.pem'), await load('rsa.pem'));
    const upper = {
      ...hash,
      issuerNameHash: hash.issuerNameHash.toUpperCase(),
      issuerKeyHash: hash.issuerKeyHash.toUpperCase(),
      serialNumber: 'fff',
    };
    expect(certificateHashDataEquals(hash, upper)).toBe(true);
    expect(certificateHashDataEquals(hash, { ...hash, serialNumber: '0FFF' })).toBe(true);
    expect(certificateHashDataEquals(hash, { ...hash, serialNumber: 'FFE' })).toBe(false);
    expect(certificateHashDataEquals(hash, { ...hash, hashAlgorithm: 'SHA384' })).toBe(false);
  });

  test('§6.1 HashAlgorithmEnumType: an unknown hash algorithm is a typed error', async () => {
    const cert = await load('rsa.pem');
    for (const algorithm of ['MD5', 'constructor', '__proto__']) {
      expect(() => certificateHashData(cert, cert, algorithm as HashAlgorithm)).toThrowError(
        expect.objectContaining({ code: 'INVALID_HASH_DATA' }),
      );
    }
  });

  test('garbage instead of a certificate is MALFORMED_CERTIFICATE, never a crash', async () => {
    const bad = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
    expect(() => parsePemCertificate(bad)).toThrow(SecurityError);
    expect(() => parsePemCertificate('hello')).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_CERTIFICATE' }),
    );
    const text = await readFile(join(dir.path, 'rsa.pem'), 'utf8');
    expect(() => parsePemCertificate(text + text)).toThrowError(/exactly one/);
    expect(() => parsePemCertificate(`junk\n${text}`)).toThrowError(/outside the PEM/);
  });
});
