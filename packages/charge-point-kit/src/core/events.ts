import type {
  ChargePointStatus,
  IdTagInfo,
  Reason,
  RegistrationStatus,
  ResetType,
} from '@ocpp-kit/messages';

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
  /** A transaction started and is stored; its StartTransaction is queued (§4.8). */
  transactionStarted: [
    event: {
      readonly connectorId: number;
      readonly idTag: string;
      readonly meterStart: number;
      /** A transaction of before a restart, resumed (`afterRestart: 'resume'`), not a new one. */
      readonly resumed: boolean;
      /** The reservation it redeemed (§5.13). */
      readonly reservationId: number | undefined;
    },
  ];
  /** The CSMS answered a StartTransaction: its transactionId and its verdict on the idTag. */
  transactionConfirmed: [
    event: {
      readonly connectorId: number;
      readonly transactionId: number;
      readonly idTagInfo: IdTagInfo;
      /** The transaction had already stopped (an offline one delivered later). */
      readonly stopped: boolean;
    },
  ];
  /** A transaction stopped and is stored; its StopTransaction is queued (§4.10). */
  transactionStopped: [
    event: { readonly connectorId: number; readonly reason: Reason; readonly meterStop: number },
  ];
  /** A configuration key changed and was stored; a write-only key's value is not included. */
  configurationChanged: [event: { readonly key: string; readonly rebootRequired: boolean }];
  /** A Reset (§5.14): transactions are stopped and stored; the adapter's `reboot` is called next. */
  reset: [event: { readonly type: ResetType }];
  /** Something the kit cannot recover from by itself (storage failure, corrupt state). */
  error: [event: { readonly error: Error }];
}
