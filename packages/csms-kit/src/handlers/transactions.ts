// §4.1 Authorize, §4.8 StartTransaction, §4.10 StopTransaction, §4.7 MeterValues.
import type { CsmsHandler } from '../core/handler.js';
import type { KitServices } from '../core/kit-services.js';

export function authorizeHandler<State>(kit: KitServices<State>): CsmsHandler<'Authorize', State> {
  return async ({ idTag }, { identity }) => ({
    idTagInfo: await kit.authorizer.authorize(idTag, identity),
  });
}

export function startTransactionHandler<State>(
  kit: KitServices<State>,
): CsmsHandler<'StartTransaction', State> {
  return async (request, { session, identity }) => {
    const { response, transaction, created } = await kit.ledger.start(identity, request);
    if (created) kit.emit('transactionStarted', { session, transaction, response });
    else
      kit.logger.info('transaction.start-resent', {
        identity,
        transactionId: transaction.transactionId,
      });
    return response;
  };
}

export function stopTransactionHandler<State>(
  kit: KitServices<State>,
): CsmsHandler<'StopTransaction', State> {
  return async (request, { session, identity }) => {
    const { response, result } = await kit.ledger.stop(identity, request);
    if (result.status !== 'Stopped') {
      kit.logger.info(
        `transaction.stop-${result.status === 'AlreadyStopped' ? 'resent' : 'orphan'}`,
        {
          identity,
          transactionId: request.transactionId,
        },
      );
    }
    kit.emit('transactionStopped', { session, request, result });
    return response;
  };
}
