import type { DataTransferRequest, DataTransferResponse } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { KitCore } from '../core/kit-core.js';

/** Answers the CSMS's DataTransfer.req of one vendorId. */
export type DataTransferHandler = (
  request: DataTransferRequest,
) => DataTransferResponse | Promise<DataTransferResponse>;

/**
 * DataTransfer from the CSMS (§4.3, §5.6): the application's handler for the vendorId answers;
 * an unknown vendorId is answered UnknownVendorId.
 */
export function dataTransferBehaviour(
  core: KitCore,
  handlers: Readonly<Record<string, DataTransferHandler>>,
): Behaviour {
  const byVendor = new Map(Object.entries(handlers));
  core.router.on('DataTransfer', (request) => {
    const handler = byVendor.get(request.vendorId);
    return handler === undefined ? { status: 'UnknownVendorId' } : handler(request);
  });
  return { name: 'data-transfer' };
}
