import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateSigningRequest } from '@ocpp-kit/security';
import { createTestPki, type TestPki } from '@ocpp-kit/security/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { certificateAuthoritySigner } from '../helpers/certificate-signing.js';
import {
  boot,
  connectChargePoint,
  next,
  registered,
  startCentralSystem,
} from '../test-helpers/test-central-system.js';

const key = new Uint8Array(Buffer.from('0123456789abcdef0123'));
const wrongKey = new Uint8Array(Buffer.from('fedcba9876543210fedc'));
let pki: TestPki;
const cpoName = 'Test CPO';

beforeAll(async () => {
  pki = await createTestPki({ cpoName });
});

const serverTls = () => ({
  key: [pki.server.rsa.privateKeyPem, pki.server.ecdsa.privateKeyPem],
  cert: [pki.server.rsa.chainPem, pki.server.ecdsa.chainPem],
});

describe('security profiles per charge point (whitepaper §2)', () => {
  test('A00.FR.205 profile 1: the record key is accepted, another key gets 401', async () => {
    const { csms, url } = await startCentralSystem({
      listeners: [{ securityProfile: 1 }],
      records: [registered('CP-1', { securityProfile: 1, authorizationKey: key })],
    });
    const client = await connectChargePoint(url, 'CP-1', {
      securityProfile: 1,
      authorizationKey: key,
    });
    await boot(client);
    const rejected = next<{ status: number; reason: string }>(csms, 'handshakeRejected');
    await expect(
      connectChargePoint(url, 'CP-1', { securityProfile: 1, authorizationKey: wrongKey }),
    ).rejects.toMatchObject({ code: 'AuthenticationFailed' });
    expect(await rejected).toMatchObject({
      status: 401,
      reason: expect.stringContaining('A00.FR.205'),
    });
  });

  test('A05 a charge point configured for profile 2 is refused on a profile 1 listener; one configured for 1 may use 2', async () => {
    const { csms, urls } = await startCentralSystem({
      listeners: [{ securityProfile: 1 }, { securityProfile: 2, tls: serverTls() }],
      records: [
        registered('UP', { securityProfile: 1, authorizationKey: key }),
        registered('HIGH', { securityProfile: 2, authorizationKey: key }),
      ],
    });
    const [plain, tls] = urls as [string, string];
    const rejected = next<{ status: number; reason: string }>(csms, 'handshakeRejected');
    await expect(
      connectChargePoint(plain, 'HIGH', { securityProfile: 1, authorizationKey: key }),
    ).rejects.toMatchObject({ code: 'AuthenticationFailed' });
    expect((await rejected).reason).toContain('security profile 2 or higher');
    const raised = await connectChargePoint(tls, 'UP', {
      securityProfile: 2,
      authorizationKey: key,
      tls: { ca: pki.root.certificatePem, servername: 'localhost' },
    });
    await boot(raised);
    expect(csms.get('UP')?.securityProfile).toBe(2);
  });

  test('A00.FR.405 profile 3: the certificate CN must be the one recorded for the charge point', async () => {
    const { csms, url } = await startCentralSystem({
      listeners: [{ securityProfile: 3, tls: { ...serverTls(), ca: pki.root.certificatePem } }],
      cpoName,
      records: [registered('CP-3', { securityProfile: 3, certificateCommonName: 'SERIAL-3' })],
    });
    const good = await pki.issueChargePointCertificate('SERIAL-3');
    const bad = await pki.issueChargePointCertificate('CP-3');
    const tls = (leaf: typeof good) => ({
      ca: pki.root.certificatePem,
      servername: 'localhost',
      cert: leaf.chainPem,
      key: leaf.privateKeyPem,
    });
    const client = await connectChargePoint(url, 'CP-3', { securityProfile: 3, tls: tls(good) });
    await boot(client);
    expect(csms.get('CP-3')?.certificateCommonName).toBe('SERIAL-3');
    const rejected = next<{ status: number; securityEvent?: string }>(csms, 'handshakeRejected');
    await client.close();
    await expect(
      connectChargePoint(url, 'CP-3', { securityProfile: 3, tls: tls(bad) }),
    ).rejects.toBeDefined();
    expect(await rejected).toMatchObject({
      status: 403,
      securityEvent: 'InvalidChargePointCertificate',
    });
  });
});

describe('SignCertificate -> CertificateSigned (whitepaper A02/A03)', () => {
  async function signing() {
    const { csms, url } = await startCentralSystem({
      records: [registered('CP-1', { certificateCommonName: 'SN-1' })],
      cpoName,
      certificates: certificateAuthoritySigner({ ca: pki.subCa, cpoName }),
    });
    const client = await connectChargePoint(url, 'CP-1');
    await boot(client);
    return { csms, client };
  }

  test('A02.FR.11 a valid CSR is Accepted and a chain that openssl verifies arrives in CertificateSigned', async () => {
    const { client, csms } = await signing();
    const chain = new Promise<string>((resolve) => {
      client.router.on('CertificateSigned', ({ certificateChain }) => {
        resolve(certificateChain);
        return { status: 'Accepted' };
      });
    });
    const signed = next<{ result: { status: string } }>(csms, 'certificateSigned');
    const csr = await createCertificateSigningRequest({ cpoName, serialNumber: 'SN-1' });
    expect(await client.call('SignCertificate', { csr: csr.csrPem })).toEqual({
      status: 'Accepted',
    });
    const pem = await chain;
    expect((await signed).result).toEqual({
      status: 'Sent',
      certificateChain: pem,
      certificateStatus: 'Accepted',
    });
    const dir = mkdtempSync(join(tmpdir(), 'csms-kit-csr-'));
    const certs =
      pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
    writeFileSync(join(dir, 'root.pem'), pki.root.certificatePem);
    writeFileSync(join(dir, 'leaf.pem'), certs[0] ?? '');
    writeFileSync(join(dir, 'chain.pem'), certs.slice(1).join(''));
    const verified = execFileSync('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'chain.pem'),
      join(dir, 'leaf.pem'),
    ]).toString();
    expect(verified).toContain('OK');
    const subject = execFileSync('openssl', [
      'x509',
      '-noout',
      '-subject',
      '-in',
      join(dir, 'leaf.pem'),
    ]).toString();
    expect(subject).toMatch(/CN ?= ?SN-1/);
    expect(subject).toMatch(/O ?= ?Test CPO/);
  });

  test('A02.FR.12 a CSR with the wrong O or CN is Rejected and nothing is sent', async () => {
    const { client, csms } = await signing();
    let sent = 0;
    client.router.on('CertificateSigned', () => {
      sent += 1;
      return { status: 'Accepted' };
    });
    const failed = next<{ result: { status: string } }>(csms, 'certificateSigned');
    const wrongO = await createCertificateSigningRequest({
      cpoName: 'Other CPO',
      serialNumber: 'SN-1',
    });
    expect(await client.call('SignCertificate', { csr: wrongO.csrPem })).toEqual({
      status: 'Rejected',
    });
    expect((await failed).result.status).toBe('Failed');
    const wrongCn = await createCertificateSigningRequest({ cpoName, serialNumber: 'CP-1' });
    expect(await client.call('SignCertificate', { csr: wrongCn.csrPem })).toEqual({
      status: 'Rejected',
    });
    expect(await client.call('SignCertificate', { csr: 'not a csr' })).toEqual({
      status: 'Rejected',
    });
    expect(sent).toBe(0);
  });

  test('A02.FR.12 without a signer every SignCertificate is Rejected', async () => {
    const { url } = await startCentralSystem({ records: [registered('CP-1')] });
    const client = await connectChargePoint(url, 'CP-1');
    await boot(client);
    const csr = await createCertificateSigningRequest({ cpoName, serialNumber: 'CP-1' });
    expect(await client.call('SignCertificate', { csr: csr.csrPem })).toEqual({
      status: 'Rejected',
    });
  });
});
