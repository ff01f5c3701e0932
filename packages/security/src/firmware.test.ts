import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkFirmwareSigningCertificate, verifyFirmware } from './firmware.js';
import type { KeyAndCertificate } from './issue.js';
import { openssl, tempDir } from './test-helpers/openssl.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';

let pki: TestPki;
let foreign: TestPki;
let rsaSigner: KeyAndCertificate;
let dir: { path: string; remove: () => Promise<void> };
const firmware = () => join(dir.path, 'firmware.bin');

beforeAll(async () => {
  [pki, foreign, dir] = await Promise.all([createTestPki(), createTestPki(), tempDir('firmware')]);
  rsaSigner = await pki.issueFirmwareSigner({ type: 'rsa', bits: 2048 });
  // 3 MiB plus an odd tail: several stream chunks.
  await writeFile(firmware(), randomBytes(3 * 1024 * 1024 + 17));
  await writeFile(join(dir.path, 'ec.key'), pki.firmwareSigner.privateKeyPem);
  await writeFile(join(dir.path, 'rsa.key'), rsaSigner.privateKeyPem);
  await writeFile(join(dir.path, 'foreign.key'), foreign.firmwareSigner.privateKeyPem);
});
afterAll(() => dir.remove());

/** Signs `file` with `openssl dgst -sha256 -sign` and returns the base64 signature as openssl prints it. */
async function opensslSign(key: string, file: string, ...sigopts: string[]): Promise<string> {
  const out = `${file}.${key}.${sigopts.join('_').replace(/[^a-z0-9]/gi, '')}.sig`;
  await openssl(
    ['dgst', '-sha256', '-sign', key, ...sigopts.flatMap((o) => ['-sigopt', o]), '-out', out, file],
    dir.path,
  );
  return openssl(['base64', '-in', out], dir.path); // wrapped at 64 columns, like many tools
}

const roots = () => [pki.manufacturerRoot.certificatePem];

describe('signed firmware (whitepaper L01)', () => {
  test('L01.FR.04: an ECDSA P-256 signature by openssl dgst -sha256 -sign verifies', async () => {
    const signature = await opensslSign('ec.key', 'firmware.bin');
    const result = await verifyFirmware({
      file: firmware(),
      signature,
      signingCertificate: pki.firmwareSigner.certificatePem,
      manufacturerRoots: roots(),
    });
    expect(result).toMatchObject({
      status: 'Accepted',
      firmwareStatus: 'SignatureVerified',
      scheme: 'ECDSA',
    });
  });

  test.each([['rsa_pss_saltlen:32'], ['rsa_pss_saltlen:max']])(
    'L01.FR.04: an RSA-PSS signature (openssl -sigopt rsa_padding_mode:pss, %s) verifies',
    async (saltlen) => {
      const signature = await opensslSign(
        'rsa.key',
        'firmware.bin',
        'rsa_padding_mode:pss',
        saltlen,
      );
      const result = await verifyFirmware({
        file: firmware(),
        signature,
        signingCertificate: rsaSigner.certificatePem,
        manufacturerRoots: roots(),
      });
      expect(result).toMatchObject({ status: 'Accepted', scheme: 'RSA-PSS' });
    },
  );

  test('PKCS#1 v1.5 is InvalidSignature unless explicitly enabled', async () => {
    const signature = await opensslSign('rsa.key', 'firmware.bin');
    const base = {
      file: firmware(),
      signature,
      signingCertificate: rsaSigner.certificatePem,
      manufacturerRoots: roots(),
    };
    expect(await verifyFirmware(base)).toMatchObject({
      status: 'Rejected',
      firmwareStatus: 'InvalidSignature',
      reason: 'SignatureMismatch',
    });
    expect(await verifyFirmware({ ...base, allowPkcs1v15: true })).toMatchObject({
      status: 'Accepted',
      scheme: 'RSA-PKCS1-v1_5',
    });
  });

  test('L01 step 5, L01.FR.03: one flipped byte is InvalidSignature with the InvalidFirmwareSignature event', async () => {
    const signature = await opensslSign('ec.key', 'firmware.bin');
    const bytes = await readFile(firmware());
    bytes[1_234_567] = (bytes[1_234_567] as number) ^ 0x01;
    const tampered = join(dir.path, 'tampered.bin');
    await writeFile(tampered, bytes);
    const result = await verifyFirmware({
      file: tampered,
      signature,
      signingCertificate: pki.firmwareSigner.certificatePem,
      manufacturerRoots: roots(),
    });
    expect(result).toEqual({
      status: 'Rejected',
      stage: 'signature',
      firmwareStatus: 'InvalidSignature',
      securityEvent: 'InvalidFirmwareSignature',
      reason: 'SignatureMismatch',
      message: expect.stringContaining('SHA-256'),
    });
  });

  test('L01.FR.24, L01.FR.02: a signer outside the manufacturer root is InvalidCertificate', async () => {
    const signature = await opensslSign('foreign.key', 'firmware.bin');
    const result = await verifyFirmware({
      file: firmware(),
      signature,
      signingCertificate: foreign.firmwareSigner.certificatePem,
      manufacturerRoots: roots(),
    });
    expect(result).toMatchObject({
      status: 'Rejected',
      stage: 'certificate',
      updateFirmwareStatus: 'InvalidCertificate',
      securityEvent: 'InvalidFirmwareSigningCertificate',
      // Both test PKIs name their manufacturer root alike: found by name, refused by key.
      reason: 'SignatureInvalid',
    });
  });

  test('§2.6.2: a certificate of the CPO hierarchy is not a firmware signer', () => {
    expect(
      checkFirmwareSigningCertificate({
        signingCertificate: pki.server.ecdsa.certificatePem,
        manufacturerRoots: roots(),
      }),
    ).toMatchObject({ status: 'Rejected', updateFirmwareStatus: 'InvalidCertificate' });
  });

  test('L01 remarks: a signer behind an intermediate certificate is refused', () => {
    expect(
      checkFirmwareSigningCertificate({
        signingCertificate: pki.firmwareSigner.certificatePem + pki.subCa.certificatePem,
        manufacturerRoots: roots(),
      }),
    ).toMatchObject({ status: 'Rejected', reason: 'IntermediateNotAllowed' });
  });

  test('an expired signer is InvalidCertificate; a revoked one RevokedCertificate (L01.FR.25)', () => {
    const later = Date.now() + 400 * 86_400_000;
    expect(
      checkFirmwareSigningCertificate({
        signingCertificate: pki.firmwareSigner.certificatePem,
        manufacturerRoots: roots(),
        clock: () => later,
      }),
    ).toMatchObject({
      status: 'Rejected',
      updateFirmwareStatus: 'InvalidCertificate',
      reason: 'Expired',
    });
    expect(
      checkFirmwareSigningCertificate({
        signingCertificate: pki.firmwareSigner.certificatePem,
        manufacturerRoots: roots(),
        isRevoked: (cert) => cert.commonNames[0] === 'Firmware Signing',
      }),
    ).toMatchObject({ status: 'Rejected', updateFirmwareStatus: 'RevokedCertificate' });
  });

  test.each([
    ['missing', undefined, 'MissingSignature'],
    ['empty', '  ', 'MissingSignature'],
    ['non-base64', 'not*base64', 'MalformedSignature'],
    ['truncated base64', 'QUJD=', 'MalformedSignature'],
    ['garbage (valid base64)', Buffer.from('garbage').toString('base64'), 'SignatureMismatch'],
    ['non-string (schema skipped)', 42 as unknown as string, 'MalformedSignature'],
  ])('L01 step 5: a %s signature is InvalidSignature', async (_why, signature, reason) => {
    const result = await verifyFirmware({
      file: firmware(),
      signature,
      signingCertificate: pki.firmwareSigner.certificatePem,
      manufacturerRoots: roots(),
    });
    expect(result).toMatchObject({
      status: 'Rejected',
      firmwareStatus: 'InvalidSignature',
      reason,
    });
  });

  test('an unreadable firmware file is FIRMWARE_READ_FAILED', async () => {
    const signature = await opensslSign('ec.key', 'firmware.bin');
    await expect(
      verifyFirmware({
        file: join(dir.path, 'absent.bin'),
        signature,
        signingCertificate: pki.firmwareSigner.certificatePem,
        manufacturerRoots: roots(),
      }),
    ).rejects.toMatchObject({ code: 'FIRMWARE_READ_FAILED' });
  });
});
