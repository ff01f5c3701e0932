import { RpcError } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import { CsmsKitError } from './errors.js';
import {
  boot,
  bootRequest,
  connectChargePoint,
  next,
  registered,
  startCentralSystem,
} from './test-helpers/test-central-system.js';

describe('CentralSystem boot and registration (§4.2, OCPP-J errata 3.10)', () => {
  test('§4.2 a registered charge point boots Accepted with the heartbeat interval; Heartbeat gives the time', async () => {
    const { csms, url, directory } = await startCentralSystem({
      records: [registered('CP-1')],
      heartbeatIntervalSeconds: 120,
    });
    const booted = next<{ status: string }>(csms, 'boot');
    const client = await connectChargePoint(url, 'CP-1');
    const response = await client.call('BootNotification', bootRequest);
    expect(response).toMatchObject({ status: 'Accepted', interval: 120 });
    expect((await booted).status).toBe('Accepted');
    const { currentTime } = await client.call('Heartbeat', {});
    expect(Math.abs(Date.parse(currentTime) - Date.now())).toBeLessThan(5_000);
    expect(csms.get('CP-1')?.accepted).toBe(true);
    expect(csms.get('CP-1')?.boot).toEqual(bootRequest);
    expect(directory.find('CP-1')?.lastBootStatus).toBe('Accepted');
  });

  test('OCPP-J errata 3.10 a CALL before BootNotification gets SecurityError, and the CSMS asks for a boot', async () => {
    const { url } = await startCentralSystem({ records: [registered('CP-1')] });
    const client = await connectChargePoint(url, 'CP-1');
    const triggered = new Promise<string>((resolve) => {
      client.router.on('TriggerMessage', ({ requestedMessage }) => {
        resolve(requestedMessage);
        return { status: 'Accepted' };
      });
    });
    const refused = client.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
    });
    await expect(refused).rejects.toMatchObject({ code: 'SecurityError' });
    expect(await triggered).toBe('BootNotification');
    await boot(client);
    await expect(
      client.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Available',
      }),
    ).resolves.toEqual({});
  });

  test('§4.2 a reconnect without a reboot keeps the Accepted registration', async () => {
    const { csms, url } = await startCentralSystem({ records: [registered('CP-1')] });
    const first = await connectChargePoint(url, 'CP-1');
    await boot(first);
    const gone = next(csms, 'disconnect');
    await first.close();
    await gone;
    const second = await connectChargePoint(url, 'CP-1');
    await expect(second.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
  });

  test('§4.2 Pending: provision configures the charge point, then a triggered boot is Accepted; RemoteStart is refused while Pending', async () => {
    const configured: string[] = [];
    let pendingSession: import('./core/session.js').ChargePointSession | undefined;
    const remoteStartWhilePending = new Promise<unknown>((resolve) => {
      void startCentralSystem({
        records: [registered('CP-1')],
        bootRetryIntervalSeconds: 30,
        provision: async (session) => {
          pendingSession = session;
          resolve(
            await session
              .call('RemoteStartTransaction', { idTag: 'TAG' })
              .catch((error: unknown) => error),
          );
          const { status } = await session.call('ChangeConfiguration', {
            key: 'MeterValueSampleInterval',
            value: '60',
          });
          configured.push(status);
        },
      }).then(async ({ url }) => {
        const client = await connectChargePoint(url, 'CP-1');
        client.router.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
        client.router.on('TriggerMessage', ({ requestedMessage }) => {
          expect(requestedMessage).toBe('BootNotification');
          setImmediate(() => {
            void client
              .call('BootNotification', bootRequest)
              .then((r) => configured.push(r.status));
          });
          return { status: 'Accepted' };
        });
        const first = await client.call('BootNotification', bootRequest);
        expect(first).toMatchObject({ status: 'Pending', interval: 30 });
      });
    });
    const refusal = await remoteStartWhilePending;
    expect(refusal).toBeInstanceOf(CsmsKitError);
    expect(refusal).toMatchObject({ code: 'NOT_ALLOWED' });
    await expect.poll(() => configured).toEqual(['Accepted', 'Accepted']);
    expect(pendingSession?.accepted).toBe(true);
  });

  test('§4.2 a Pending charge point may send what TriggerMessage asked for, nothing else', async () => {
    const { csms, url } = await startCentralSystem({
      records: [registered('CP-1', { registration: 'PendingRegistration' })],
    });
    const client = await connectChargePoint(url, 'CP-1');
    client.router.on('TriggerMessage', () => ({ status: 'Accepted' }));
    await boot(client, 'Pending');
    const status = { connectorId: 0, errorCode: 'NoError', status: 'Available' } as const;
    await expect(client.call('StatusNotification', status)).rejects.toMatchObject({
      code: 'SecurityError',
    });
    await csms.get('CP-1')?.call('TriggerMessage', { requestedMessage: 'StatusNotification' });
    await expect(client.call('StatusNotification', status)).resolves.toEqual({});
    await expect(client.call('Heartbeat', {})).rejects.toMatchObject({ code: 'SecurityError' });
    expect(csms.get('CP-1')?.connectors.get(0)?.status).toBe('Available');
  });

  test('§4.2 a trigger the charge point refuses opens nothing', async () => {
    const { csms, url } = await startCentralSystem({
      records: [registered('CP-1', { registration: 'PendingRegistration' })],
    });
    const client = await connectChargePoint(url, 'CP-1');
    client.router.on('TriggerMessage', () => ({ status: 'Rejected' }));
    await boot(client, 'Pending');
    await csms.get('CP-1')?.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await expect(client.call('Heartbeat', {})).rejects.toMatchObject({ code: 'SecurityError' });
  });

  test('§4.2 a Blocked charge point boots Rejected and the CSMS sends it nothing', async () => {
    const { csms, url } = await startCentralSystem({
      records: [registered('CP-1', { registration: 'Blocked' })],
      bootRetryIntervalSeconds: 600,
    });
    const client = await connectChargePoint(url, 'CP-1');
    expect(await boot(client, 'Rejected')).toMatchObject({ interval: 600 });
    await expect(csms.get('CP-1')?.call('Reset', { type: 'Soft' })).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
    });
  });

  test('OCPP-J §3.2 an unknown identity gets 404 under unknownChargePoints: reject', async () => {
    const { csms, url } = await startCentralSystem({});
    const rejected = next<{ status: number }>(csms, 'handshakeRejected');
    await expect(connectChargePoint(url, 'NOPE')).rejects.toBeInstanceOf(RpcError);
    expect((await rejected).status).toBe(404);
  });

  test('§4.2 unknownChargePoints: pending records the identity and boots it Pending until registered', async () => {
    const { directory, url } = await startCentralSystem({ unknownChargePoints: 'pending' });
    const client = await connectChargePoint(url, 'NEW-1');
    await boot(client, 'Pending');
    expect(directory.find('NEW-1')).toMatchObject({ registration: 'PendingRegistration' });
    directory.set({
      ...(directory.find('NEW-1') ?? registered('NEW-1')),
      registration: 'Registered',
    });
    await boot(client, 'Accepted');
  });

  test('the boot policy overrides the proposed status', async () => {
    const { url } = await startCentralSystem({
      records: [registered('CP-1')],
      boot: ({ request, proposed }) =>
        request.chargePointModel === 'Banned' ? 'Rejected' : proposed,
    });
    const client = await connectChargePoint(url, 'CP-1');
    expect(
      (await client.call('BootNotification', { ...bootRequest, chargePointModel: 'Banned' }))
        .status,
    ).toBe('Rejected');
  });
});

describe('CentralSystem handlers and sessions', () => {
  test('handle() replaces a default; the request event reports every answered CALL', async () => {
    const { csms, url } = await startCentralSystem({ records: [registered('CP-1')] });
    csms.handle('DataTransfer', ({ vendorId }) => ({ status: 'Accepted', data: vendorId }));
    const seen: string[] = [];
    csms.on('request', (event) => seen.push(event.action));
    const client = await connectChargePoint(url, 'CP-1');
    await boot(client);
    expect(await client.call('DataTransfer', { vendorId: 'acme' })).toEqual({
      status: 'Accepted',
      data: 'acme',
    });
    expect(seen).toEqual(['BootNotification', 'DataTransfer']);
  });

  test('§4.3 an unhandled DataTransfer is answered UnknownVendorId', async () => {
    const { url } = await startCentralSystem({ records: [registered('CP-1')] });
    const client = await connectChargePoint(url, 'CP-1');
    await boot(client);
    expect(await client.call('DataTransfer', { vendorId: 'acme' })).toEqual({
      status: 'UnknownVendorId',
    });
  });

  test("a handler's context.signal aborts when its charge point disconnects", async () => {
    const { csms, url } = await startCentralSystem({ records: [registered('CP-1')] });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const aborted = new Promise<boolean>((resolve) => {
      csms.handle('DataTransfer', (_request, { signal }) => {
        expect(signal.aborted).toBe(false);
        signal.addEventListener('abort', () => resolve(true));
        started();
        // Never answers: only the disconnect ends it.
        return new Promise<never>(() => undefined);
      });
    });
    const client = await connectChargePoint(url, 'CP-1');
    await boot(client);
    void client.call('DataTransfer', { vendorId: 'acme' }).catch(() => undefined);
    await running;
    await client.close();
    expect(await aborted).toBe(true);
  });

  test('handle() refuses an action charge points never send', async () => {
    const { csms } = await startCentralSystem({});
    expect(() => csms.handle('Reset' as never, () => ({}) as never)).toThrow(CsmsKitError);
  });

  test('sessions: get, iteration, app state, connect and disconnect events', async () => {
    const { csms, url } = await startCentralSystem<{ calls: number }>({
      records: [registered('CP-1'), registered('CP-2')],
      state: () => ({ calls: 0 }),
    });
    const connected: string[] = [];
    csms.on('connect', ({ session }) => {
      session.state.calls += 1;
      connected.push(session.identity);
    });
    const a = await connectChargePoint(url, 'CP-1');
    await connectChargePoint(url, 'CP-2');
    await expect.poll(() => connected.length).toBe(2);
    expect([...csms.sessions()].map((s) => s.identity).sort()).toEqual(['CP-1', 'CP-2']);
    expect(csms.get('CP-1')?.state.calls).toBe(1);
    const gone = next<{ session: { identity: string } }>(csms, 'disconnect');
    await a.close();
    expect((await gone).session.identity).toBe('CP-1');
    expect(csms.get('CP-1')).toBeUndefined();
  });

  test('OCPP-J §4.1.1 a call the charge point never answers times out with RpcError Timeout', async () => {
    const { csms, url } = await startCentralSystem({
      records: [registered('CP-1')],
      callTimeoutMs: 200,
    });
    const client = await connectChargePoint(url, 'CP-1');
    client.router.on('Reset', () => new Promise(() => {}));
    await boot(client);
    await expect(csms.call('CP-1', 'Reset', { type: 'Soft' })).rejects.toMatchObject({
      code: 'Timeout',
    });
    await expect(csms.call('CP-9', 'Reset', { type: 'Soft' })).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });
});
