import { describe, expect, test } from 'vitest';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, startTestCsms } from '../test-helpers/test-csms.js';

describe('heartbeat (§4.6, §9.1.10)', () => {
  test('§4.6: a Heartbeat follows HeartbeatInterval seconds of silence and adopts currentTime', async () => {
    const csms = await startTestCsms();
    const csmsTime = '2031-01-01T00:00:00.000Z';
    answerBoots(csms, ['Accepted'], 1);
    csms.answers.Heartbeat = () => ({ currentTime: csmsTime });
    const fixed = Date.now();
    let clock = fixed;
    const { chargePoint } = testChargePoint(csms.url, { clock: () => clock });
    chargePoint.start();
    await next(chargePoint, 'accepted');
    // The kit's intervals follow its clock; timers are real, so move the clock with them.
    const ticking = setInterval(() => {
      clock += 100;
    }, 100);
    try {
      await csms.waitFor('Heartbeat', 2, 5_000);
    } finally {
      clearInterval(ticking);
    }
    expect(Math.abs(chargePoint.now() - Date.parse(csmsTime))).toBeLessThan(1_500);
  });

  test('§9.1.10: HeartbeatInterval 0 sends none; a changed value applies at once', async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Accepted'], 0);
    const { chargePoint } = testChargePoint(csms.url, {
      configuration: { values: { HeartbeatInterval: 0 } },
    });
    chargePoint.start();
    await next(chargePoint, 'accepted');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(csms.received.filter((r) => r.action === 'Heartbeat')).toHaveLength(0);
    await csms.server.connections
      .get('CP1')
      ?.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' });
    await csms.waitFor('Heartbeat', 1, 3_000);
  });
});
