import {
  type BootNotificationResponse,
  ocpp16,
  type ResetResponse,
  type StatusNotificationRequest,
} from '@ocpp-kit/messages';
import { describe, expectTypeOf, test } from 'vitest';
import type { RpcError } from '../errors.js';
import { createClient } from './client.js';
import { createServer } from './server.js';
import type { ServerConnection } from './server-connection.js';

const now = '2026-01-01T00:00:00Z';

describe('typed WebSocket server (OCPP 1.6 §4-§6 directions, from the ocpp16 descriptor)', () => {
  test('server.router handles only charge point CALLs; connection.call sends only central system CALLs', () => {
    const server = createServer({
      protocol: ocpp16,
      securityProfile: 0,
      state: (info) => ({ tenant: info.identity.slice(0, 2) }),
    });
    server.router.on('StatusNotification', (request, context) => {
      expectTypeOf(request).toEqualTypeOf<StatusNotificationRequest>();
      expectTypeOf(context.state).toEqualTypeOf<{ tenant: string }>();
      expectTypeOf(context.identity).toEqualTypeOf<string>();
      return {};
    });
    // @ts-expect-error the central system sends Reset, it never receives it
    server.router.on('Reset', () => ({ status: 'Accepted' }));
    server.router.on('BootNotification', () => ({
      // @ts-expect-error 'Maybe' is not a RegistrationStatus
      status: 'Maybe',
      currentTime: now,
      interval: 1,
    }));

    server.on('client', ({ connection }) => {
      expectTypeOf(connection).toEqualTypeOf<ServerConnection<typeof ocpp16, { tenant: string }>>();
      expectTypeOf(connection.call('Reset', { type: 'Hard' })).toEqualTypeOf<
        Promise<ResetResponse>
      >();
      // @ts-expect-error a central system does not send BootNotification
      void connection.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      // @ts-expect-error 'Warm' is not a ResetType
      void connection.call('Reset', { type: 'Warm' });
    });
    server.on('handshakeRejected', (event) => {
      // @ts-expect-error only HTTP-stage refusals carry a status
      void event.status;
      if (event.stage === 'http') {
        expectTypeOf(event.status).toEqualTypeOf<400 | 401 | 403 | 404 | 409 | 500 | 503>();
      } else if (event.stage === 'tls') {
        expectTypeOf(event.securityEvent).toEqualTypeOf<
          'InvalidChargePointCertificate' | undefined
        >();
      }
    });
  });
});

describe('typed WebSocket client', () => {
  test('client.router handles only central system CALLs; client.call sends only charge point CALLs', () => {
    const client = createClient({
      protocol: ocpp16,
      url: 'ws://127.0.0.1:9000/ocpp',
      identity: 'CP1',
      securityProfile: 0,
    });
    client.router.on('Reset', (request) => {
      expectTypeOf(request.type).toEqualTypeOf<'Hard' | 'Soft'>();
      return { status: 'Accepted' };
    });
    // @ts-expect-error the charge point sends Heartbeat, it does not handle it
    client.router.on('Heartbeat', () => ({ currentTime: now }));
    expectTypeOf(
      client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }),
    ).toEqualTypeOf<Promise<BootNotificationResponse>>();
    // @ts-expect-error a charge point does not send Reset
    void client.call('Reset', { type: 'Soft' });
    // @ts-expect-error chargePointModel is required
    void client.call('BootNotification', { chargePointVendor: 'V' });
    client.on('connectFailed', ({ error }) => expectTypeOf(error).toEqualTypeOf<RpcError>());
  });

  test('security profile options are checked at compile time', () => {
    createClient({
      protocol: ocpp16,
      url: 'wss://cs.example/ocpp',
      identity: 'CP1',
      // @ts-expect-error security profiles are 0-3 (whitepaper §2.1)
      securityProfile: 4,
    });
  });
});
