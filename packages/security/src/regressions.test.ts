// Regressions found by outside testing of this package (hostile input, openssl cross-checks).
import { webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  authorizationKeyEquals,
  encodeBasicAuthorization,
  parseAuthorizationKey,
} from './authorization-key.js';
import { certificateLimits, parsePemCertificate, parsePemCertificates } from './certificate.js';
import { validateCertificateSigned, validateRootCertificate } from './chain.js';
import { createCertificateSigningRequest } from './csr.js';
import { verifyFirmware } from './firmware.js';
import { certificateHashData, certificateHashDataEquals } from './hash-data.js';
import { assertChargePointSubject } from './subject.js';
import { openssl, tempDir } from './test-helpers/openssl.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';
import { loadX509 } from './x509-loader.js';

let pki: TestPki;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [pki, dir] = await Promise.all([createTestPki({ cpoName: 'ACME' }), tempDir('regressions')]);
  await writeFile(
    join(dir.path, 'ca.cnf'),
    '[req]\ndistinguished_name=dn\n[dn]\n[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash\n',
  );
});
afterAll(() => dir.remove());

/** A self-signed root made by openssl with the given digest and serial (RSA for MD5: no ECDSA-MD5). */
async function opensslRoot(name: string, digest: string, serial = '1'): Promise<string> {
  const key =
    digest === 'md5'
      ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
      : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await openssl(['genpkey', ...key, '-out', `${name}.key`], dir.path);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/O=ACME/CN=${name}`,
      '-days',
      '30',
      `-${digest}`,
      '-set_serial',
      serial,
      '-config',
      'ca.cnf',
      '-extensions',
      'v3',
      '-out',
      `${name}.pem`,
    ],
    dir.path,
  );
  return readFile(join(dir.path, `${name}.pem`), 'utf8');
}

describe('A00.FR.504: broken signature digests are refused everywhere', () => {
  test.each(['md5', 'sha1'])('regression: a root signed with %s was accepted', async (digest) => {
    const pem = await opensslRoot(`weak-${digest}`, digest);
    expect(validateRootCertificate(pem)).toMatchObject({
      status: 'Rejected',
      reason: 'WeakSignatureAlgorithm',
      message: expect.stringContaining(digest.toUpperCase()),
    });
  });

  test('a root signed with SHA-256 by the same openssl is accepted (control)', async () => {
    expect(validateRootCertificate(await opensslRoot('good-sha256', 'sha256'))).toMatchObject({
      status: 'Accepted',
    });
  });
});

describe('hash data of negative serial numbers (whitepaper 6.1, RFC 5280 §4.1.2.2)', () => {
  test('regression: serial -128 hashed as "80", like +128; openssl prints -80', async () => {
    const negative = parsePemCertificate(await opensslRoot('neg', 'sha256', '-128'));
    const positive = parsePemCertificate(await opensslRoot('pos', 'sha256', '128'));
    const text = await openssl(['x509', '-in', 'neg.pem', '-noout', '-serial'], dir.path);
    expect(text.trim()).toBe('serial=-80');
    const hashNegative = certificateHashData(negative, negative);
    expect(hashNegative.serialNumber).toBe('-80');
    expect(certificateHashData(positive, positive).serialNumber).toBe('80');
    expect(certificateHashDataEquals(hashNegative, { ...hashNegative, serialNumber: '80' })).toBe(
      false,
    );
  });
});

describe('wrong input types get the package error, never a raw TypeError', () => {
  test.each([
    [
      'parsePemCertificate(null)',
      () => parsePemCertificate(null as never),
      'MALFORMED_CERTIFICATE',
    ],
    ['parsePemCertificates(42)', () => parsePemCertificates(42 as never), 'MALFORMED_CERTIFICATE'],
    [
      'certificateHashData(null, null)',
      () => certificateHashData(null as never, null as never),
      'INVALID_HASH_DATA',
    ],
    [
      'validateRootCertificate with a non-string',
      () => {
        const result = validateRootCertificate({} as never);
        if (result.status === 'Rejected')
          throw Object.assign(new Error(result.message), { code: result.reason });
      },
      'Malformed',
    ],
    [
      'validateCertificateSigned with roots that are not an array',
      () =>
        validateCertificateSigned({
          certificateChain: pki.subCa.certificatePem,
          centralSystemRoots: 'not an array' as never,
          csrPublicKey: '',
          cpoName: 'ACME',
          serialNumber: 'CP-1',
        }),
      'MALFORMED_CERTIFICATE',
    ],
    [
      'parseAuthorizationKey(null)',
      () => parseAuthorizationKey(null as never),
      'INVALID_AUTHORIZATION_KEY',
    ],
    [
      'authorizationKeyEquals("a", "b")',
      () => authorizationKeyEquals('a' as never, 'b' as never),
      'INVALID_AUTHORIZATION_KEY',
    ],
    [
      'encodeBasicAuthorization(1, "key")',
      () => encodeBasicAuthorization(1 as never, 'key' as never),
      'INVALID_BASIC_CREDENTIALS',
    ],
    [
      'encodeBasicAuthorization(null, bytes)',
      () => encodeBasicAuthorization(null as never, new Uint8Array(16)),
      'INVALID_BASIC_CREDENTIALS',
    ],
    [
      'assertChargePointSubject(null)',
      () => assertChargePointSubject(null as never),
      'INVALID_SUBJECT',
    ],
  ])('%s', (_name, run, code) => {
    expect(run).toThrow(expect.objectContaining({ code }));
  });

  test('createCertificateSigningRequest(null) rejects with INVALID_SUBJECT', async () => {
    await expect(createCertificateSigningRequest(null as never)).rejects.toMatchObject({
      code: 'INVALID_SUBJECT',
    });
  });

  test('regression: a lone surrogate in cpoName threw URIError from the encoder', async () => {
    await expect(
      createCertificateSigningRequest({ cpoName: 'ACME \ud800', serialNumber: 'CP-1' }),
    ).rejects.toMatchObject({
      code: 'INVALID_SUBJECT',
      message: expect.stringContaining('surrogate'),
    });
  });
});

describe('bounded input', () => {
  test('regression: 10 MB of PEM took 5 s and 445 MB; input over the cap is refused before parsing', () => {
    const huge = `${pki.root.certificatePem}\n`.repeat(
      Math.ceil(10_000_000 / pki.root.certificatePem.length),
    );
    const started = process.memoryUsage().heapUsed;
    expect(() => parsePemCertificates(huge)).toThrow(
      expect.objectContaining({
        code: 'MALFORMED_CERTIFICATE',
        message: expect.stringContaining(`over ${certificateLimits.pemCharacters}`),
      }),
    );
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(64 * 1024 * 1024);
  });

  test('regression: verifying /dev/zero never returned; maxBytes bounds it (FIRMWARE_TOO_LARGE)', async () => {
    await expect(
      verifyFirmware({
        file: '/dev/zero',
        signature: 'AAAA',
        signingCertificate: pki.firmwareSigner.certificatePem,
        manufacturerRoots: [pki.manufacturerRoot.certificatePem],
        maxBytes: 4 * 1024 * 1024,
      }),
    ).rejects.toMatchObject({ code: 'FIRMWARE_TOO_LARGE' });
  });

  test('an AbortSignal stops firmware verification (ABORTED)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = verifyFirmware({
      file: '/dev/zero',
      signature: 'AAAA',
      signingCertificate: pki.firmwareSigner.certificatePem,
      manufacturerRoots: [pki.manufacturerRoot.certificatePem],
      signal: controller.signal,
    });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('A00.FR.511: a charge point CN is not an IP address in any notation', () => {
  test.each(['127.1', '2130706433', '0x7f000001', '[::1]'])(
    'regression: %s passed as a non-IP serial number',
    (serialNumber) => {
      expect(() => assertChargePointSubject({ cpoName: 'ACME', serialNumber })).toThrow(
        expect.objectContaining({
          code: 'INVALID_SUBJECT',
          message: expect.stringContaining('A00.FR.511'),
        }),
      );
    },
  );

  test.each(['10.0.0.7', '::1'])('the canonical form %s is refused as before', (serialNumber) => {
    expect(() => assertChargePointSubject({ cpoName: 'ACME', serialNumber })).toThrow(
      expect.objectContaining({ code: 'INVALID_SUBJECT' }),
    );
  });

  test.each(['CP-0001', 'ACME.CP.7', '12345678901', 'cafe'])(
    '%s is a valid serial number',
    (serialNumber) => {
      expect(() => assertChargePointSubject({ cpoName: 'ACME', serialNumber })).not.toThrow();
    },
  );

  test('regression: length limits counted UTF-16 units; 64 emoji are 64 characters', () => {
    const emoji = '\u{1f50c}'.repeat(64);
    expect(() => assertChargePointSubject({ cpoName: emoji, serialNumber: 'CP-1' })).not.toThrow();
    expect(() => assertChargePointSubject({ cpoName: `${emoji}x`, serialNumber: 'CP-1' })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('65 characters') }),
    );
  });
});

describe('RFC 5280 extension rules the openssl CLI cannot be made to break', () => {
  /** A self-signed CA with exactly these basicConstraints extensions (built with @peculiar/x509). */
  async function rootWith(...constraints: [ca: boolean, pathLength?: number][]): Promise<string> {
    const x509 = await loadX509();
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'O=ACME, CN=Odd Root',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      extensions: [
        ...constraints.map(
          ([ca, pathLength]) => new x509.BasicConstraintsExtension(ca, pathLength, true),
        ),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      ],
    });
    return cert.toString('pem');
  }

  test('regression: a duplicated basicConstraints resolved last-wins; it is Malformed (RFC 5280 §4.2)', async () => {
    const pem = await rootWith([false], [true]);
    expect(validateRootCertificate(pem)).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
      message: expect.stringContaining('more than once'),
    });
  });

  test('regression: pathLenConstraint -1 read as 255; a negative pathLen is Malformed', async () => {
    const pem = await rootWith([true, -1]);
    expect(validateRootCertificate(pem)).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
      message: expect.stringContaining('pathLenConstraint must be >= 0'),
    });
  });
});
