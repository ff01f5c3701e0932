// The security events of whitepaper section 8 with their criticality: critical events are pushed
// to the central system (A04.FR.01) with guaranteed delivery (A04.FR.02); every event is logged
// (A04.FR.04, N01.FR.05).
import type { SecurityEventNotificationRequest } from '@ocpp-kit/messages';
import { SecurityError } from './errors.js';

/** Section 8, in the whitepaper's order. */
export const securityEvents = {
  FirmwareUpdated: { critical: true, description: 'The Charge Point firmware is updated' },
  FailedToAuthenticationAtCentralSystem: {
    critical: false,
    description:
      'The authentication credentials provided by the Charge Point were rejected by the Central System',
  },
  CentralSystemFailedToAuthentication: {
    critical: false,
    description:
      'The authentication credentials provided by the Central System were rejected by the Charge Point',
  },
  SettingSystemTime: {
    critical: true,
    description: 'The system time on the Charge Point was changed',
  },
  StartupOfTheDevice: { critical: true, description: 'The Charge Point has booted' },
  ResetOrReboot: { critical: true, description: 'The Charge Point was rebooted or reset' },
  SecurityLogWasCleared: { critical: true, description: 'The security log was cleared' },
  ReconfigurationOfSecurityParameters: {
    critical: false,
    description: 'Security parameters, such as keys or the security profile used, were changed',
  },
  MemoryExhaustion: {
    critical: true,
    description: 'The Flash or RAM memory of the Charge Point is getting full',
  },
  InvalidMessages: {
    critical: false,
    description:
      'The Charge Point has received messages that are not valid OCPP messages, if signed messages, signage invalid/incorrect',
  },
  AttemptedReplayAttacks: {
    critical: false,
    description: 'The Charge Point has received a replayed message',
  },
  TamperDetectionActivated: {
    critical: true,
    description: 'The physical tamper detection sensor was triggered',
  },
  InvalidFirmwareSignature: { critical: false, description: 'The firmware signature is not valid' },
  InvalidFirmwareSigningCertificate: {
    critical: false,
    description: 'The certificate used to verify the firmware signature is not valid',
  },
  InvalidCentralSystemCertificate: {
    critical: false,
    description:
      'The certificate that the Central System uses was not valid or could not be verified',
  },
  InvalidChargePointCertificate: {
    critical: false,
    description:
      'The certificate sent to the Charge Point using the SignCertificate.conf message is not a valid certificate',
  },
  InvalidTLSVersion: {
    critical: false,
    description:
      'The TLS version used by the Central System is lower than 1.2 and is not allowed by the security specification',
  },
  InvalidTLSCipherSuite: {
    critical: false,
    description:
      'The Central System did only allow connections using TLS cipher suites that are not allowed by the security specification',
  },
} as const satisfies Record<string, { readonly critical: boolean; readonly description: string }>;

/** A section 8 event name. */
export type SecurityEventType = keyof typeof securityEvents;

/** The section 8 names, in order. */
export const securityEventTypes = Object.keys(securityEvents) as SecurityEventType[];

/** SecurityEventNotification.req field limits (schema). */
export const securityEventLimits = { type: 50, techInfo: 255 } as const;

/** Whether `type` must be pushed to the central system; unknown (vendor) types are not. */
export function isCriticalSecurityEvent(type: string): boolean {
  return Object.hasOwn(securityEvents, type) && securityEvents[type as SecurityEventType].critical;
}

/**
 * Checks an event type and fits techInfo to the schema: the type must be 1-50 characters
 * (throws `INVALID_SECURITY_EVENT`); a longer techInfo is cut to 255 characters rather than losing
 * the event.
 */
export function normalizeSecurityEvent(
  type: string,
  techInfo?: string,
): { type: string; techInfo?: string } {
  if (typeof type !== 'string' || type.length === 0 || type.length > securityEventLimits.type) {
    throw new SecurityError(
      'INVALID_SECURITY_EVENT',
      `Security event type must be 1-${securityEventLimits.type} characters (SecurityEventNotification.req type)`,
    );
  }
  if (techInfo === undefined) return { type };
  // JSON Schema maxLength counts code points, so cut on code points (never inside a surrogate pair).
  return { type, techInfo: [...techInfo].slice(0, securityEventLimits.techInfo).join('') };
}

/** Builds SecurityEventNotification.req for an event. */
export function securityEventNotification(
  type: SecurityEventType | (string & {}),
  timestamp: Date | string,
  techInfo?: string,
): SecurityEventNotificationRequest {
  const normalized = normalizeSecurityEvent(type, techInfo);
  const request: SecurityEventNotificationRequest = {
    type: normalized.type,
    timestamp: typeof timestamp === 'string' ? timestamp : timestamp.toISOString(),
  };
  if (normalized.techInfo !== undefined) request.techInfo = normalized.techInfo;
  return request;
}
