import type { ChargePointStatus, RegistrationStatus } from '@ocpp-kit/messages';

/** The registration state of §4.2: Unknown until the first BootNotification.conf. */
export type Registration = RegistrationStatus | 'Unknown';

/**
 * What a charge point reports, one event object per listener (as rpc-core does). Behaviours
 * talk to each other through these events too, never by importing each other.
 */
export interface ChargePointEvents {
  /** The WebSocket to the CSMS is open (before any BootNotification). */
  connected: [event: { readonly url: string; readonly reconnect: boolean }];
  /** The WebSocket closed; transaction messages queue durably meanwhile. */
  disconnected: [event: { readonly code: number; readonly reason: string }];
  /** A connection attempt failed; the kit retries with backoff. */
  connectFailed: [
    event: { readonly url: string; readonly error: Error; readonly retryInMs: number },
  ];
  /** A BootNotification.conf arrived (§4.2). */
  registration: [event: { readonly status: RegistrationStatus; readonly intervalSeconds: number }];
  /**
   * Connected and accepted, so everything may be sent: after an Accepted BootNotification
   * (`afterBoot`) and after every reconnection of a charge point accepted since it started.
   */
  accepted: [event: { readonly afterBoot: boolean }];
  /**
   * A connector's status (or the charge point's, connector 0) changed, or its reported fault
   * did (§4.9); the StatusNotification follows, within MinimumStatusDuration.
   */
  status: [
    event: {
      readonly connectorId: number;
      readonly status: ChargePointStatus;
      readonly previous: ChargePointStatus;
    },
  ];
  /** A configuration key changed and was stored; a write-only key's value is not included. */
  configurationChanged: [event: { readonly key: string; readonly rebootRequired: boolean }];
  /** Something the kit cannot recover from by itself (storage failure, corrupt state). */
  error: [event: { readonly error: Error }];
}
