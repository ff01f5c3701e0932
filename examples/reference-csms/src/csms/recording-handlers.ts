// What the reference CSMS keeps of each charge-point-initiated CALL. Every handler answers only
// once its rows are durable, so nothing acknowledged to a charge point can be lost.
import type { CentralSystem } from '@ocpp-kit/csms-kit';
import type { Storage } from '../storage/storage.js';

export function recordEverything(csms: CentralSystem<unknown>, storage: Storage): void {
  const { meterValues, records } = storage;
  csms
    .handle('StatusNotification', async (request, { identity }) => {
      await records.status(identity, request);
      return {};
    })
    .handle('MeterValues', async ({ connectorId, transactionId, meterValue }, { identity }) => {
      await meterValues.record(identity, connectorId, transactionId, meterValue);
      return {};
    })
    .handle('StopTransaction', async (request, context) => {
      const response = await csms.defaultHandler('StopTransaction')(request, context);
      if (request.transactionData !== undefined) {
        const connectorId = storage.transactions.get(request.transactionId)?.connectorId ?? 0;
        await meterValues.record(
          context.identity,
          connectorId,
          request.transactionId,
          request.transactionData,
        );
      }
      return response;
    })
    .handle('SecurityEventNotification', async ({ type, timestamp, techInfo }, { identity }) => {
      await records.securityEvent(identity, type, timestamp, techInfo);
      return {};
    })
    .handle('FirmwareStatusNotification', async ({ status }, { identity }) => {
      await records.job(identity, 'firmware', status);
      return {};
    })
    .handle('SignedFirmwareStatusNotification', async ({ status, requestId }, { identity }) => {
      await records.job(identity, 'firmware', status, requestId);
      return {};
    })
    .handle('DiagnosticsStatusNotification', async ({ status }, { identity }) => {
      await records.job(identity, 'diagnostics', status);
      return {};
    })
    .handle('LogStatusNotification', async ({ status, requestId }, { identity }) => {
      await records.job(identity, 'log', status, requestId);
      return {};
    });
  // A StartTransaction's meterStart is the transaction row itself; its readings come later.
  csms.on('certificateSigned', ({ session, result }) => {
    if (result.status === 'Sent') {
      void records
        .certificate(session.identity, result.certificateChain, result.certificateStatus)
        .catch(() => undefined);
    }
  });
  // "Last seen", at most once a minute per charge point: not one write per CALL.
  const seenAt = new Map<string, number>();
  csms.on('request', ({ session }) => {
    const now = Date.now();
    if ((seenAt.get(session.identity) ?? 0) + 60_000 > now) return;
    seenAt.set(session.identity, now);
    storage.chargePoints.seen(session.identity);
  });
  csms.on('disconnect', ({ session }) => seenAt.delete(session.identity));
}
