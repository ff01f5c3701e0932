import { ocpp16, type RegistrationStatus } from '@ocpp-kit/messages';
import {
  type ClientOptions,
  createClient,
  type OcppClient,
  type SecurityProfile,
} from '@ocpp-kit/rpc-core';
import { onTestFinished } from 'vitest';
import { CentralSystem } from '../central-system.js';
import type { CentralSystemOptions } from '../central-system-options.js';
import { type ChargePointRecord, MemoryDirectory } from '../registry/charge-point-directory.js';

export const registered = (
  identity: string,
  extra: Partial<ChargePointRecord> = {},
): ChargePointRecord => ({ identity, securityProfile: 0, registration: 'Registered', ...extra });

/** A central system on 127.0.0.1 (one listener per profile given), closed when the test ends. */
export async function startCentralSystem<State = undefined>(
  options: Partial<CentralSystemOptions<State>> & { readonly records?: ChargePointRecord[] } = {},
): Promise<{
  csms: CentralSystem<State>;
  directory: MemoryDirectory;
  url: string;
  urls: string[];
}> {
  const directory =
    (options.chargePoints as MemoryDirectory | undefined) ?? new MemoryDirectory(options.records);
  const csms = new CentralSystem<State>({
    listeners: [{ securityProfile: 0 }],
    ...options,
    chargePoints: directory,
  });
  onTestFinished(() => csms.close());
  const addresses = await csms.listen();
  const urls = addresses.map(
    ({ port, securityProfile }) => `${securityProfile >= 2 ? 'wss' : 'ws'}://127.0.0.1:${port}/`,
  );
  return { csms, directory, url: urls[0] as string, urls };
}

export type TestClient = OcppClient<typeof ocpp16>;

/** An rpc-core charge point that does not reconnect, closed when the test ends. */
export async function connectChargePoint(
  url: string,
  identity: string,
  options: Partial<ClientOptions<typeof ocpp16>> & { securityProfile?: SecurityProfile } = {},
): Promise<TestClient> {
  const client = createClient({
    protocol: ocpp16,
    url,
    identity,
    securityProfile: 0,
    reconnect: false,
    ...options,
  } as ClientOptions<typeof ocpp16>);
  onTestFinished(() => client.close());
  await client.connect();
  return client;
}

export const bootRequest = { chargePointVendor: 'VendorX', chargePointModel: 'ModelY' } as const;

/** Boots and expects `status`. */
export async function boot(client: TestClient, status: RegistrationStatus = 'Accepted') {
  const response = await client.call('BootNotification', bootRequest);
  if (response.status !== status)
    throw new Error(`boot answered ${response.status}, expected ${status}`);
  return response;
}

/** Resolves on the next `event` the emitter fires. */
export function next<T>(
  emitter: { once(event: string, listener: (payload: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}
