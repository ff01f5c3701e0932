import type { AddressInfo } from 'node:net';
import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { WebSocketServer } from 'ws';
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

  test('A00.FR.309/315/322: connect failures map to their section 8 events (rpc-core names the TLS one)', () => {
    const handshake = (securityEvent: string | undefined, tlsError: string) =>
      new RpcError('HandshakeFailed', 'TLS failed', {
        details: securityEvent === undefined ? undefined : { securityEvent, tlsError },
      });
    expect(connectFailureEvent(new RpcError('AuthenticationFailed', '401'))?.type).toBe(
      'FailedToAuthenticationAtCentralSystem',
    );
    expect(
      connectFailureEvent(handshake('InvalidCentralSystemCertificate', 'CERT_HAS_EXPIRED')),
    ).toEqual({ type: 'InvalidCentralSystemCertificate', techInfo: 'CERT_HAS_EXPIRED' });
    expect(connectFailureEvent(handshake(undefined, 'ECONNREFUSED'))).toBeUndefined();
    expect(connectFailureEvent(new Error('other'))).toBeUndefined();
  });
});

describe('InvalidMessages (whitepaper §8)', () => {
  test('a frame from the CSMS that is not OCPP-J is logged and reported as InvalidMessages', async () => {
    const calls: { action: string; payload: Record<string, unknown> }[] = [];
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (protocols) => (protocols.has('ocpp1.6') ? 'ocpp1.6' : false),
    });
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const [type, id, action, payload] = JSON.parse(String(data)) as [
          number,
          string,
          string,
          Record<string, unknown>,
        ];
        if (type !== 2) return;
        calls.push({ action, payload });
        const answer =
          action === 'BootNotification'
            ? { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }
            : {};
        socket.send(JSON.stringify([3, id, answer]));
        if (action === 'BootNotification') socket.send('[2, "broken');
      });
    });
    const { port } = server.address() as AddressInfo;
    const { chargePoint } = testChargePoint(`ws://127.0.0.1:${port}`);
    await chargePoint.start();
    await next(chargePoint, 'accepted');
    for (let i = 0; i < 50 && !calls.some((c) => c.payload.type === 'InvalidMessages'); i++)
      await settle(20);
    expect(calls.find((c) => c.payload.type === 'InvalidMessages')?.action).toBe(
      'SecurityEventNotification',
    );
  });
});
