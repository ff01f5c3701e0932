import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import {
  createServer as createHttpsServer,
  type Server as HttpsServer,
  request as httpsRequest,
} from 'node:https';
import type { TLSSocket } from 'node:tls';
import { encodeBasicAuthorization } from '@ocpp-kit/security/authorization-key';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { RpcError } from '../errors.js';
import { createTestPki, type KeyPair, type TestPki } from '../testing/test-pki.js';
import { testProtocol } from '../testing/test-protocol.js';
import { type ClientOptions, type ConnectFailedEvent, createClient } from './client.js';
import { createServer, type ServerOptions } from './server.js';
import { handshakeSecurityEvent, tlsErrorCode } from './tls-security-event.js';

type P = typeof testProtocol;
let pki: TestPki;
let cp: KeyPair;
// A binary key with bytes >= 0x80: a string-based Basic encoder would corrupt it.
const key = Buffer.from('00ff80fe7f0102030405060708090a0b0c0d0ee1', 'hex');
const keys = new Map([['CP1', key]]);
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  pki = await createTestPki('Test CPO');
  cp = await pki.chargePoint('CP1', 'Test CPO');
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const serverTls = () => ({
  key: [pki.serverRsa.key, pki.serverEc.key],
  cert: [pki.serverRsa.cert, pki.serverEc.cert],
});

/** Options that may also be set to `undefined` to drop a default. */
type StartOptions = { [K in keyof ServerOptions<P>]?: ServerOptions<P>[K] | undefined } & Pick<
  ServerOptions<P>,
  'securityProfile'
>;

async function start(options: StartOptions) {
  const server = createServer<P>({
    protocol: testProtocol,
    authorizationKey: (identity) => keys.get(identity),
    cpoName: 'Test CPO',
    path: '/ocpp',
    ...options,
  } as ServerOptions<P>);
  server.router.on('Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00Z' }));
  const { port } = await server.listen();
  cleanup.push(() => server.close());
  const scheme = options.securityProfile >= 2 ? 'wss' : 'ws';
  return { server, port, url: `${scheme}://127.0.0.1:${port}/ocpp` };
}

/** A profile 2 server attached to an HTTPS server the test created (default path '/'). */
async function startOnOwnHttps(https: HttpsServer) {
  cleanup.push(() => new Promise((resolve) => https.close(resolve)));
  return start({ securityProfile: 2, server: https, path: '/' });
}

async function connect(
  options: Partial<ClientOptions<P>> & Pick<ClientOptions<P>, 'url' | 'securityProfile'>,
) {
  const client = createClient<P>({
    protocol: testProtocol,
    identity: 'CP1',
    reconnect: false,
    ...options,
  });
  cleanup.push(() => client.close());
  await client.connect();
  return client;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the connection to fail');
    },
    (error: unknown) => error as RpcError,
  );

interface RawResult {
  readonly statusCode: number | undefined;
  readonly headers: IncomingMessage['headers'];
  /** TLS facts captured at handshake time (the socket is gone by the time we look). */
  readonly tls: { reused: boolean; protocol: string | null } | undefined;
}

/** A raw upgrade request; resolves with the status, headers and what TLS negotiated. */
function rawUpgrade(
  url: string,
  headers: Record<string, string>,
  tls: object = {},
): Promise<RawResult> {
  const target = new URL(url);
  const send = target.protocol === 'wss:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      agent: false,
      ...tls,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'ocpp1.6',
        ...headers,
      },
    });
    let facts: RawResult['tls'];
    req.on('socket', (socket) =>
      socket.once('secureConnect', () => {
        const t = socket as TLSSocket;
        facts = { reused: t.isSessionReused(), protocol: t.getProtocol() };
      }),
    );
    const done = (res: IncomingMessage) =>
      resolve({ statusCode: res.statusCode, headers: res.headers, tls: facts });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      done(res);
    });
    req.on('response', (res) => {
      res.resume();
      done(res);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security profile 1: HTTP Basic over ws:// (whitepaper §2.3)', () => {
  test('A00.FR.202-205: identity and binary AuthorizationKey authenticate the charge point', async () => {
    const { server, url } = await start({ securityProfile: 1 });
    const client = await connect({ url, securityProfile: 1, authorizationKey: key });
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(server.connections.get('CP1')?.securityProfile).toBe(1);
  });

  test('A00.FR.205: a wrong password is refused with 401 and a Basic challenge', async () => {
    const { url } = await start({ securityProfile: 1 });
    const wrong = Buffer.from(key);
    wrong.writeUInt8(wrong.readUInt8(19) ^ 1, 19);
    const error = await failure(connect({ url, securityProfile: 1, authorizationKey: wrong }));
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 401 } });
    const res = await rawUpgrade(`${url}/CP1`, {
      Authorization: encodeBasicAuthorization('CP1', wrong),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="OCPP"/);
  });

  test('A00.FR.203: a missing Authorization header is refused with 401 and a challenge', async () => {
    const { url } = await start({ securityProfile: 1 });
    const res = await rawUpgrade(`${url}/CP1`, {});
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    const malformed = await rawUpgrade(`${url}/CP1`, { Authorization: 'Basic !!!' });
    expect(malformed.statusCode).toBe(401);
  });

  test('A00.FR.204: a username other than the URL identity is refused', async () => {
    keys.set('CP2', key);
    cleanup.push(() => keys.delete('CP2'));
    const { url } = await start({ securityProfile: 1 });
    const res = await rawUpgrade(`${url}/CP1`, {
      Authorization: encodeBasicAuthorization('CP2', key),
    });
    expect(res.statusCode).toBe(401);
    const ok = await rawUpgrade(`${url}/CP1`, {
      Authorization: encodeBasicAuthorization('CP1', key),
    });
    expect(ok.statusCode).toBe(101);
  });

  test('the authenticate hook gets the password bytes (e.g. for salted-hash storage, OCPP-J §6.2.2)', async () => {
    let seen: Buffer | undefined;
    const { url } = await start({
      securityProfile: 1,
      authorizationKey: undefined,
      authenticate: ({ password }) => {
        seen = password;
        return true;
      },
    });
    await connect({ url, securityProfile: 1, authorizationKey: key });
    expect(seen?.equals(key)).toBe(true);
  });

  test('A00.FR.002: a charge point without credentials (profile 0) is refused', async () => {
    const { url } = await start({ securityProfile: 1 });
    const error = await failure(connect({ url, securityProfile: 0 }));
    expect(error).toMatchObject({ code: 'AuthenticationFailed' });
  });

  test('A00.FR.002: a profile 1 charge point (Basic credentials) is refused by a profile 0 server', async () => {
    const { url, server } = await start({ securityProfile: 0 });
    const rejected = once(server, 'handshakeRejected');
    const error = await failure(connect({ url, securityProfile: 1, authorizationKey: key }));
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 403 } });
    expect((await rejected)[0].reason).toMatch(/A00\.FR\.002/);
    await connect({ url, securityProfile: 0 });
  });

  test.each([
    ['8 bytes', Buffer.alloc(8, 1)],
    ['21 bytes', Buffer.alloc(21, 1)],
  ])(
    'regression A00.FR.205: the server accepted an AuthorizationKey of %s; it refuses with 500 and a typed error naming the charge point',
    async (_name, weak) => {
      const { server, url } = await start({
        securityProfile: 1,
        authorizationKey: (identity) => (identity === 'CP1' ? weak : undefined),
      });
      const rejected = once(server, 'handshakeRejected');
      // The charge point sends the same weak key: it must not get in with it.
      const raw = await rawUpgrade(`${url}/CP1`, {
        Authorization: encodeBasicAuthorization('CP1', Buffer.alloc(16, 1)),
      });
      expect(raw.statusCode).toBe(500);
      const [event] = await rejected;
      expect(event).toMatchObject({ stage: 'http', status: 500 });
      expect(event.stage === 'http' && event.error).toMatchObject({
        code: 'InvalidOptions',
        message: expect.stringMatching(
          /authorizationKey\('CP1'\) returned \d+ bytes.*16-20 bytes \(A00\.FR\.205\)/,
        ),
      });
    },
  );

  test('client configuration: key length (A00.FR.205) and scheme (A00.FR.001) are enforced', () => {
    const make = (o: Partial<ClientOptions<P>>) => () =>
      createClient<P>({
        protocol: testProtocol,
        identity: 'CP1',
        url: 'ws://127.0.0.1:1',
        securityProfile: 1,
        ...o,
      });
    expect(make({})).toThrow(expect.objectContaining({ code: 'InvalidOptions' }));
    expect(make({ authorizationKey: randomBytes(15) })).toThrow(/16-20 bytes/);
    expect(make({ authorizationKey: key, url: 'wss://127.0.0.1:1' })).toThrow(
      expect.objectContaining({ code: 'SecurityProfileMismatch' }),
    );
  });

  test('server configuration: profile 1 without a way to check passwords is refused', () => {
    expect(() => createServer({ protocol: testProtocol, securityProfile: 1 })).toThrow(
      expect.objectContaining({ code: 'InvalidOptions' }),
    );
  });
});

describe('security profile 2: HTTP Basic over TLS (whitepaper §2.4)', () => {
  test('A00.FR.301-307: TLS with a verified server certificate plus Basic auth', async () => {
    const { server, url } = await start({ securityProfile: 2, tls: serverTls() });
    const client = await connect({
      url,
      securityProfile: 2,
      authorizationKey: key,
      tls: { ca: pki.ca.cert },
    });
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(server.connections.get('CP1')?.securityProfile).toBe(2);
  });

  test('A00.FR.307/310: an untrusted server certificate ends the connection', async () => {
    const { url } = await start({ securityProfile: 2, tls: serverTls() });
    const error = await failure(connect({ url, securityProfile: 2, authorizationKey: key }));
    expect(error).toMatchObject({ code: 'HandshakeFailed' });
    expect((error.cause as NodeJS.ErrnoException).code).toMatch(/CERT|SIGNATURE|ISSUER/);
  });

  test('A00.FR.205 over TLS: a wrong password is refused with 401 (not a TLS security event)', async () => {
    const { url } = await start({ securityProfile: 2, tls: serverTls() });
    const error = await failure(
      connect({
        url,
        securityProfile: 2,
        authorizationKey: randomBytes(20),
        tls: { ca: pki.ca.cert },
      }),
    );
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 401 } });
    expect(handshakeSecurityEvent(error)).toBeUndefined();
    expect(error.details).not.toHaveProperty('securityEvent');
  });

  test('A00.FR.001: a profile 2/3 client never connects over ws://', () => {
    for (const securityProfile of [2, 3] as const) {
      expect(() =>
        createClient<P>({
          protocol: testProtocol,
          identity: 'CP1',
          url: 'ws://127.0.0.1:1',
          securityProfile,
          authorizationKey: key,
          tls: { ca: pki.ca.cert, ...cp },
        }),
      ).toThrow(expect.objectContaining({ code: 'SecurityProfileMismatch' }));
    }
  });

  test('A00.FR.002: a profile 1 (plain) client cannot talk to a profile 2 server', async () => {
    const { port } = await start({ securityProfile: 2, tls: serverTls() });
    const error = await failure(
      connect({ url: `ws://127.0.0.1:${port}/ocpp`, securityProfile: 1, authorizationKey: key }),
    );
    expect(error).toMatchObject({ code: 'HandshakeFailed' });
  });

  test('A00.FR.002: a profile 3 client (certificate, no Basic) is refused by a profile 2 server', async () => {
    const { url } = await start({ securityProfile: 2, tls: { ...serverTls(), ca: pki.ca.cert } });
    const error = await failure(
      connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...cp } }),
    );
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 401 } });
  });

  test('A00.FR.312/313: the version is re-checked on upgrade even on a user-owned TLS 1.0+ server', async () => {
    const https = createHttpsServer({
      ...serverTls(),
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const { port } = await startOnOwnHttps(https);
    const url = `wss://127.0.0.1:${port}/CP1`; // default path '/'
    const auth = { Authorization: encodeBasicAuthorization('CP1', key) };
    const legacy = await rawUpgrade(url, auth, {
      ca: pki.ca.cert,
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(legacy.tls?.protocol).toBe('TLSv1.1');
    expect(legacy.statusCode).toBe(403);
    expect((await rawUpgrade(url, auth, { ca: pki.ca.cert })).statusCode).toBe(101);
  });

  test('A00.FR.001: the server type must match the profile', () => {
    expect(() =>
      createServer({
        protocol: testProtocol,
        securityProfile: 2,
        server: createHttpServer(),
        authorizationKey: () => key,
      }),
    ).toThrow(expect.objectContaining({ code: 'SecurityProfileMismatch' }));
    expect(() =>
      createServer({
        protocol: testProtocol,
        securityProfile: 1,
        server: createHttpsServer(serverTls()),
        authorizationKey: () => key,
      }),
    ).toThrow(expect.objectContaining({ code: 'SecurityProfileMismatch' }));
  });

  test('A00.FR.317 via listen(): missing certificates are a TlsConfiguration error', async () => {
    const server = createServer({
      protocol: testProtocol,
      securityProfile: 2,
      authorizationKey: () => key,
    });
    await expect(server.listen()).rejects.toMatchObject({ code: 'TlsConfiguration' });
  });

  // Issue: a profile 2 server with only an RSA certificate started silently.
  test.each([
    [
      'RSA only',
      () => ({ key: pki.serverRsa.key, cert: pki.serverRsa.cert }),
      'an ECDSA certificate',
    ],
    [
      'ECDSA only',
      () => ({ key: [pki.serverEc.key], cert: [pki.serverEc.cert] }),
      'an RSA certificate',
    ],
  ])(
    'A00.FR.317: listen() with %s warns (OCPPKIT_TLS_SUITES) and still serves',
    async (_, tls, lacking) => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      cleanup.push(() => process.off('warning', onWarning));
      const { url } = await start({ securityProfile: 2, tls: tls() });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([
        expect.objectContaining({
          name: 'OcppKitWarning',
          code: 'OCPPKIT_TLS_SUITES',
          message: expect.stringContaining(`security profile 2: the TLS server lacks ${lacking}`),
        }),
      ]);
      const client = await connect({
        url,
        securityProfile: 2,
        authorizationKey: key,
        tls: { ca: pki.ca.cert },
      });
      await expect(client.call('Heartbeat', {})).resolves.toMatchObject({
        currentTime: expect.any(String),
      });
    },
  );

  test('A00.FR.317: an RSA and an ECDSA certificate raise no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    cleanup.push(() => process.off('warning', onWarning));
    await start({ securityProfile: 2, tls: serverTls() });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
  });
});

describe('security profile 3: mutual TLS (whitepaper §2.5)', () => {
  const p3 = () => ({ securityProfile: 3 as const, tls: { ...serverTls(), ca: pki.ca.cert } });

  test('A00.FR.401-405: a certificate chaining to the CPO CA with O = CPO and CN = identity', async () => {
    const { server, url } = await start(p3());
    const client = await connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...cp } });
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
    const connection = server.connections.get('CP1');
    expect(connection?.securityProfile).toBe(3);
    expect(connection?.certificate?.subject).toMatchObject({ CN: 'CP1', O: 'Test CPO' });
  });

  test('A00.FR.407: no client certificate -> the TLS handshake fails', async () => {
    const { url } = await start(p3());
    const ws = new WebSocket(`${url}/CP1`, ['ocpp1.6'], { ca: pki.ca.cert });
    const [error] = (await once(ws, 'error')) as [NodeJS.ErrnoException];
    expect(error.code ?? error.message).toMatch(
      /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|ECONNRESET|socket hang up/,
    );
  });

  test.each([
    ['self-signed', () => pki.selfSignedChargePoint('CP1', 'Test CPO')],
    ['foreign CA', () => pki.foreignChargePoint('CP1', 'Test CPO')],
  ])('A00.FR.403/407: a %s client certificate is refused', async (_name, make) => {
    const { url, server } = await start(p3());
    const error = await failure(
      connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...(await make()) } }),
    );
    expect(error).toMatchObject({ code: 'HandshakeFailed' });
    expect(server.connections.size).toBe(0);
  });

  test('A00.FR.404: O other than the CPO name is refused with 403', async () => {
    const { url } = await start(p3());
    const other = await pki.chargePoint('CP1', 'Other CPO');
    const error = await failure(
      connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...other } }),
    );
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 403 } });
  });

  test('A00.FR.405: a CN that does not belong to the identity is refused; a hook maps serials', async () => {
    const serial = await pki.chargePoint('SN-0042', 'Test CPO');
    const { url } = await start(p3());
    const error = await failure(
      connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...serial } }),
    );
    expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 403 } });

    const mapped = await start({
      ...p3(),
      matchCommonName: (cn, id) => cn === 'SN-0042' && id === 'CP1',
    });
    await connect({ url: mapped.url, securityProfile: 3, tls: { ca: pki.ca.cert, ...serial } });
  });

  test('A00.FR.002: a profile 2 client (Basic, no certificate) is refused by a profile 3 server', async () => {
    const { url } = await start(p3());
    const error = await failure(
      connect({ url, securityProfile: 2, authorizationKey: key, tls: { ca: pki.ca.cert } }),
    );
    expect(error.code).toMatch(/HandshakeFailed|AuthenticationFailed/);
  });

  test.each([
    [
      'rsa-1024',
      /certificate has a 1024-bit RSA key; at least 2048 bits are required \(A00\.FR\.502\)/,
    ],
  ] as const)(
    'regression A00.FR.502: profile 3 accepted a %s client certificate; it is refused with InvalidChargePointCertificate',
    async (type, reason) => {
      const weak = await pki.chargePoint('CP1', 'Test CPO', type);
      const { server, url } = await start(p3());
      const rejected = once(server, 'handshakeRejected');
      const error = await failure(
        connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...weak } }),
      );
      expect(error).toMatchObject({ code: 'AuthenticationFailed', details: { status: 403 } });
      const [event] = await rejected;
      expect(event).toMatchObject({
        stage: 'http',
        status: 403,
        reason: expect.stringMatching(reason),
        securityEvent: 'InvalidChargePointCertificate',
      });
    },
  );

  test('A00.FR.502: an RSA-2048 client certificate is accepted', async () => {
    const rsa = await pki.chargePoint('CP1', 'Test CPO', 'rsa-2048');
    const { url } = await start(p3());
    await connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...rsa } });
  });

  test.each([
    ['no client certificate (a profile 2 client)', 2, /peer did not return a certificate/],
    [
      'a certificate from another CA',
      3,
      /^Client certificate refused: UNABLE_TO_GET_ISSUER_CERT_LOCALLY \(A00\.FR\.407\)$/,
    ],
  ] as const)(
    'regression A00.FR.407/408: a TLS-stage refusal (%s) fired no handshakeRejected; it does, with InvalidChargePointCertificate',
    async (_name, profile, reason) => {
      const { server, url } = await start(p3());
      const rejected = once(server, 'handshakeRejected');
      const attempt =
        profile === 2
          ? connect({ url, securityProfile: 2, authorizationKey: key, tls: { ca: pki.ca.cert } })
          : connect({
              url,
              securityProfile: 3,
              tls: { ca: pki.ca.cert, ...(await pki.foreignChargePoint('CP1', 'Test CPO')) },
            });
      await failure(attempt);
      const [event] = await rejected;
      expect(event).toMatchObject({
        stage: 'tls',
        reason: expect.stringMatching(reason),
        tlsError: expect.stringMatching(/CERT|VERIFY/),
        securityEvent: 'InvalidChargePointCertificate',
        remoteAddress: '127.0.0.1',
      });
    },
  );

  test('A00.FR.407: a resumed TLS session without a certificate is refused on every upgrade', async () => {
    // A profile 2 port and a profile 3 port sharing ticket keys (A00.FR.006 allows both).
    const ticketKeys = randomBytes(48);
    const profile2 = await start({ securityProfile: 2, tls: { ...serverTls(), ticketKeys } });
    const profile3 = await start({
      securityProfile: 3,
      tls: { ...serverTls(), ca: pki.ca.cert, ticketKeys },
    });
    const ticket = await tlsSession(profile2.url, { ca: pki.ca.cert });
    const rejected = once(profile3.server, 'handshakeRejected');
    const resumed = await rawUpgrade(
      `${profile3.url}/CP1`,
      {},
      { ca: pki.ca.cert, session: ticket },
    );
    expect(resumed.tls?.reused).toBe(true);
    expect(resumed.statusCode).toBe(403);
    expect((await rejected)[0].reason).toMatch(/requires a verified client certificate/);

    // A resumed session that carries the charge point certificate is still accepted.
    const good = await tlsSession(profile3.url, { ca: pki.ca.cert, ...cp });
    const again = await rawUpgrade(`${profile3.url}/CP1`, {}, { ca: pki.ca.cert, session: good });
    expect(again.tls?.reused).toBe(true);
    expect(again.statusCode).toBe(101);
  });
});

describe('security events for a failed TLS handshake (whitepaper §2.4.1, §2.5.1)', () => {
  /** A profile 2 connect with the CPO root trusted; resolves with the refusal. */
  const refused = (url: string, tls: object = {}) =>
    failure(
      connect({ url, securityProfile: 2, authorizationKey: key, tls: { ca: pki.ca.cert, ...tls } }),
    );
  /** What the charge point application sees: the event, and the TLS error code behind it. */
  const seen = (error: RpcError) => ({
    code: error.code,
    securityEvent: handshakeSecurityEvent(error),
    tlsCode: tlsErrorCode(error.cause),
  });
  /** A bare HTTPS server (no OCPP server): the handshake fails before any upgrade. */
  async function bareTls(options: object) {
    const https = createHttpsServer(options);
    https.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => https.close(resolve)));
    const { port } = https.address() as { port: number };
    return `wss://127.0.0.1:${port}/ocpp`;
  }

  test('A00.FR.309/310: a certificate from a root the charge point does not trust -> InvalidCentralSystemCertificate', async () => {
    const { url } = await start({
      securityProfile: 2,
      tls: await pki.centralSystem({ foreign: true }),
    });
    const error = await refused(url);
    expect(seen(error)).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidCentralSystemCertificate',
      tlsCode: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
    expect(error.details).toEqual({
      securityEvent: 'InvalidCentralSystemCertificate',
      tlsError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
  });

  test.each([
    ['A00.FR.309/310: an expired certificate', { expired: true }, 'CERT_HAS_EXPIRED'],
    [
      'A00.FR.308/309: a certificate not naming the address connected to',
      { altNames: ['csms.example'] },
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ],
  ] as const)('%s -> InvalidCentralSystemCertificate', async (_, certificate, tlsCode) => {
    const { url } = await start({ securityProfile: 2, tls: await pki.centralSystem(certificate) });
    expect(seen(await refused(url))).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidCentralSystemCertificate',
      tlsCode,
    });
  });

  test('A00.FR.413/414: profile 3, a certificate from a root the charge point does not trust -> InvalidCentralSystemCertificate', async () => {
    const { url } = await start({
      securityProfile: 3,
      tls: { ...(await pki.centralSystem({ foreign: true })), ca: pki.ca.cert },
    });
    const error = await failure(
      connect({ url, securityProfile: 3, tls: { ca: pki.ca.cert, ...cp } }),
    );
    expect(seen(error)).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidCentralSystemCertificate',
      tlsCode: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
  });

  test('A00.FR.315/419: a Central System that allows only TLS 1.1 -> InvalidTLSVersion', async () => {
    const url = await bareTls({
      ...serverTls(),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(seen(await refused(url))).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidTLSVersion',
      tlsCode: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });

  test('A00.FR.315: a client capped at TLS 1.2 refused by a TLS 1.3-only server raises no InvalidTLSVersion', async () => {
    const { url } = await start({
      securityProfile: 2,
      tls: { ...serverTls(), minVersion: 'TLSv1.3' },
    });
    expect(seen(await refused(url, { maxVersion: 'TLSv1.2' }))).toEqual({
      code: 'HandshakeFailed',
      securityEvent: undefined,
      tlsCode: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });

  test.each([
    ['A00.FR.322/426: no cipher suite in common', 'ECDHE-ECDSA-CAMELLIA128-SHA256'],
    [
      'A00.FR.319/322: only a CBC suite, which the client does not offer by default',
      'ECDHE-ECDSA-AES128-SHA256',
    ],
  ])('%s -> InvalidTLSCipherSuite', async (_, ciphers) => {
    const { url } = await start({
      securityProfile: 2,
      tls: { ...serverTls(), maxVersion: 'TLSv1.2', ciphers },
    });
    expect(seen(await refused(url))).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidTLSCipherSuite',
      tlsCode: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  test('A00.FR.309: a port that does not speak TLS raises no security event', async () => {
    const plain = await start({ securityProfile: 1 });
    const notTls = await refused(plain.url.replace('ws:', 'wss:'));
    expect(seen(notTls)).toEqual({
      code: 'HandshakeFailed',
      securityEvent: undefined,
      tlsCode: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
  });

  test('A00.FR.309/413: a reconnect attempt reports the event through connectFailed', async () => {
    const https = createHttpsServer(serverTls());
    const { server, port } = await startOnOwnHttps(https);
    const client = await connect({
      url: `wss://127.0.0.1:${port}`,
      securityProfile: 2,
      authorizationKey: key,
      tls: { ca: pki.ca.cert },
      reconnect: { initialDelayMs: 10, maxAttempts: 1, jitter: 0 },
    });
    const failed = once(client, 'connectFailed');
    // The Central System's certificate expires between two connections.
    https.setSecureContext(await pki.centralSystem({ expired: true }));
    server.connections.get('CP1')?.terminate();
    const [{ error, reconnect }] = (await failed) as [ConnectFailedEvent];
    expect(reconnect).toBe(true);
    expect(seen(error)).toEqual({
      code: 'HandshakeFailed',
      securityEvent: 'InvalidCentralSystemCertificate',
      tlsCode: 'CERT_HAS_EXPIRED',
    });
  });
});

/** Makes one TLS connection to the server of `url` and returns its session ticket. */
function tlsSession(url: string, tls: object): Promise<Buffer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      host: target.hostname,
      port: target.port,
      path: '/',
      agent: false,
      ...tls,
    });
    req.on('socket', (socket) => socket.once('session', (ticket: Buffer) => resolve(ticket)));
    req.on('response', (res) => res.resume());
    req.on('error', reject);
    req.end();
  });
}
