import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signCertificateRequest } from './ca.js';
import { validateCertificateSigned, validateRootCertificate } from './chain.js';
import { type CertificateSigningRequest, createCertificateSigningRequest } from './csr.js';
import { issueCertificate } from './issue.js';
import { generateKeyPair } from './keys.js';
import { openssl, tempDir } from './test-helpers/openssl.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';

const cpoName = 'ACME Charging';
const serialNumber = 'CP-0042';
let pki: TestPki;
let foreign: TestPki;
let csr: CertificateSigningRequest;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [pki, foreign, csr, dir] = await Promise.all([
    createTestPki({ cpoName }),
    createTestPki({ cpoName: 'Other CPO' }),
    createCertificateSigningRequest({ cpoName, serialNumber }),
    tempDir('chain'),
  ]);
});
afterAll(() => dir.remove());

const check = (
  certificateChain: string,
  extra: Partial<Parameters<typeof validateCertificateSigned>[0]> = {},
) =>
  validateCertificateSigned({
    certificateChain,
    centralSystemRoots: [pki.root.certificatePem],
    csrPublicKey: csr.publicKeyPem,
    cpoName,
    serialNumber,
    ...extra,
  });

/** Validates a leaf for `publicKeyPem` with `subject`, issued by the sub-CA. */
const validateLeafWithSubject = async (
  subject: Parameters<typeof issueCertificate>[0]['subject'],
  publicKeyPem: string,
) => {
  const leaf = await issueCertificate({
    profile: 'chargePoint',
    subject,
    publicKeyPem,
    issuer: pki.subCa,
  });
  return validateCertificateSigned({
    certificateChain: leaf + pki.subCa.certificatePem,
    centralSystemRoots: [pki.root.certificatePem],
    csrPublicKey: publicKeyPem,
    cpoName,
    serialNumber,
  });
};

describe('CertificateSigned.req chain validation (A02.FR.06-07, A03.FR.06)', () => {
  test('A02.FR.06: a chain signed by the CPO sub-CA for our CSR is accepted; openssl agrees', async () => {
    const signed = await signCertificateRequest({
      csrPem: csr.csrPem,
      ca: pki.subCa,
      cpoName,
      chargePointSerialNumber: serialNumber,
    });
    const result = check(signed.certificateChain);
    expect(result).toMatchObject({ status: 'Accepted' });
    if (result.status === 'Rejected') return;
    expect(result.path.map((c) => c.commonNames[0])).toEqual([
      serialNumber,
      `${cpoName} Sub-CA`,
      `${cpoName} Root CA`,
    ]);
    await writeFile(join(dir.path, 'root.pem'), pki.root.certificatePem);
    await writeFile(join(dir.path, 'chain.pem'), signed.certificateChain);
    await writeFile(join(dir.path, 'sub.pem'), pki.subCa.certificatePem);
    await writeFile(join(dir.path, 'leaf.pem'), signed.certificatePem);
    const verdict = await openssl(
      [
        'verify',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'sub.pem',
        '-purpose',
        'sslclient',
        'leaf.pem',
      ],
      dir.path,
    );
    expect(verdict).toContain('leaf.pem: OK');
  });

  test('an RSA 2048 CSR signed with RSA-PSS by an RSA CA is accepted (A00.FR.505)', async () => {
    const rsaCa = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const rsaRootPem = await issueCertificate({
      profile: 'root',
      subject: { organizationName: cpoName, commonName: 'RSA Root' },
      publicKeyPem: rsaCa.publicKeyPem,
      selfSigningKeyPem: rsaCa.privateKeyPem,
    });
    const rsaCsr = await createCertificateSigningRequest({
      cpoName,
      serialNumber,
      key: { type: 'rsa', bits: 2048 },
    });
    const signed = await signCertificateRequest({
      csrPem: rsaCsr.csrPem,
      ca: { certificatePem: rsaRootPem, privateKeyPem: rsaCa.privateKeyPem },
    });
    expect(
      validateCertificateSigned({
        certificateChain: signed.certificateChain,
        centralSystemRoots: [rsaRootPem],
        csrPublicKey: rsaCsr.publicKeyPem,
        cpoName,
        serialNumber,
      }),
    ).toMatchObject({ status: 'Accepted' });
    await writeFile(join(dir.path, 'rsa-leaf.pem'), signed.certificatePem);
    const text = await openssl(['x509', '-in', 'rsa-leaf.pem', '-noout', '-text'], dir.path);
    expect(text).toContain('Signature Algorithm: rsassaPss');
  });

  test('§5.1: the order of the chain is not prescribed: sub-CA first is accepted too', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(check(pki.subCa.certificatePem + signed.certificatePem)).toMatchObject({
      status: 'Accepted',
    });
  });

  test('missing sub-CA: IssuerNotFound naming the absent issuer', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    const result = check(signed.certificatePem);
    expect(result).toMatchObject({
      status: 'Rejected',
      reason: 'IssuerNotFound',
      message: expect.stringContaining('Sub-CA'),
    });
  });

  test('foreign hierarchy: IssuerNotFound without its root, UntrustedRoot with it', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: foreign.subCa });
    expect(check(signed.certificateChain)).toMatchObject({
      status: 'Rejected',
      reason: 'IssuerNotFound',
      message: expect.stringContaining('Other CPO Root CA'),
    });
    expect(check(signed.certificateChain + foreign.root.certificatePem)).toMatchObject({
      status: 'Rejected',
      reason: 'UntrustedRoot',
    });
  });

  test('a forged root with the installed root name but another key: SignatureInvalid', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    const forgedKey = await generateKeyPair();
    const forgedRoot = await issueCertificate({
      profile: 'root',
      subject: { organizationName: cpoName, commonName: `${cpoName} Root CA` },
      publicKeyPem: forgedKey.publicKeyPem,
      selfSigningKeyPem: forgedKey.privateKeyPem,
    });
    expect(check(signed.certificateChain, { centralSystemRoots: [forgedRoot] })).toMatchObject({
      status: 'Rejected',
      reason: 'SignatureInvalid',
    });
  });

  test('wrong key (a certificate for another CSR): PublicKeyMismatch', async () => {
    const other = await createCertificateSigningRequest({ cpoName, serialNumber });
    const signed = await signCertificateRequest({ csrPem: other.csrPem, ca: pki.subCa });
    expect(check(signed.certificateChain)).toMatchObject({
      status: 'Rejected',
      reason: 'PublicKeyMismatch',
    });
  });

  test('expired certificate: Expired; not yet valid leaf is accepted (A02.FR.08)', async () => {
    const day = 86_400_000;
    const expired = await signCertificateRequest({
      csrPem: csr.csrPem,
      ca: pki.subCa,
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    expect(check(expired.certificateChain)).toMatchObject({
      status: 'Rejected',
      reason: 'Expired',
    });
    const future = await signCertificateRequest({
      csrPem: csr.csrPem,
      ca: pki.subCa,
      notBefore: new Date(Date.now() + day),
      notAfter: new Date(Date.now() + 10 * day),
    });
    expect(check(future.certificateChain)).toMatchObject({ status: 'Accepted' });
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(check(signed.certificateChain, { clock: () => Date.now() + 400 * day })).toMatchObject({
      status: 'Rejected',
      reason: 'Expired',
    });
  });

  test('over-size (7.3 CertificateSignedMaxChainSize): ChainTooLong', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(check(signed.certificateChain, { maxChainSize: 500 })).toMatchObject({
      status: 'Rejected',
      reason: 'ChainTooLong',
      message: expect.stringContaining('500'),
    });
    const huge = signed.certificateChain + '\n'.repeat(10_001 - signed.certificateChain.length);
    expect(check(huge, { maxChainSize: 50_000 })).toMatchObject({
      status: 'Rejected',
      reason: 'ChainTooLong',
    });
  });

  test('A00.FR.509/511: O or CN other than CpoName / serial number: SubjectMismatch', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    expect(check(signed.certificateChain, { cpoName: 'Someone Else' })).toMatchObject({
      status: 'Rejected',
      reason: 'SubjectMismatch',
    });
    expect(check(signed.certificateChain, { serialNumber: 'CP-9' })).toMatchObject({
      status: 'Rejected',
      reason: 'SubjectMismatch',
    });
  });

  test.each([
    ['without O (A00.FR.509)', { commonName: serialNumber }, /organizationName/],
    [
      'with a CN that is an IP address (A00.FR.511)',
      { organizationName: cpoName, commonName: '10.0.0.7' },
      /URL or an IP address/,
    ],
    [
      'with a CN that is a URL (A00.FR.511)',
      { organizationName: cpoName, commonName: 'wss://cp.example' },
      /URL or an IP address/,
    ],
  ])(
    'A02.FR.06: a leaf %s is SubjectMismatch for the structural rule, before comparing with the identity',
    async (_why, subject, message) => {
      const result = await validateLeafWithSubject(subject, csr.publicKeyPem);
      expect(result).toMatchObject({
        status: 'Rejected',
        reason: 'SubjectMismatch',
        message: expect.stringMatching(message),
      });
    },
  );

  test.each([
    ['without O', `/CN=${serialNumber}`, { commonName: serialNumber }],
    [
      'with a CN that is an IP address',
      `/O=${cpoName}/CN=10.0.0.7`,
      { organizationName: cpoName, commonName: '10.0.0.7' },
    ],
  ])(
    'the CA helper refuses a CSR %s with the problem chain validation names for such a leaf',
    async (why, subj, subject) => {
      // openssl writes the CSR: our own CSR builder refuses such subjects before encoding.
      const name = why.replaceAll(' ', '-');
      const { privateKeyPem, publicKeyPem } = await generateKeyPair();
      await writeFile(join(dir.path, `${name}.key`), privateKeyPem);
      await openssl(
        ['req', '-new', '-key', `${name}.key`, '-subj', subj, '-out', `${name}.csr`],
        dir.path,
      );
      const csrPem = await readFile(join(dir.path, `${name}.csr`), 'utf8');
      const result = await validateLeafWithSubject(subject, publicKeyPem);
      expect(result).toMatchObject({ status: 'Rejected', reason: 'SubjectMismatch' });
      if (result.status === 'Accepted') return;
      const problem = result.message.replace(/^Certificate /, '');
      expect(problem).not.toBe(result.message);
      await expect(signCertificateRequest({ csrPem, ca: pki.subCa })).rejects.toMatchObject({
        code: 'CSR_REJECTED',
        message: `csr subject refused: ${problem}`,
      });
    },
  );

  test('7.3: a non-numeric CertificateSignedMaxChainSize keeps the schema cap of 10000', async () => {
    const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
    const huge = signed.certificateChain + '\n'.repeat(10_001 - signed.certificateChain.length);
    expect(check(huge, { maxChainSize: Number.NaN })).toMatchObject({
      status: 'Rejected',
      reason: 'ChainTooLong',
      message: expect.stringContaining('10000'),
    });
  });

  test('a CA certificate as leaf: LeafIsCertificateAuthority', () => {
    expect(check(pki.subCa.certificatePem)).toMatchObject({
      status: 'Rejected',
      reason: 'LeafIsCertificateAuthority',
    });
  });

  test('a sub-CA without cA=TRUE cannot issue: NotCertificateAuthority', async () => {
    // A charge point certificate (cA=FALSE) used as if it were a sub-CA.
    const fakeCa = await pki.issueChargePointCertificate('FAKE-CA');
    const signed = await signCertificateRequest({
      csrPem: csr.csrPem,
      ca: { ...fakeCa, issuerChainPem: pki.subCa.certificatePem },
    });
    expect(check(signed.certificateChain)).toMatchObject({
      status: 'Rejected',
      reason: 'NotCertificateAuthority',
    });
  });

  test('A00.FR.502: a CA refuses an RSA 1024 CSR made by openssl; such a leaf would be WeakKey', async () => {
    await openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        'weak.key',
        '-out',
        'weak.csr',
        '-subj',
        `/O=${cpoName}/CN=${serialNumber}`,
      ],
      dir.path,
    );
    const weakCsr = await readFile(join(dir.path, 'weak.csr'), 'utf8');
    await expect(signCertificateRequest({ csrPem: weakCsr, ca: pki.subCa })).rejects.toMatchObject({
      code: 'CSR_REJECTED',
      message: expect.stringContaining('1024'),
    });
    const weakPublic = await openssl(['pkey', '-in', 'weak.key', '-pubout'], dir.path);
    const leaf = await issueCertificate({
      profile: 'chargePoint',
      subject: { organizationName: cpoName, commonName: serialNumber },
      publicKeyPem: weakPublic,
      issuer: pki.subCa,
    });
    expect(check(leaf + pki.subCa.certificatePem, { csrPublicKey: weakPublic })).toMatchObject({
      status: 'Rejected',
      reason: 'WeakKey',
      message: expect.stringContaining('1024 bits'),
    });
  });

  test('A00.FR.501-503: the CA helper refuses a CSR with an Ed25519 key (neither RSA nor ECDSA)', async () => {
    await openssl(
      [
        'req',
        '-new',
        '-newkey',
        'ed25519',
        '-nodes',
        '-keyout',
        'ed.key',
        '-out',
        'ed.csr',
        '-subj',
        `/O=${cpoName}/CN=${serialNumber}`,
      ],
      dir.path,
    );
    const edCsr = await readFile(join(dir.path, 'ed.csr'), 'utf8');
    await expect(signCertificateRequest({ csrPem: edCsr, ca: pki.subCa })).rejects.toMatchObject({
      code: 'CSR_REJECTED',
      message: expect.stringContaining('neither RSA nor ECDSA'),
    });
  });

  test('the CA helper refuses a CA certificate paired with a foreign private key', async () => {
    await expect(
      signCertificateRequest({
        csrPem: csr.csrPem,
        ca: { ...pki.subCa, privateKeyPem: foreign.subCa.privateKeyPem },
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_KEY' });
  });

  test('the CA helper refuses a CSR whose O is not the expected CpoName (A02.FR.13)', async () => {
    await expect(
      signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa, cpoName: 'Other CPO' }),
    ).rejects.toMatchObject({
      code: 'CSR_REJECTED',
      message: expect.stringContaining('A02.FR.13'),
    });
  });

  test.each([
    ['empty', ''],
    ['not PEM', 'hello'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
    ['broken base64', '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n'],
  ])('%s certificateChain: Malformed, never a throw', (_why, chain) => {
    expect(check(chain)).toMatchObject({ status: 'Rejected', reason: 'Malformed' });
  });

  test('a certificateChain that is not a string (schema skipped): Malformed naming the field', () => {
    expect(check(undefined as unknown as string)).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
      message: expect.stringContaining('certificateChain'),
    });
  });
});

describe('InstallCertificate.req root validation (M05.FR.06)', () => {
  test('a self-signed CA root is accepted', () => {
    expect(validateRootCertificate(pki.root.certificatePem)).toMatchObject({ status: 'Accepted' });
  });

  test('a sub-CA or leaf is refused: NotARoot', () => {
    expect(validateRootCertificate(pki.subCa.certificatePem)).toMatchObject({
      status: 'Rejected',
      reason: 'NotARoot',
    });
    expect(validateRootCertificate(pki.server.ecdsa.certificatePem)).toMatchObject({
      status: 'Rejected',
      reason: 'NotARoot',
    });
  });

  test('two certificates in one InstallCertificate are Malformed', () => {
    expect(
      validateRootCertificate(pki.root.certificatePem + pki.root.certificatePem),
    ).toMatchObject({
      status: 'Rejected',
      reason: 'Malformed',
    });
  });

  test('an expired root is refused: Expired', () => {
    expect(
      validateRootCertificate(pki.root.certificatePem, {
        clock: () => Date.now() + 400 * 86_400_000,
      }),
    ).toMatchObject({
      status: 'Rejected',
      reason: 'Expired',
    });
  });

  test('a self-signed end-entity certificate (cA=FALSE) is refused: NotCertificateAuthority', async () => {
    const pair = await generateKeyPair();
    const pem = await issueCertificate({
      profile: 'chargePoint',
      subject: { organizationName: cpoName, commonName: 'self' },
      publicKeyPem: pair.publicKeyPem,
      selfSigningKeyPem: pair.privateKeyPem,
    });
    expect(validateRootCertificate(pem)).toMatchObject({
      status: 'Rejected',
      reason: 'NotCertificateAuthority',
    });
  });
});
