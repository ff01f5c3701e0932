import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';

/**
 * The CSMS's side of authorization: ClearCache (§5.4, errata 3.23), GetLocalListVersion
 * (§5.10: -1 without the Local Auth List Management profile) and SendLocalList (§5.15).
 */
export function authorizationBehaviour(core: KitCore): Behaviour {
  const { authorizer, config } = core;
  const listSupported = config.has('LocalAuthListEnabled');

  core.router.on('ClearCache', async () => {
    if (!config.has('AuthorizationCacheEnabled')) return { status: 'Rejected' };
    await authorizer.cache.clear();
    return { status: 'Accepted' };
  });

  core.router.on('GetLocalListVersion', () => ({
    listVersion: listSupported ? authorizer.localList.version : -1,
  }));

  core.router.on('SendLocalList', async (request) => {
    if (!listSupported) return { status: 'NotSupported' };
    const refusal = await authorizer.localList.apply(request, {
      maxLength: config.get('LocalAuthListMaxLength'),
      maxPerMessage: config.get('SendLocalListMaxLength'),
    });
    if (refusal === undefined) return { status: 'Accepted' };
    core.logger.info('localList.refused', { reason: refusal.reason, message: refusal.message });
    return { status: refusal.status };
  });

  return { name: 'authorization' };
}
