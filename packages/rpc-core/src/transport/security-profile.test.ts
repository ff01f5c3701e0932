import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ConnectionOptions, connect, type TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import {
  clientTlsOptions,
  requiredTls12CipherSuites,
  serverTlsOptions,
  TlsConfigurationProblem,
  weakKeyInChain,
} from './security-profile.js';

let pki: TestPki;
let server: Server;
let port: number;

beforeAll(async () => {
  pki = await createTestPki();
  const options = serverTlsOptions(2, {
    key: [pki.serverRsa.key, pki.serverEc.key],
    cert: [pki.serverRsa.cert, pki.serverEc.cert],
  }) as TlsOptions;
  server = createServer(options, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Opens one TLS connection and reports what was negotiated, or the error code. */
function handshake(
  options: ConnectionOptions,
): Promise<{ cipher: string; version: string } | string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca: pki.ca.cert, ...options }, () => {
      const result = { cipher: socket.getCipher().name, version: socket.getProtocol() ?? '' };
      socket.end();
      resolve(result);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function sClient(...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-no_ign_eof', ...args],
      { timeout: 10_000 },
      (_error, stdout, stderr) => resolve(stdout + stderr),
    );
    child.stdin?.end();
  });
}

describe('security profile 2/3 server TLS settings (whitepaper §2.4.1)', () => {
  test.each(requiredTls12CipherSuites)('A00.FR.317: offers %s over TLS 1.2', async (suite) => {
    const result = await handshake({ ciphers: suite, maxVersion: 'TLSv1.2' });
    expect(result).toEqual({ cipher: suite, version: 'TLSv1.2' });
  });

  test('A00.FR.317: cross-check with openssl s_client, RSA and ECDSA suites', async () => {
    const rsa = await sClient('-tls1_2', '-cipher', 'AES256-GCM-SHA384');
    expect(rsa).toMatch(/Cipher is AES256-GCM-SHA384/);
    const ecdsa = await sClient('-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(ecdsa).toMatch(/Cipher is ECDHE-ECDSA-AES128-GCM-SHA256/);
  });

  test('A00.FR.320: no TLS compression (openssl s_client)', async () => {
    const out = await sClient('-tls1_2');
    expect(out).toMatch(/Compression: NONE/);
  });

  test('A00.FR.312: TLS 1.3 preferred when both sides have it', async () => {
    expect(await handshake({})).toMatchObject({ version: 'TLSv1.3' });
  });

  test('A00.FR.312/314: a TLS 1.1 client is refused by the server', async () => {
    const result = await handshake({
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(result).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION/);
    const out = await sClient('-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0');
    expect(out).toMatch(/alert protocol version|no protocols available|unsupported protocol/i);
  });

  test('A00.FR.319: weak suites are not offered', async () => {
    for (const cipher of ['AES128-SHA', 'ECDHE-ECDSA-AES128-SHA', 'AES128-SHA256']) {
      const result = await handshake({ ciphers: cipher, maxVersion: 'TLSv1.2' });
      expect(result).toMatch(/HANDSHAKE_FAILURE|NO_SHARED_CIPHER/);
    }
  });
});

describe('TLS configuration checks (whitepaper §2.4.1, §2.5.1)', () => {
  const pair = () => ({ key: pki.serverEc.key, cert: pki.serverEc.cert });

  test('profile 2/3 servers need a certificate', () => {
    expect(serverTlsOptions(2, undefined)).toBeInstanceOf(TlsConfigurationProblem);
    expect(serverTlsOptions(2, { key: pki.serverEc.key })).toBeInstanceOf(TlsConfigurationProblem);
  });

  test('A00.FR.403: profile 3 needs the CA client certificates chain to', () => {
    expect(serverTlsOptions(3, pair())).toBeInstanceOf(TlsConfigurationProblem);
    expect(serverTlsOptions(3, { ...pair(), ca: pki.ca.cert })).toMatchObject({
      requestCert: true,
      rejectUnauthorized: true,
    });
  });

  test('the profile owns requestCert/rejectUnauthorized on both sides', () => {
    const lax = { ...pair(), rejectUnauthorized: false } as never;
    expect(serverTlsOptions(2, lax)).toBeInstanceOf(TlsConfigurationProblem);
    expect(clientTlsOptions(2, { rejectUnauthorized: false } as never)).toBeInstanceOf(
      TlsConfigurationProblem,
    );
    expect(clientTlsOptions(2, { ca: pki.ca.cert })).toMatchObject({
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  });

  test('A00.FR.312: a lower minVersion is raised to TLS 1.2', () => {
    expect(serverTlsOptions(2, { ...pair(), minVersion: 'TLSv1' })).toMatchObject({
      minVersion: 'TLSv1.2',
    });
    expect(clientTlsOptions(2, { minVersion: 'TLSv1.1' })).toMatchObject({ minVersion: 'TLSv1.2' });
  });

  test('A00.FR.401: a profile 3 client needs its certificate', () => {
    expect(clientTlsOptions(3, { ca: pki.ca.cert })).toBeInstanceOf(TlsConfigurationProblem);
  });
});

describe('A00.FR.501-503: key strength of every certificate in a peer chain', () => {
  /** A self-signed certificate with the given openssl key algorithm options, as Node hands it over. */
  const certificate = (...keyOptions: string[]) => {
    const pem = execFileSync(
      'openssl',
      // biome-ignore format: one openssl invocation per line reads best
      ['req', '-x509', '-newkey', ...keyOptions, '-nodes', '-keyout', '/dev/null', '-subj', '/CN=t', '-days', '1'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return { raw: new X509Certificate(pem).raw };
  };
  type Peer = Parameters<typeof weakKeyInChain>[0];
  const chain = (...certs: { raw: Buffer }[]): Peer => {
    const linked = certs.map((c) => ({ ...c }) as Record<string, unknown>);
    linked.forEach((c, i) => {
      c.issuerCertificate = linked[i + 1] ?? c;
    });
    return linked[0] as unknown as Peer;
  };
  const p256 = certificate('ec', '-pkeyopt', 'ec_paramgen_curve:P-256');
  const p224 = certificate('ec', '-pkeyopt', 'ec_paramgen_curve:P-224');
  const p192 = certificate('ec', '-pkeyopt', 'ec_paramgen_curve:P-192');
  const rsa1024 = certificate('rsa:1024');
  const rsa2048 = certificate('rsa:2048');

  test('strong keys pass: P-256, P-224 (the 224-bit floor) and RSA-2048', () => {
    expect(weakKeyInChain(chain(p256, rsa2048))).toBeUndefined();
    expect(weakKeyInChain(chain(p224))).toBeUndefined();
  });

  test('a 192-bit curve leaf is refused (A00.FR.503)', () => {
    expect(weakKeyInChain(chain(p192))).toBe(
      'certificate has a 192-bit elliptic curve key (prime192v1); at least 224 bits are required (A00.FR.503)',
    );
  });

  test('a strong leaf under an RSA-1024 issuer is refused, naming the depth (A00.FR.502)', () => {
    expect(weakKeyInChain(chain(p256, rsa1024, rsa2048))).toBe(
      'issuer at depth 1 has a 1024-bit RSA key; at least 2048 bits are required (A00.FR.502)',
    );
  });
});
