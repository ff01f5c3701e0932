// The CSMS policy file: listeners, registration, what to configure on every charge point before
// accepting it, and what to ask for once it is. Parsed strictly: an unknown key is an error.
import { readFileSync } from 'node:fs';

export interface ListenerPolicy {
  readonly securityProfile: 0 | 1 | 2 | 3;
  readonly host: string;
  readonly port: number;
  /** The OCPP-J path; charge points connect to `<path>/<identity>`. */
  readonly path: string;
}

export interface Policy {
  readonly listeners: readonly ListenerPolicy[];
  readonly http: { readonly host: string; readonly port: number };
  /** Firmware downloads and diagnostics/log uploads (`<dataDir>/firmware`, `<dataDir>/uploads`). */
  readonly files: { readonly host: string; readonly port: number };
  /** O of every charge point certificate; CSRs and profile 3 handshakes are checked against it. */
  readonly cpoName: string;
  /** CN and subjectAltName of the generated server certificates (profiles 2/3). */
  readonly serverHostname: string;
  readonly unknownChargePoints: 'reject' | 'pending';
  readonly heartbeatIntervalSeconds: number;
  readonly bootRetryIntervalSeconds: number;
  readonly callTimeoutMs: number;
  /** ChangeConfiguration key -> value sent while the charge point is Pending (§4.2), in order. */
  readonly configuration: Readonly<Record<string, string>>;
  /** Read the whole configuration back (GetConfiguration) after setting it. */
  readonly readConfiguration: boolean;
  /** TriggerMessage requests sent once the charge point is Accepted (e.g. StatusNotification). */
  readonly triggersOnAccept: readonly ('StatusNotification' | 'MeterValues' | 'Heartbeat')[];
}

export const defaultPolicy: Policy = {
  listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 8180, path: '/ocpp' }],
  http: { host: '127.0.0.1', port: 8181 },
  files: { host: '127.0.0.1', port: 8182 },
  cpoName: 'Reference CPO',
  serverHostname: 'localhost',
  unknownChargePoints: 'reject',
  heartbeatIntervalSeconds: 300,
  bootRetryIntervalSeconds: 30,
  callTimeoutMs: 30_000,
  configuration: {},
  readConfiguration: true,
  triggersOnAccept: ['StatusNotification'],
};

/** A policy file that does not parse; `message` names the field. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new PolicyError(
      `${field}: expected an integer ${min}..${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value as number;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new PolicyError(`${field}: expected a non-empty string`);
  return value;
}

function only(object: Json, field: string, keys: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!keys.includes(key))
      throw new PolicyError(`${field}.${key}: unknown setting; known: ${keys.join(', ')}`);
  }
}

/** Parses a policy document over the defaults. */
export function parsePolicy(input: unknown): Policy {
  if (!isObject(input)) throw new PolicyError('The policy must be a JSON object');
  only(input, 'policy', Object.keys(defaultPolicy));
  const listeners = input.listeners ?? defaultPolicy.listeners;
  if (!Array.isArray(listeners) || listeners.length === 0) {
    throw new PolicyError('listeners: expected a non-empty array');
  }
  const http = input.http ?? defaultPolicy.http;
  if (!isObject(http)) throw new PolicyError('http: expected { host, port }');
  only(http, 'http', ['host', 'port']);
  const files = input.files ?? defaultPolicy.files;
  if (!isObject(files)) throw new PolicyError('files: expected { host, port }');
  only(files, 'files', ['host', 'port']);
  const configuration = input.configuration ?? {};
  if (!isObject(configuration)) throw new PolicyError('configuration: expected { key: value }');
  for (const [key, value] of Object.entries(configuration)) {
    if (key.length > 50)
      throw new PolicyError(`configuration.${key}: a key has at most 50 characters (§6.9)`);
    if (typeof value !== 'string' || value.length > 500) {
      throw new PolicyError(
        `configuration.${key}: expected a string of at most 500 characters (§6.9)`,
      );
    }
  }
  const triggers = input.triggersOnAccept ?? defaultPolicy.triggersOnAccept;
  const allowedTriggers = ['StatusNotification', 'MeterValues', 'Heartbeat'];
  if (!Array.isArray(triggers) || triggers.some((t) => !allowedTriggers.includes(t as string))) {
    throw new PolicyError(`triggersOnAccept: expected a list of ${allowedTriggers.join(', ')}`);
  }
  const unknown = input.unknownChargePoints ?? defaultPolicy.unknownChargePoints;
  if (unknown !== 'reject' && unknown !== 'pending') {
    throw new PolicyError("unknownChargePoints: expected 'reject' or 'pending'");
  }
  const readConfiguration = input.readConfiguration ?? defaultPolicy.readConfiguration;
  if (typeof readConfiguration !== 'boolean')
    throw new PolicyError('readConfiguration: expected true or false');
  return {
    listeners: listeners.map((l: unknown, i) => {
      if (!isObject(l)) throw new PolicyError(`listeners[${i}]: expected an object`);
      only(l, `listeners[${i}]`, ['securityProfile', 'host', 'port', 'path']);
      return {
        securityProfile: integer(l.securityProfile, `listeners[${i}].securityProfile`, 0, 3) as
          | 0
          | 1
          | 2
          | 3,
        host: l.host === undefined ? '127.0.0.1' : text(l.host, `listeners[${i}].host`),
        port: integer(l.port ?? 0, `listeners[${i}].port`, 0, 65_535),
        path: l.path === undefined ? '/ocpp' : text(l.path, `listeners[${i}].path`),
      };
    }),
    http: {
      host: http.host === undefined ? defaultPolicy.http.host : text(http.host, 'http.host'),
      port: integer(http.port ?? defaultPolicy.http.port, 'http.port', 0, 65_535),
    },
    files: {
      host: files.host === undefined ? defaultPolicy.files.host : text(files.host, 'files.host'),
      port: integer(files.port ?? defaultPolicy.files.port, 'files.port', 0, 65_535),
    },
    cpoName: input.cpoName === undefined ? defaultPolicy.cpoName : text(input.cpoName, 'cpoName'),
    serverHostname:
      input.serverHostname === undefined
        ? defaultPolicy.serverHostname
        : text(input.serverHostname, 'serverHostname'),
    unknownChargePoints: unknown,
    heartbeatIntervalSeconds: integer(
      input.heartbeatIntervalSeconds ?? defaultPolicy.heartbeatIntervalSeconds,
      'heartbeatIntervalSeconds',
      1,
      86_400,
    ),
    bootRetryIntervalSeconds: integer(
      input.bootRetryIntervalSeconds ?? defaultPolicy.bootRetryIntervalSeconds,
      'bootRetryIntervalSeconds',
      0,
      86_400,
    ),
    callTimeoutMs: integer(
      input.callTimeoutMs ?? defaultPolicy.callTimeoutMs,
      'callTimeoutMs',
      1,
      600_000,
    ),
    configuration: configuration as Record<string, string>,
    readConfiguration,
    triggersOnAccept: triggers as Policy['triggersOnAccept'],
  };
}

export function readPolicyFile(file: string): Policy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new PolicyError(`Cannot read the policy ${file}: ${(cause as Error).message}`, { cause });
  }
  return parsePolicy(json);
}
