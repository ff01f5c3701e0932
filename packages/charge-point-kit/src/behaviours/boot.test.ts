import { ocpp16 } from '@ocpp-kit/messages';
import { createServer } from '@ocpp-kit/rpc-core';
import { describe, expect, test } from 'vitest';
import { next, testBoot, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, startTestCsms } from '../test-helpers/test-csms.js';

describe('boot (§4.2, §4.2.1)', () => {
  test('§4.2: the first CALL is a BootNotification with the boot info; Accepted sets HeartbeatInterval and the clock', async () => {
    const csms = await startTestCsms();
    const csmsTime = '2030-05-01T12:00:00.000Z';
    answerBoots(csms, ['Accepted'], 120, csmsTime);
    const clockAt = Date.now();
    const { chargePoint } = testChargePoint(csms.url, { clock: () => clockAt });
    const accepted = next(chargePoint, 'accepted');
    chargePoint.start();
    expect(await accepted).toEqual({ afterBoot: true });
    expect(csms.received[0]).toMatchObject({ action: 'BootNotification', payload: testBoot });
    expect(chargePoint.registration).toBe('Accepted');
    expect(chargePoint.configuration.get('HeartbeatInterval')).toBe(120);
    expect(new Date(chargePoint.now()).toISOString()).toBe(csmsTime);
  });

  test('§4.2: while Pending nothing but BootNotification is sent; the CSMS may configure; a later boot is Accepted', async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Pending', 'Accepted'], 1);
    const { chargePoint } = testChargePoint(csms.url);
    const registration = next(chargePoint, 'registration');
    chargePoint.start();
    expect(await registration).toEqual({ status: 'Pending', intervalSeconds: 1 });
    const connection = csms.server.connections.get('CP1');
    await expect(
      connection?.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await next(chargePoint, 'accepted');
    expect(csms.received.map((r) => r.action)).toEqual(['BootNotification', 'BootNotification']);
    expect(chargePoint.configuration.get('MeterValueSampleInterval')).toBe(30);
  });

  test('§4.2: Rejected closes the connection and stays silent for the interval, then boots again', async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Rejected', 'Accepted'], 1);
    const { chargePoint } = testChargePoint(csms.url);
    const disconnected = next(chargePoint, 'disconnected');
    chargePoint.start();
    const rejectedAt = Date.now();
    await disconnected;
    await next(chargePoint, 'accepted');
    expect(Date.now() - rejectedAt).toBeGreaterThanOrEqual(900);
    expect(csms.received.map((r) => r.action)).toEqual(['BootNotification', 'BootNotification']);
  });

  test("§4.2: interval 0 waits the charge point's own interval rather than flooding", async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Pending'], 0);
    const { chargePoint } = testChargePoint(csms.url);
    chargePoint.start();
    await csms.waitFor('BootNotification');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(csms.received).toHaveLength(1);
  });

  test('a charge point whose CSMS is down at start keeps trying until it is up (OCPP-J errata 3.4)', async () => {
    const first = await startTestCsms();
    const { port } = first;
    await first.server.close();
    const { chargePoint } = testChargePoint(`ws://127.0.0.1:${port}`);
    const failed = next(chargePoint, 'connectFailed');
    chargePoint.start();
    expect((await failed).retryInMs).toBeGreaterThan(0);
    const again = createServer({ protocol: ocpp16, securityProfile: 0 });
    again.router.on('BootNotification', () => ({
      status: 'Accepted',
      currentTime: new Date().toISOString(),
      interval: 300,
    }));
    await again.listen({ host: '127.0.0.1', port });
    try {
      await next(chargePoint, 'accepted');
    } finally {
      await chargePoint.stop();
      await again.close();
    }
  });

  test('after a reconnection an accepted charge point does not boot again (§4.2: once per boot)', async () => {
    const csms = await startTestCsms();
    const { chargePoint } = testChargePoint(csms.url);
    chargePoint.start();
    await next(chargePoint, 'accepted');
    const again = next(chargePoint, 'accepted');
    csms.server.connections.get('CP1')?.terminate();
    expect(await again).toEqual({ afterBoot: false });
    expect(csms.received.filter((r) => r.action === 'BootNotification')).toHaveLength(1);
  });
});
