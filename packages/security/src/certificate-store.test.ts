import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signCertificateRequest } from './ca.js';
import { type Certificate, parsePemCertificate, parsePemCertificates } from './certificate.js';
import {
  CertificateStore,
  type CertificateStoreOptions,
  certificateStoreFileName,
} from './certificate-store.js';
import { createCertificateSigningRequest } from './csr.js';
import { certificateHashData } from './hash-data.js';
import { issueCertificate, type KeyAndCertificate } from './issue.js';
import { generateKeyPair } from './keys.js';
import { tempDir } from './test-helpers/openssl.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';

let pki: TestPki;
let base: { path: string; remove: () => Promise<void> };
let n = 0;

beforeAll(async () => {
  [pki, base] = await Promise.all([createTestPki({ cpoName: 'ACME' }), tempDir('store')]);
});
afterAll(() => base.remove());

const open = (
  extra: Omit<CertificateStoreOptions, 'directory' | 'storage'> = {},
  directory = join(base.path, `s${n++}`),
) => CertificateStore.open({ directory, ...extra });

const cp7 = { cpoName: 'ACME', serialNumber: 'CP-7' };

/** A store with the CPO root, a pending CSR for `subject`, and that CSR signed by the sub-CA. */
async function withSignedCsr(subject: { cpoName: string; serialNumber: string }) {
  const store = await open();
  await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
  const csr = await createCertificateSigningRequest(subject);
  await store.setPendingKey(csr.privateKeyPem);
  const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
  return { store, signed };
}

async function selfSignedRoot(
  commonName: string,
  issuer?: KeyAndCertificate,
): Promise<KeyAndCertificate> {
  const pair = await generateKeyPair();
  const certificatePem = await issueCertificate({
    profile: 'root',
    subject: { organizationName: 'ACME', commonName },
    publicKeyPem: pair.publicKeyPem,
    ...(issuer === undefined ? { selfSigningKeyPem: pair.privateKeyPem } : { issuer }),
  });
  return { certificatePem, privateKeyPem: pair.privateKeyPem };
}

const hashOf = (pem: string) => {
  const cert = parsePemCertificate(pem);
  return certificateHashData(cert, cert);
};

describe('certificate store: install and list (M03, M05)', () => {
  test('M05.FR.02 / M03.FR.03-04: an installed root is listed with its hash data; M03.FR.02: NotFound', async () => {
    const store = await open();
    expect(store.installedCertificateIds('CentralSystemRootCertificate')).toEqual({
      status: 'NotFound',
    });
    expect(await store.install('CentralSystemRootCertificate', pki.root.certificatePem)).toEqual({
      status: 'Accepted',
    });
    expect(store.installedCertificateIds('CentralSystemRootCertificate')).toEqual({
      status: 'Accepted',
      certificateHashData: [hashOf(pki.root.certificatePem)],
    });
    expect(store.installedCertificateIds('ManufacturerRootCertificate')).toEqual({
      status: 'NotFound',
    });
    expect(store.trustedRoots('CentralSystemRootCertificate')).toEqual([
      parsePemCertificate(pki.root.certificatePem).pem,
    ]);
  });

  test('installed roots survive reopening; the store is one document, nothing else on disk', async () => {
    const directory = join(base.path, 'persist');
    const store = await open({}, directory);
    await store.install('ManufacturerRootCertificate', pki.manufacturerRoot.certificatePem);
    const reopened = await open({}, directory);
    expect(reopened.problems).toEqual([]);
    expect(reopened.installedCertificateIds('ManufacturerRootCertificate')).toEqual({
      status: 'Accepted',
      certificateHashData: [hashOf(pki.manufacturerRoot.certificatePem)],
    });
    expect(await readdir(directory)).toEqual([certificateStoreFileName]);
  });

  test('regression: BER re-encodings of one root (long-form outer length) installed as several; DER is required', async () => {
    const store = await open();
    const der = parsePemCertificate(pki.root.certificatePem).der;
    const length = der.length - 4; // 30 82 LL LL: a two-byte length
    const ber = Buffer.concat([
      Buffer.from([0x30, 0x83, 0, length >> 8, length & 0xff]),
      der.subarray(4),
    ]);
    const pem = `-----BEGIN CERTIFICATE-----\n${ber.toString('base64')}\n-----END CERTIFICATE-----\n`;
    expect(await store.install('CentralSystemRootCertificate', pem)).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
      message: expect.stringContaining('BER, not DER'),
    });
    expect(store.installed('CentralSystemRootCertificate')).toEqual([]);
  });

  test('regression: a second certificate with the same hash data (issuer, serial) is refused, so DeleteCertificate removes the one listed (M03, M04)', async () => {
    const store = await open();
    const pair = await generateKeyPair();
    const issue = (notAfter: Date) =>
      issueCertificate({
        profile: 'root',
        subject: { organizationName: 'ACME', commonName: 'Twin Root' },
        publicKeyPem: pair.publicKeyPem,
        selfSigningKeyPem: pair.privateKeyPem,
        serialNumber: '1234',
        notAfter,
      });
    const first = await issue(new Date('2040-01-01T00:00:00Z'));
    const twin = await issue(new Date('2041-01-01T00:00:00Z'));
    expect(await store.install('CentralSystemRootCertificate', first)).toEqual({
      status: 'Accepted',
    });
    expect(await store.install('CentralSystemRootCertificate', twin)).toMatchObject({
      status: 'Rejected',
      reason: 'DuplicateCertificate',
    });
    const listed = store.installedCertificateIds('CentralSystemRootCertificate');
    expect(listed.certificateHashData).toHaveLength(1);
    expect(await store.delete(hashOf(first))).toBe('Accepted');
    expect(store.trustedRoots('CentralSystemRootCertificate')).toEqual([]);
  });

  test('M05.FR.06: a sub-CA, a leaf or garbage is Rejected with a reason', async () => {
    const store = await open();
    expect(
      await store.install('CentralSystemRootCertificate', pki.subCa.certificatePem),
    ).toMatchObject({
      status: 'Rejected',
      reason: 'NotARoot',
    });
    expect(await store.install('CentralSystemRootCertificate', 'garbage')).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
    });
    expect(
      await store.install('Bogus' as 'CentralSystemRootCertificate', pki.root.certificatePem),
    ).toMatchObject({
      status: 'Rejected',
    });
  });

  test('M05.FR.03: installing beyond CertificateStoreMaxLength is Rejected; re-installing is idempotent', async () => {
    const store = await open({ maxLength: 2 });
    expect(await store.install('CentralSystemRootCertificate', pki.root.certificatePem)).toEqual({
      status: 'Accepted',
    });
    expect(
      await store.install('ManufacturerRootCertificate', pki.manufacturerRoot.certificatePem),
    ).toEqual({ status: 'Accepted' });
    expect(await store.install('CentralSystemRootCertificate', pki.root.certificatePem)).toEqual({
      status: 'Accepted',
    });
    const third = await selfSignedRoot('Third');
    expect(await store.install('CentralSystemRootCertificate', third.certificatePem)).toMatchObject(
      {
        status: 'Rejected',
        reason: 'StoreFull',
      },
    );
  });

  test('concurrent installs are serialized: with room for one, exactly one is Accepted', async () => {
    const store = await open({ maxLength: 1 });
    const [a, b] = await Promise.all([selfSignedRoot('A'), selfSignedRoot('B')]);
    const results = await Promise.all([
      store.install('CentralSystemRootCertificate', a.certificatePem),
      store.install('CentralSystemRootCertificate', b.certificatePem),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['Accepted', 'Rejected']);
  });
});

describe('certificate store: delete (M04)', () => {
  test('M04.FR.02/04: delete by hash data (any case) removes it durably; again is NotFound', async () => {
    const directory = join(base.path, 'delete');
    const store = await open({}, directory);
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const hash = hashOf(pki.root.certificatePem);
    const upper = {
      ...hash,
      issuerKeyHash: hash.issuerKeyHash.toUpperCase(),
      issuerNameHash: hash.issuerNameHash.toUpperCase(),
    };
    expect(await store.delete(upper)).toBe('Accepted');
    expect(await store.delete(hash)).toBe('NotFound');
    expect(
      (await open({}, directory)).installedCertificateIds('CentralSystemRootCertificate'),
    ).toEqual({ status: 'NotFound' });
  });

  test('M04.FR.07: hash data in another algorithm than installed still matches by that algorithm', async () => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const cert = parsePemCertificate(pki.root.certificatePem);
    expect(await store.delete(certificateHashData(cert, cert, 'SHA512'))).toBe('Accepted');
  });

  test('M04.FR.06: the root validating the current connection cannot be deleted (Failed)', async () => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    // The anchor of the server's TLS chain (leaf, sub-CA) is the installed root.
    const anchor = store.trustAnchorFor('CentralSystemRootCertificate', pki.server.ecdsa.chainPem);
    expect(anchor?.certificate.fingerprint).toBe(
      parsePemCertificate(pki.root.certificatePem).fingerprint,
    );
    expect(
      store.trustAnchorFor('ManufacturerRootCertificate', pki.server.ecdsa.chainPem),
    ).toBeUndefined();
    expect(
      store.trustAnchorFor('CentralSystemRootCertificate', pki.server.ecdsa.certificatePem),
    ).toBeUndefined();
    store.setRootInUse(anchor?.certificate.fingerprint);
    expect(await store.delete(hashOf(pki.root.certificatePem))).toBe('Failed');
    store.setRootInUse(undefined);
    expect(await store.delete(hashOf(pki.root.certificatePem))).toBe('Accepted');
  });

  test('M04.FR.05: the charge point certificate cannot be deleted (Failed)', async () => {
    const { store, signed } = await withSignedCsr({ cpoName: 'ACME', serialNumber: 'CP-1' });
    expect(
      await store.acceptCertificateSigned(signed.certificateChain, {
        cpoName: 'ACME',
        serialNumber: 'CP-1',
      }),
    ).toEqual({
      status: 'Accepted',
    });
    const leaf = parsePemCertificate(signed.certificatePem);
    const sub = parsePemCertificate(pki.subCa.certificatePem);
    expect(await store.delete(certificateHashData(leaf, sub))).toBe('Failed');
    expect(store.chargePointCredentials()?.certificate.fingerprint).toBe(leaf.fingerprint);
  });

  test('hash data missing fields (a peer that skipped validation) is NotFound, not a crash', async () => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const broken = { hashAlgorithm: 'SHA256' } as unknown as Parameters<
      CertificateStore['delete']
    >[0];
    expect(await store.delete(broken)).toBe('NotFound');
    expect(await store.delete(null as unknown as typeof broken)).toBe('NotFound');
    await expect(store.setPendingKey('not a key')).rejects.toMatchObject({
      code: 'UNSUPPORTED_KEY',
    });
  });

  test.each([
    ['path traversal', '../../../etc/passwd'],
    ['a NUL byte', 'ab\u0000cd'],
    ['a very long value', 'f'.repeat(100_000)],
  ])('hash data with %s is simply NotFound', async (_why, value) => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const hash = hashOf(pki.root.certificatePem);
    expect(await store.delete({ ...hash, serialNumber: value })).toBe('NotFound');
    expect(await store.delete({ ...hash, issuerNameHash: value })).toBe('NotFound');
    expect(await store.delete({ ...hash, hashAlgorithm: value as 'SHA256' })).toBe('NotFound');
    expect(store.installed('CentralSystemRootCertificate')).toHaveLength(1);
  });
});

describe('certificate store: no field ever reaches a path', () => {
  test('a root whose subject is "../../x" with a 64-character CN is stored inside the one document', async () => {
    const directory = join(base.path, 'names');
    const store = await open({}, directory);
    const evil = await selfSignedRoot(`../../${'x'.repeat(58)}`);
    expect(await store.install('CentralSystemRootCertificate', evil.certificatePem)).toEqual({
      status: 'Accepted',
    });
    expect(await readdir(directory)).toEqual([certificateStoreFileName]);
    expect((await readdir(dirname(directory))).filter((f) => f.startsWith('x'))).toEqual([]);
  });
});

describe('certificate store: AdditionalRootCertificateCheck (7.1, M05.FR.08-13)', () => {
  test('a replacement root must be signed by the current one; the old stays as fallback until a connection succeeds', async () => {
    const directory = join(base.path, 'arcc');
    const store = await open({ additionalRootCertificateCheck: true }, directory);
    const oldRoot = await selfSignedRoot('Old Root');
    expect(await store.install('CentralSystemRootCertificate', oldRoot.certificatePem)).toEqual({
      status: 'Accepted',
    });
    const unrelated = await selfSignedRoot('Unrelated Root');
    expect(
      await store.install('CentralSystemRootCertificate', unrelated.certificatePem),
    ).toMatchObject({
      status: 'Rejected',
      reason: 'NotSignedByCurrentRoot',
    });
    const newRoot = await selfSignedRoot('New Root', oldRoot);
    expect(await store.install('CentralSystemRootCertificate', newRoot.certificatePem)).toEqual({
      status: 'Accepted',
    });
    const entries = store.installed('CentralSystemRootCertificate');
    expect(entries.map((e) => [e.certificate.commonNames[0], e.fallback]).sort()).toEqual([
      ['New Root', false],
      ['Old Root', true],
    ]);
    expect(store.trustedRoots('CentralSystemRootCertificate')).toHaveLength(2); // M05.FR.13
    // The new root's hash data names its issuer, the old root.
    const newCert = parsePemCertificate(newRoot.certificatePem);
    const oldCert = parsePemCertificate(oldRoot.certificatePem);
    expect(
      store.installedCertificateIds('CentralSystemRootCertificate').certificateHashData,
    ).toContainEqual(certificateHashData(newCert, oldCert));
    const reopened = await open({ additionalRootCertificateCheck: true }, directory);
    expect(
      reopened.installed('CentralSystemRootCertificate').find((e) => e.fallback)?.certificate
        .commonNames,
    ).toEqual(['Old Root']);
    await reopened.connectionSucceeded(newCert.fingerprint); // M05.FR.12
    expect(
      reopened.installed('CentralSystemRootCertificate').map((e) => e.certificate.commonNames[0]),
    ).toEqual(['New Root']);
    const again = await open({ additionalRootCertificateCheck: true }, directory);
    expect(
      again
        .installed('CentralSystemRootCertificate')
        .map((e) => [e.certificate.commonNames[0], e.fallback]),
    ).toEqual([['New Root', false]]);
  });
});

describe('certificate store: trustAnchorFor tells the new root from the fallback (M05.FR.12-13)', () => {
  test('a server chain (DER, as TLS reports it) under the new root drops the fallback; one under the old root keeps it', async () => {
    const store = await open({ additionalRootCertificateCheck: true });
    const oldRoot = await selfSignedRoot('Rollover Root');
    await store.install('CentralSystemRootCertificate', oldRoot.certificatePem);
    await store.install('ManufacturerRootCertificate', pki.manufacturerRoot.certificatePem);
    // The replacement keeps the subject name, so only the signature tells the two keys apart.
    const newRoot = await selfSignedRoot('Rollover Root', oldRoot);
    expect(await store.install('CentralSystemRootCertificate', newRoot.certificatePem)).toEqual({
      status: 'Accepted',
    });
    const serverUnder = async (issuer: KeyAndCertificate) => {
      const pair = await generateKeyPair();
      const pem = await issueCertificate({
        profile: 'centralSystem',
        subject: { organizationName: 'ACME', commonName: 'localhost' },
        publicKeyPem: pair.publicKeyPem,
        issuer,
      });
      return [parsePemCertificate(pem).der];
    };
    const fingerprint = (pem: string) => parsePemCertificate(pem).fingerprint;
    const underOld = store.trustAnchorFor(
      'CentralSystemRootCertificate',
      await serverUnder(oldRoot),
    );
    expect(underOld).toMatchObject({ fallback: true });
    expect(underOld?.certificate.fingerprint).toBe(fingerprint(oldRoot.certificatePem));
    await store.connectionSucceeded(fingerprint(oldRoot.certificatePem));
    // Neither a connection through the fallback nor another hierarchy's root ends the rollover.
    await store.connectionSucceeded(fingerprint(pki.manufacturerRoot.certificatePem));
    expect(store.installed('CentralSystemRootCertificate')).toHaveLength(2);
    const underNew = store.trustAnchorFor(
      'CentralSystemRootCertificate',
      await serverUnder(newRoot),
    );
    expect(underNew).toMatchObject({ fallback: false });
    expect(underNew?.certificate.fingerprint).toBe(fingerprint(newRoot.certificatePem));
    await store.connectionSucceeded(fingerprint(newRoot.certificatePem));
    expect(
      store.installed('CentralSystemRootCertificate').map((e) => e.certificate.fingerprint),
    ).toEqual([fingerprint(newRoot.certificatePem)]);
  });

  test('a malformed or empty chain has no anchor, never a throw', async () => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    for (const chain of ['garbage', [], [new Uint8Array([0x30, 0x82, 0xff])]]) {
      expect(store.trustAnchorFor('CentralSystemRootCertificate', chain)).toBeUndefined();
    }
  });
});

describe('certificate store: CertificateSigned (A02.FR.06-10)', () => {
  test('without a pending CSR key the chain is Rejected with the A02.FR.07 security event', async () => {
    const store = await open();
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const client = await pki.issueChargePointCertificate('CP-1');
    expect(
      await store.acceptCertificateSigned(client.chainPem, {
        cpoName: 'ACME',
        serialNumber: 'CP-1',
      }),
    ).toMatchObject({
      status: 'Rejected',
      reason: 'NoPendingCsr',
      securityEvent: 'InvalidChargePointCertificate',
    });
  });

  test('an accepted certificate and its key persist; an invalid one is Rejected with the reason', async () => {
    const directory = join(base.path, 'signed');
    const store = await open({}, directory);
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const csr = await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-7' });
    await store.setPendingKey(csr.privateKeyPem);
    const other = await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-7' });
    const wrong = await signCertificateRequest({ csrPem: other.csrPem, ca: pki.subCa });
    expect(await store.acceptCertificateSigned(wrong.certificateChain, cp7)).toMatchObject({
      status: 'Rejected',
      reason: 'PublicKeyMismatch',
    });
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(await store.acceptCertificateSigned(signed.certificateChain, cp7)).toEqual({
      status: 'Accepted',
    });
    const reopened = await open({}, directory);
    const credentials = reopened.chargePointCredentials();
    expect(credentials?.privateKeyPem).toBe(csr.privateKeyPem);
    expect(credentials?.chainPem).toBe(signed.certificateChain);
    expect(reopened.problems).toEqual([]);
  });

  test('regression: without identity expectations CN=CP-0002, O=Evil CPO was accepted for another charge point; the identity is required', async () => {
    const { store, signed } = await withSignedCsr({ cpoName: 'Evil CPO', serialNumber: 'CP-0002' });
    expect(
      await store.acceptCertificateSigned(signed.certificateChain, {
        cpoName: 'ACME',
        serialNumber: 'CP-0001',
      }),
    ).toMatchObject({ status: 'Rejected', reason: 'SubjectMismatch' });
    const unchecked = store.acceptCertificateSigned as (chain: string) => Promise<unknown>;
    await expect(unchecked.call(store, signed.certificateChain)).rejects.toMatchObject({
      code: 'INVALID_SUBJECT',
    });
    expect(store.chargePointCredentials()).toBeUndefined();
  });
});

describe('certificate store: damaged files', () => {
  test('a corrupted entry is reported, skipped and kept verbatim in the document; temp leftovers are removed', async () => {
    const directory = join(base.path, 'corrupt');
    const store = await open({}, directory);
    await store.install('CentralSystemRootCertificate', pki.root.certificatePem);
    await store.install('ManufacturerRootCertificate', pki.manufacturerRoot.certificatePem);
    const file = join(directory, certificateStoreFileName);
    const document = JSON.parse(await readFile(file, 'utf8'));
    const flipped = document.roots[0].certificate.replace(
      /[A-Za-z](?=[A-Za-z0-9+/]{20}\n)/,
      (c: string) => (c === 'A' ? 'B' : 'A'),
    );
    document.roots[0].certificate = flipped;
    await writeFile(file, JSON.stringify(document));
    await writeFile(join(directory, `.tmp-${certificateStoreFileName}-half-written`), 'partial');
    const reopened = await open({}, directory);
    expect(reopened.problems).toEqual([{ entry: 'roots[0]', message: expect.any(String) }]);
    expect(reopened.installedCertificateIds('ManufacturerRootCertificate').status).toBe('Accepted');
    expect(reopened.installedCertificateIds('CentralSystemRootCertificate').status).toBe(
      'NotFound',
    );
    expect(await readdir(directory)).toEqual([certificateStoreFileName]);
    // The next commit keeps the damaged entry verbatim: nothing stored is lost.
    await reopened.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(after.unreadable).toEqual([expect.objectContaining({ certificate: flipped })]);
  });

  test('a document that is not the store JSON is kept inside the next one and the store starts empty', async () => {
    const directory = join(base.path, 'garbage');
    await open({}, directory);
    await writeFile(join(directory, certificateStoreFileName), '{"version":1,"roots":[');
    const reopened = await open({}, directory);
    expect(reopened.problems).toMatchObject([{ entry: 'document' }]);
    expect(reopened.trustedRoots('CentralSystemRootCertificate')).toEqual([]);
    await reopened.install('ManufacturerRootCertificate', pki.manufacturerRoot.certificatePem);
    const after = JSON.parse(await readFile(join(directory, certificateStoreFileName), 'utf8'));
    expect(after.damaged).toEqual(['{"version":1,"roots":[']);
  });
});

describe('clock: epoch milliseconds, injected', () => {
  test('A02.FR.08: a certificate is used only from its notBefore, by the store clock', async () => {
    const dir = join(base.path, `s${n++}`);
    const setup = await open({}, dir);
    await setup.install('CentralSystemRootCertificate', pki.root.certificatePem);
    const csr = await createCertificateSigningRequest(cp7);
    await setup.setPendingKey(csr.privateKeyPem);
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(await setup.acceptCertificateSigned(signed.certificateChain, cp7)).toEqual({
      status: 'Accepted',
    });
    const [leaf] = parsePemCertificates(signed.certificateChain) as [Certificate];
    const before = await open({ clock: () => leaf.notBefore.getTime() - 1 }, dir);
    expect(before.chargePointCredentials()).toBeUndefined();
    const after = await open({ clock: () => leaf.notAfter.getTime() + 1 }, dir);
    expect(after.chargePointCredentials()).toBeUndefined();
    const during = await open({ clock: () => leaf.notBefore.getTime() + 1 }, dir);
    expect(during.chargePointCredentials()?.certificate.fingerprint).toBe(leaf.fingerprint);
  });

  test('M05: a root installed at a clock past its notAfter is Rejected: Expired', async () => {
    const root = parsePemCertificate(pki.root.certificatePem);
    const store = await open({ clock: () => root.notAfter.getTime() + 1 });
    expect(await store.install('CentralSystemRootCertificate', pki.root.certificatePem)).toEqual({
      status: 'Rejected',
      reason: 'Expired',
      message: expect.stringContaining('expired'),
    });
  });
});
