import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, startTestCsms } from '../test-helpers/test-csms.js';
import { connectFailureEvent } from './security-events.js';

const types = (received: { action: string; payload: Record<string, unknown> }[]) =>
  received.filter((r) => r.action === 'SecurityEventNotification').map((r) => r.payload.type);

describe('security events (whitepaper §8, A04)', () => {
  test('A04.FR.01/03: StartupOfTheDevice is sent once accepted; a Reset sends ResetOrReboot before the reboot', async () => {
    const { csms, connection, chargePoint, hardware } = await acceptedChargePoint();
    await csms.waitFor('SecurityEventNotification');
    expect(types(csms.received)).toEqual(['StartupOfTheDevice']);
    const reset = next(chargePoint, 'reset');
    await connection.call('Reset', { type: 'Soft' });
    await reset;
    await csms.waitFor('SecurityEventNotification', 2);
    expect(types(csms.received)).toEqual(['StartupOfTheDevice', 'ResetOrReboot']);
    expect(hardware.reboots).toEqual(['Soft']);
  });

  test('A04.FR.02: a critical event while offline is delivered after reconnecting, and after a power loss before that', async () => {
    const first = await startTestCsms();
    const made = testChargePoint(first.url);
    await made.chargePoint.start();
    await next(made.chargePoint, 'accepted');
    await first.waitFor('SecurityEventNotification');
    const gone = next(made.chargePoint, 'disconnected');
    await first.server.close();
    await gone;
    await made.chargePoint.securityEvent('TamperDetectionActivated', 'door sensor');
    await made.chargePoint.stop();
    // The power comes back; the CSMS with it.
    const back = await startTestCsms({}, first.port);
    const again = testChargePoint(back.url, { storage: { directory: made.directory } });
    await again.chargePoint.start();
    await back.waitFor('SecurityEventNotification', 2);
    await settle(100);
    expect(
      back.received
        .filter((r) => r.action === 'SecurityEventNotification')
        .map((r) => [r.payload.type, r.payload.techInfo]),
    ).toEqual([
      ['TamperDetectionActivated', 'door sensor'],
      ['StartupOfTheDevice', undefined],
    ]);
  });

  test('A04.FR.03: an event stays queued until confirmed: a CSMS that does not answer gets it again', async () => {
    const csms = await startTestCsms();
    let refuse = true;
    csms.answers.SecurityEventNotification = () => {
      if (refuse) return new Promise(() => {});
      return {};
    };
    const made = testChargePoint(csms.url, {
      configuration: { values: { MessageTimeout: 1 } },
    });
    await made.chargePoint.start();
    await next(made.chargePoint, 'accepted');
    await csms.waitFor('SecurityEventNotification');
    await settle(1_200);
    refuse = false;
    await csms.server.connections.get('CP1')?.close();
    await next(made.chargePoint, 'accepted');
    await csms.waitFor('SecurityEventNotification', 2);
    expect(types(csms.received)).toEqual(['StartupOfTheDevice', 'StartupOfTheDevice']);
  });

  test('§8 SettingSystemTime: a BootNotification currentTime a minute off moves the clock and is reported', async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Accepted'], 300, new Date(Date.now() + 60_000).toISOString());
    const { chargePoint } = testChargePoint(csms.url);
    await chargePoint.start();
    await next(chargePoint, 'accepted');
    await csms.waitFor('SecurityEventNotification', 2);
    expect(types(csms.received)).toContain('SettingSystemTime');
  });

  test('A00.FR.309/315/322: connect failures map to their section 8 events', () => {
    const handshake = (code: string) =>
      new RpcError('HandshakeFailed', 'TLS failed', {
        cause: Object.assign(new Error(code), { code }),
      });
    expect(connectFailureEvent(new RpcError('AuthenticationFailed', '401'))?.type).toBe(
      'FailedToAuthenticationAtCentralSystem',
    );
    expect(connectFailureEvent(handshake('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))?.type).toBe(
      'InvalidCentralSystemCertificate',
    );
    expect(connectFailureEvent(handshake('ERR_TLS_CERT_ALTNAME_INVALID'))?.type).toBe(
      'InvalidCentralSystemCertificate',
    );
    expect(connectFailureEvent(handshake('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'))?.type).toBe(
      'InvalidTLSVersion',
    );
    expect(connectFailureEvent(handshake('ERR_SSL_NO_SHARED_CIPHER'))?.type).toBe(
      'InvalidTLSCipherSuite',
    );
    expect(connectFailureEvent(handshake('ECONNREFUSED'))).toBeUndefined();
  });
});
