// The CALLs a Central System acknowledges with an empty or fixed answer unless the application
// handles them: their content reaches it through the `request` event.
import type { ResponseOf } from '@ocpp-kit/messages';
import type { CsmsHandler } from '../core/handler.js';
import type { KitServices } from '../core/kit-services.js';

export function heartbeatHandler<State>(kit: KitServices<State>): CsmsHandler<'Heartbeat', State> {
  // §4.6: the answer carries the current time, to synchronise the charge point's clock.
  return () => ({ currentTime: new Date(kit.clock()).toISOString() });
}

/** §4.3: "If the recipient of the request has no implementation for the specific vendorId it SHALL return a status 'UnknownVendorId'". */
export function dataTransferHandler<State>(): CsmsHandler<'DataTransfer', State> {
  return () => ({ status: 'UnknownVendorId' });
}

type EmptyAnswered =
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
  | 'LogStatusNotification'
  | 'MeterValues'
  | 'SecurityEventNotification'
  | 'SignedFirmwareStatusNotification'
  | 'StatusNotification';

/** An action whose confirmation has no fields (§6.18, §6.20, §6.32, §6.48; whitepaper §5.14, 5.16, 5.20). */
export function acknowledge<A extends EmptyAnswered, State>(): CsmsHandler<A, State> {
  return () => ({}) as ResponseOf<A>;
}
