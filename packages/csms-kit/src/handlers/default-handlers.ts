// The answer to every charge-point-initiated action that the application does not handle.
import type { HandlerTable } from '../core/handler.js';
import type { KitServices } from '../core/kit-services.js';
import { bootHandler } from './boot.js';
import { signCertificateHandler } from './certificates.js';
import { acknowledge, dataTransferHandler, heartbeatHandler } from './notifications.js';
import {
  authorizeHandler,
  startTransactionHandler,
  stopTransactionHandler,
} from './transactions.js';

export function defaultHandlers<State>(kit: KitServices<State>): HandlerTable<State> {
  return {
    Authorize: authorizeHandler(kit),
    BootNotification: bootHandler(kit),
    DataTransfer: dataTransferHandler(),
    DiagnosticsStatusNotification: acknowledge(),
    FirmwareStatusNotification: acknowledge(),
    Heartbeat: heartbeatHandler(kit),
    LogStatusNotification: acknowledge(),
    MeterValues: acknowledge(),
    SecurityEventNotification: acknowledge(),
    SignCertificate: signCertificateHandler(kit),
    SignedFirmwareStatusNotification: acknowledge(),
    StartTransaction: startTransactionHandler(kit),
    StatusNotification: acknowledge(),
    StopTransaction: stopTransactionHandler(kit),
  };
}
