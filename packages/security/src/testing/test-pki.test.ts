import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePemCertificate } from '../certificate.js';
import { openssl, tempDir } from '../test-helpers/openssl.js';
import { createTestPki, type TestLeaf, type TestPki } from './test-pki.js';

let pki: TestPki;
let foreign: TestPki;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [pki, foreign, dir] = await Promise.all([
    createTestPki({ cpoName: 'ACME' }),
    createTestPki(),
    tempDir('pki'),
  ]);
  await writeFile(join(dir.path, 'root.pem'), pki.root.certificatePem);
  await writeFile(join(dir.path, 'sub.pem'), pki.subCa.certificatePem);
});
afterAll(() => dir.remove());

interface Handshake {
  readonly client: { authorized: boolean; error?: string; cipher?: string; subject?: string };
  readonly server: { authorized: boolean; subject?: Record<string, unknown> };
}

/** One TLS handshake on 127.0.0.1 between a server with `server` and a client trusting the CPO root. */
async function handshake(
  server: TestLeaf,
  options: { cipher: string; client?: TestLeaf },
): Promise<Handshake> {
  let serverSide: Handshake['server'] = { authorized: false };
  const tlsServer = createServer(
    {
      key: server.privateKeyPem,
      cert: server.chainPem,
      minVersion: 'TLSv1.2',
      ciphers: options.cipher,
      requestCert: options.client !== undefined,
      rejectUnauthorized: options.client !== undefined,
      ca: [pki.root.certificatePem],
    },
    (socket: TLSSocket) => {
      const peer = socket.getPeerCertificate();
      serverSide = {
        authorized: socket.authorized,
        subject: peer.subject as unknown as Record<string, unknown>,
      };
      socket.end();
    },
  );
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  const { port } = tlsServer.address() as AddressInfo;
  try {
    const client = await new Promise<Handshake['client']>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: [pki.root.certificatePem],
        maxVersion: 'TLSv1.2', // the cipher suite names of A00.FR.317 are TLS 1.2 suites
        ciphers: options.cipher,
        ...(options.client === undefined
          ? {}
          : { key: options.client.privateKeyPem, cert: options.client.chainPem }),
      });
      socket.on('secureConnect', () => {
        resolve({
          authorized: socket.authorized,
          cipher: socket.getCipher().name,
          subject: socket.getPeerCertificate().subject.CN as string,
        });
      });
      socket.on('data', () => undefined);
      socket.on('error', (error) => resolve({ authorized: false, error: error.message }));
    });
    await new Promise((r) => setTimeout(r, 20));
    return { client, server: serverSide };
  } finally {
    await new Promise((resolve) => tlsServer.close(resolve));
  }
}

describe('test PKI for security profiles 2 and 3 (whitepaper §2.4-2.6)', () => {
  test.each([
    ['RSA', 'ECDHE-RSA-AES128-GCM-SHA256'],
    ['RSA', 'AES128-GCM-SHA256'],
    ['RSA', 'AES256-GCM-SHA384'],
    ['ECDSA', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
    ['ECDSA', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ] as const)(
    'A00.FR.317: %s server certificate negotiates %s and verifies against the root',
    async (kind, cipher) => {
      const server = kind === 'RSA' ? pki.server.rsa : pki.server.ecdsa;
      const { client } = await handshake(server, { cipher });
      expect(client).toMatchObject({ authorized: true, cipher, subject: 'localhost' });
    },
  );

  test('A00.FR.401-405: profile 3 mutual TLS; the CSMS sees O = CPO name and CN = serial number', async () => {
    const chargePoint = await pki.issueChargePointCertificate('CP-0001');
    const { client, server } = await handshake(pki.server.ecdsa, {
      cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      client: chargePoint,
    });
    expect(client.authorized).toBe(true);
    expect(server).toMatchObject({ authorized: true, subject: { O: 'ACME', CN: 'CP-0001' } });
  });

  test('A00.FR.407: a client certificate from another hierarchy fails the handshake', async () => {
    const stranger = await foreign.issueChargePointCertificate('CP-0001');
    const { client, server } = await handshake(pki.server.ecdsa, {
      cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      client: stranger,
    });
    expect(client.authorized && server.authorized).toBe(false);
  });

  test('openssl verifies every leaf for its purpose; the firmware signer chains to the manufacturer root', async () => {
    const leaves = {
      'server-rsa.pem': [pki.server.rsa.certificatePem, 'sslserver', 'root.pem'],
      'server-ec.pem': [pki.server.ecdsa.certificatePem, 'sslserver', 'root.pem'],
      'client.pem': [
        (await pki.issueChargePointCertificate('CP-2')).certificatePem,
        'sslclient',
        'root.pem',
      ],
      'fw.pem': [pki.firmwareSigner.certificatePem, 'any', 'mfr.pem'],
    } as const;
    await writeFile(join(dir.path, 'mfr.pem'), pki.manufacturerRoot.certificatePem);
    for (const [file, [pem, purpose, root]] of Object.entries(leaves)) {
      await writeFile(join(dir.path, file), pem);
      const untrusted = root === 'root.pem' ? ['-untrusted', 'sub.pem'] : [];
      const out = await openssl(
        ['verify', '-CAfile', root, ...untrusted, '-purpose', purpose, file],
        dir.path,
      );
      expect(out).toContain(`${file}: OK`);
    }
  });

  test('A00.FR.509-511: subjects carry O and CN; charge point CN is the serial number', async () => {
    const server = parsePemCertificate(pki.server.rsa.certificatePem);
    expect(server.organizationNames).toEqual(['ACME']);
    expect(server.commonNames).toEqual(['localhost']);
    expect(server.x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const client = parsePemCertificate(
      (await pki.issueChargePointCertificate('CP-3')).certificatePem,
    );
    expect([client.organizationNames, client.commonNames]).toEqual([['ACME'], ['CP-3']]);
    expect(client.keyUsage?.has('digitalSignature')).toBe(true);
    expect(client.basicConstraints).toEqual({ ca: false, critical: true });
  });
});
