import { RpcError } from '@ocpp-kit/rpc-core';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';

/**
 * GetConfiguration (§5.8) and ChangeConfiguration (§5.3) over the configuration store, and the
 * keys the connection itself obeys: WebSocketPingInterval at once, a new AuthorizationKey by
 * reconnecting with it once the answer is out (whitepaper A01).
 */
export function configurationBehaviour(core: KitCore): Behaviour {
  core.router.on('GetConfiguration', ({ key }) => {
    const max = core.config.get('GetConfigurationMaxKeys');
    if (key !== undefined && key.length > max) {
      // §5.8: the number of keys per request MAY be limited; the CSMS reads the limit first.
      throw new RpcError(
        'OccurenceConstraintViolation',
        `At most ${max} keys per GetConfiguration.req (GetConfigurationMaxKeys); ${key.length} were requested`,
      );
    }
    return core.config.read(key);
  });

  core.router.on('ChangeConfiguration', async ({ key, value }) => {
    const status = await core.config.change(key, value);
    core.logger.info('configuration.change', { key, status });
    return { status };
  });

  core.config.onChange(({ key, rebootRequired }) => {
    core.events.emit('configurationChanged', { key, rebootRequired });
    // §8, A01.FR.11: a changed security parameter is logged, never its value (A01.FR.12).
    if (securityKeys.has(key))
      core.securityEvents.note('ReconfigurationOfSecurityParameters', `${key} changed`);
    if (rebootRequired) return;
    if (key === 'WebSocketPingInterval') core.connection.setPingInterval(core.config.get(key));
    // After the ChangeConfiguration.conf is written: the CSMS hears Accepted on the old connection.
    if (key === 'AuthorizationKey') core.timers.setTimeout(() => void core.connection.renew(), 0);
  });

  return { name: 'configuration' };
}

const securityKeys = new Set(['AuthorizationKey', 'CpoName', 'SecurityProfile']);
