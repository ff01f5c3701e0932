import { execFile } from 'node:child_process';
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
} from './security-profile.js';

let pki: TestPki;
let server: Server;
let port: number;

beforeAll(async () => {
  pki = createTestPki();
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
  pki.dispose();
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
