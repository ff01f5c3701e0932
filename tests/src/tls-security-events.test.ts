// rpc-core classifies failed TLS handshakes into Security Whitepaper ed.3 §8 events; the
// charge point records them with @ocpp-kit/security. The names must be the catalogue's.
import { tlsSecurityEvents } from '@ocpp-kit/rpc-core';
import { isCriticalSecurityEvent, securityEvents, securityEventTypes } from '@ocpp-kit/security';
import { expect, test } from 'vitest';

/** Whitepaper ed.3 §8 table, column "CRITICAL", for the events of §2.4.1 and §2.5.1. */
const criticalPerSpec = {
  InvalidCentralSystemCertificate: false, // "No"
  InvalidTLSVersion: false, // "No"
  InvalidTLSCipherSuite: false, // "No"
} as const;

test('whitepaper §8 (A00.FR.309/315/322, A00.FR.413/419/426): every tlsSecurityEvents entry is a security event type of the @ocpp-kit/security catalogue', () => {
  expect(tlsSecurityEvents.length).toBeGreaterThan(0);
  for (const event of tlsSecurityEvents) {
    expect(securityEventTypes, event).toContain(event);
    expect(Object.hasOwn(securityEvents, event), event).toBe(true);
  }
});

test('whitepaper §8: the TLS handshake events are marked non-critical, as the §8 table says', () => {
  expect(Object.keys(criticalPerSpec).sort()).toEqual([...tlsSecurityEvents].sort());
  for (const event of tlsSecurityEvents) {
    expect(securityEvents[event].critical, event).toBe(criticalPerSpec[event]);
    expect(isCriticalSecurityEvent(event), event).toBe(criticalPerSpec[event]);
  }
});
