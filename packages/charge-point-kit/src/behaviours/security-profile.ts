import type { SecurityProfile } from '@ocpp-kit/rpc-core';
import type { Behaviour } from '../core/behaviour.js';
import type { Endpoints } from '../core/endpoints.js';
import type { KitCore } from '../core/kit-core.js';
import { deleteState, loadState, putState } from '../storage/state-table.js';

interface Upgrade {
  readonly from: SecurityProfile;
  readonly to: SecurityProfile;
  readonly failures: number;
}

const stateName = 'securityProfile.upgrade';

/**
 * SecurityProfile (whitepaper §7.6, A05): a ChangeConfiguration is Accepted only for a higher
 * profile whose prerequisites exist (AuthorizationKey for 1/2, a CentralSystemRootCertificate for
 * 2/3, a charge point certificate for 3, and an endpoint); the charge point then reconnects with
 * it. Until a connection with the new profile opens, the upgrade is pending (stored: a restart
 * keeps trying); after `attempts` failed connects it falls back to the previous profile
 * (A05.FR.08). Once connected, there is no way back over OCPP (A00.FR.005, A05.FR.09).
 */
export function securityProfileBehaviour(
  core: KitCore,
  endpoints: Endpoints,
  options: { readonly attempts: number },
): Behaviour {
  const { config, store, station } = core;
  let inForce = config.get('SecurityProfile') as SecurityProfile;
  let upgrade = readUpgrade(loadState(store, station, stateName));
  let fallingBack = false;

  const save = (next: Upgrade | undefined): Promise<void> => {
    upgrade = next;
    return store.write(() =>
      next === undefined
        ? deleteState(store, station, stateName)
        : putState(store, station, stateName, next),
    );
  };
  const failed = (error: unknown) => core.events.emit('error', { error: error as Error });

  config.guard('SecurityProfile', (value) => {
    const wanted = value as SecurityProfile;
    if (wanted <= inForce) return `only a higher profile than ${inForce} (A05.FR.01)`;
    const endpoint = endpoints.forProfile(wanted);
    return 'refusal' in endpoint ? endpoint.refusal : undefined;
  });

  config.onChange(({ key, value }) => {
    if (key !== 'SecurityProfile') return;
    const to = value as SecurityProfile;
    const from = inForce;
    inForce = to;
    if (fallingBack) return;
    core.logger.info('securityProfile.raised', { from, to });
    // A05.FR.06-07: after the Accepted is on the wire, reconnect with the new profile.
    save({ from, to, failures: 0 })
      .then(() => core.timers.setTimeout(() => void core.connection.renew(), 0))
      .catch(failed);
  });

  core.events.on('connected', () => {
    if (upgrade === undefined) return;
    core.logger.info('securityProfile.upgraded', { from: upgrade.from, to: upgrade.to });
    save(undefined).catch(failed);
  });

  core.events.on('connectFailed', ({ error }) => {
    const pending = upgrade;
    if (pending === undefined || fallingBack) return;
    const failures = pending.failures + 1;
    if (failures < options.attempts) {
      save({ ...pending, failures }).catch(failed);
      return;
    }
    // A05.FR.08: the new profile does not work; the previous one does.
    fallingBack = true;
    core.logger.warn('securityProfile.fallback', {
      from: pending.to,
      to: pending.from,
      error: String(error),
    });
    config
      .set('SecurityProfile', pending.from)
      .then(() => save(undefined))
      .then(() => {
        core.securityEvents.note(
          'ReconfigurationOfSecurityParameters',
          `security profile ${pending.to} failed to connect; back to ${pending.from}`,
        );
        return core.connection.renew();
      })
      .catch(failed)
      .finally(() => {
        fallingBack = false;
      });
  });

  return { name: 'security-profile' };
}

function readUpgrade(stored: unknown): Upgrade | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const u = stored as Record<string, unknown>;
  const profile = (v: unknown) => v === 0 || v === 1 || v === 2 || v === 3;
  return profile(u.from) && profile(u.to) && typeof u.failures === 'number'
    ? (u as unknown as Upgrade)
    : undefined;
}
