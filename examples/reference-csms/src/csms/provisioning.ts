// The policy's configuration, applied while a charge point is Pending (§4.2), read back, and the
// triggers sent once it is Accepted (§5.17).
import type { CentralSystem, ChargePointSession } from '@ocpp-kit/csms-kit';
import type { Policy } from '../policy/policy.js';
import type { Storage } from '../storage/storage.js';

export interface ProvisioningLog {
  info(event: string, fields: Record<string, unknown>): void;
}

/** `provision` for `createCentralSystem`; undefined when the policy configures nothing. */
export function provisioning(
  policy: Policy,
  storage: Storage,
  log: ProvisioningLog,
): ((session: ChargePointSession<unknown>) => Promise<void>) | undefined {
  const entries = Object.entries(policy.configuration);
  if (entries.length === 0 && !policy.readConfiguration) return undefined;
  return async (session) => {
    for (const [key, value] of entries) {
      const { status } = await session.call('ChangeConfiguration', { key, value });
      // A charge point that refuses one key still gets the others; the operator sees the outcome.
      log.info('provision.configuration', { identity: session.identity, key, status });
    }
    if (policy.readConfiguration) await readConfiguration(session, storage);
  };
}

/** GetConfiguration (§5.8) into the configuration table. */
export async function readConfiguration(
  session: ChargePointSession<unknown>,
  storage: Storage,
): Promise<void> {
  const { configurationKey = [] } = await session.call('GetConfiguration', {});
  await storage.records.configuration(session.identity, configurationKey);
}

export function triggerOnAccept(csms: CentralSystem<unknown>, policy: Policy): void {
  if (policy.triggersOnAccept.length === 0) return;
  csms.on('boot', ({ session, status }) => {
    if (status !== 'Accepted') return;
    void (async () => {
      for (const requestedMessage of policy.triggersOnAccept) {
        if (!session.connected) return;
        await session.call('TriggerMessage', { requestedMessage }).catch(() => undefined);
      }
    })();
  });
}
