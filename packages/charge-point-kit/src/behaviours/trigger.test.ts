import { describe, expect, test } from 'vitest';
import { acceptedChargePoint, pendingChargePoint } from '../test-helpers/accepted.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, meterValueIn, startTestCsms } from '../test-helpers/test-csms.js';

describe('TriggerMessage (§5.17)', () => {
  test('§5.17 StatusNotification without connectorId: the charge point and every connector, sent after the answer', async () => {
    const { csms, connection } = await acceptedChargePoint();
    await expect(
      connection.call('TriggerMessage', { requestedMessage: 'StatusNotification' }),
    ).resolves.toEqual({ status: 'Accepted' });
    const statuses = await csms.waitFor('StatusNotification', 6);
    expect(statuses.slice(3).map((s) => s.payload.connectorId)).toEqual([0, 1, 2]);
  });

  test('errata 3.46: MeterValues has the latest MeterValuesSampledData with context Trigger; connector 0 has no meter', async () => {
    const { csms, connection, hardware } = await acceptedChargePoint({
      configuration: {
        values: { MeterValuesSampledData: ['Energy.Active.Import.Register', 'Voltage'] },
      },
    });
    hardware.readings.set(2, { energyWh: 12_345, voltageV: [230] });
    await expect(
      connection.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 2 }),
    ).resolves.toEqual({ status: 'Accepted' });
    const [meter] = await csms.waitFor('MeterValues');
    expect(meterValueIn(meter).sampledValue.map((v) => [v.measurand, v.value, v.context])).toEqual([
      ['Energy.Active.Import.Register', '12345', 'Trigger'],
      ['Voltage', '230', 'Trigger'],
    ]);
    await expect(
      connection.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 0 }),
    ).resolves.toEqual({ status: 'Rejected' });
    await expect(
      connection.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 5 }),
    ).resolves.toEqual({ status: 'Rejected' });
  });

  test('Heartbeat, FirmwareStatusNotification (Idle) and DiagnosticsStatusNotification (Idle) are sent on request', async () => {
    const { csms, connection } = await acceptedChargePoint();
    for (const requestedMessage of [
      'Heartbeat',
      'FirmwareStatusNotification',
      'DiagnosticsStatusNotification',
    ] as const) {
      await expect(connection.call('TriggerMessage', { requestedMessage })).resolves.toEqual({
        status: 'Accepted',
      });
    }
    await csms.waitFor('Heartbeat');
    expect((await csms.waitFor('FirmwareStatusNotification'))[0]?.payload).toEqual({
      status: 'Idle',
    });
    expect((await csms.waitFor('DiagnosticsStatusNotification'))[0]?.payload).toEqual({
      status: 'Idle',
    });
  });

  test('errata 3.35/3.40: BootNotification is Rejected once Accepted, and sent while Pending', async () => {
    const { connection } = await acceptedChargePoint();
    await expect(
      connection.call('TriggerMessage', { requestedMessage: 'BootNotification' }),
    ).resolves.toEqual({ status: 'Rejected' });
    const csms = await startTestCsms();
    const boots = answerBoots(csms, ['Pending', 'Accepted'], 3600);
    const { chargePoint } = testChargePoint(csms.url);
    await chargePoint.start();
    await next(chargePoint, 'registration');
    const accepted = next(chargePoint, 'accepted');
    await expect(
      csms.server.connections
        .get('CP1')
        ?.call('TriggerMessage', { requestedMessage: 'BootNotification' }),
    ).resolves.toEqual({ status: 'Accepted' });
    await accepted;
    expect(boots()).toBe(2);
  });

  test('§4.2: while Pending a triggered message may be sent, nothing else', async () => {
    const { csms, connection, chargePoint } = await pendingChargePoint(3600);
    await connection.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await csms.waitFor('Heartbeat');
    chargePoint.plugIn(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(csms.received.map((r) => r.action)).toEqual(['BootNotification', 'Heartbeat']);
  });
});
