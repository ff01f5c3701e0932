import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ocpp16 } from '@ocpp-kit/messages';
import { type ClientOptions, createClient, type OcppClient } from '@ocpp-kit/rpc-core';
import { onTestFinished } from 'vitest';
import { type ReferenceCsms, startReferenceCsms } from '../csms/reference-csms.js';
import { defaultPolicy, type Policy } from '../policy/policy.js';

export const apiKey = 'test-api-key-0123456789';

/** A JSON answer the test reads field by field and asserts on. */
// biome-ignore lint/suspicious/noExplicitAny: the untyped JSON a test checks with expect()
export type ApiBody = any;

export interface TestCsms extends ReferenceCsms {
  readonly dataDir: string;
  /** ws(s)://127.0.0.1:<port>/ocpp of the first listener. */
  readonly ocppUrl: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: ApiBody }>;
}

/** The reference CSMS in a fresh data directory on loopback ports, closed when the test ends. */
export async function startTestCsms(
  policy: Partial<Policy> = {},
  dataDir?: string,
): Promise<TestCsms> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'reference-csms-'));
  const csms = await startReferenceCsms({
    dataDir: dir,
    apiKey,
    policy: {
      ...defaultPolicy,
      listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      http: { host: '127.0.0.1', port: 0 },
      ...policy,
      // Never a fixed port in tests, whatever the policy under test says.
      files: { host: '127.0.0.1', port: 0 },
    },
  });
  onTestFinished(async () => {
    await csms.close();
    if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
  });
  const first = csms.ocppAddresses[0];
  const scheme = (first?.securityProfile ?? 0) >= 2 ? 'wss' : 'ws';
  return {
    ...csms,
    dataDir: dir,
    ocppUrl: `${scheme}://127.0.0.1:${first?.port}/ocpp`,
    api: async (method, path, body, headers = {}) => {
      const response = await fetch(`http://127.0.0.1:${csms.httpPort}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}

export type TestChargePoint = OcppClient<typeof ocpp16>;

/** An rpc-core charge point that answers what the policy sends while it is Pending. */
export async function testChargePoint(
  url: string,
  identity: string,
  options: Partial<ClientOptions<typeof ocpp16>> = {},
): Promise<TestChargePoint> {
  const client = createClient({
    protocol: ocpp16,
    url,
    identity,
    securityProfile: 0,
    reconnect: false,
    ...options,
  } as ClientOptions<typeof ocpp16>);
  onTestFinished(() => client.close());
  return client;
}
