import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { settle } from '../test-helpers/accepted.js';
import { ManualTimers } from '../test-helpers/manual-timers.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { meterValueIn, startTestCsms } from '../test-helpers/test-csms.js';

async function charging(options: Partial<ChargePointOptions> = {}) {
  const csms = await startTestCsms();
  const made = testChargePoint(csms.url, options);
  made.hardware.readings.set(1, {
    energyWh: 2_000,
    powerW: 7_360.5,
    currentA: [10, 11, 12],
    voltageV: [230, 231, 229],
    soc: 40,
  });
  await made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  made.chargePoint.plugIn(1);
  await made.chargePoint.presentIdTag('TAG1');
  await csms.waitFor('StartTransaction');
  return { csms, ...made };
}

describe('meter values (§3.16, §4.7, errata 3.14)', () => {
  test('§9.1.17/§9.1.19: MeterValuesSampledData=Energy.Active.Import.Register,Power.Active.Import every MeterValueSampleInterval gets exactly that', async () => {
    const { csms } = await charging({
      configuration: {
        values: {
          MeterValuesSampledData: ['Energy.Active.Import.Register', 'Power.Active.Import'],
          MeterValueSampleInterval: 1,
        },
      },
    });
    const [first, second] = await csms.waitFor('MeterValues', 2, 4_000);
    expect(first?.payload).toEqual({
      connectorId: 1,
      transactionId: 101,
      meterValue: [
        {
          timestamp: expect.any(String),
          sampledValue: [
            {
              value: '2000',
              context: 'Sample.Periodic',
              measurand: 'Energy.Active.Import.Register',
              location: 'Outlet',
              unit: 'Wh',
            },
            {
              value: '7360.5',
              context: 'Sample.Periodic',
              measurand: 'Power.Active.Import',
              location: 'Outlet',
              unit: 'W',
            },
          ],
        },
      ],
    });
    const gap =
      Date.parse(meterValueIn(second).timestamp) - Date.parse(meterValueIn(first).timestamp);
    expect(gap).toBeGreaterThanOrEqual(900);
  });

  test('errata 3.14.3: per-phase measurands report every phase; Measurand.Phase only that one', async () => {
    const { csms } = await charging({
      configuration: {
        values: {
          MeterValuesSampledData: ['Current.Import', 'Voltage.L2', 'SoC'],
          MeterValueSampleInterval: 1,
        },
      },
    });
    const [meter] = await csms.waitFor('MeterValues', 1, 3_000);
    const sampled = meterValueIn(meter).sampledValue;
    expect(sampled).toEqual([
      {
        value: '10',
        context: 'Sample.Periodic',
        measurand: 'Current.Import',
        location: 'Outlet',
        unit: 'A',
        phase: 'L1',
      },
      {
        value: '11',
        context: 'Sample.Periodic',
        measurand: 'Current.Import',
        location: 'Outlet',
        unit: 'A',
        phase: 'L2',
      },
      {
        value: '12',
        context: 'Sample.Periodic',
        measurand: 'Current.Import',
        location: 'Outlet',
        unit: 'A',
        phase: 'L3',
      },
      {
        value: '231',
        context: 'Sample.Periodic',
        measurand: 'Voltage',
        location: 'Outlet',
        unit: 'V',
        phase: 'L2-N',
      },
      {
        value: '40',
        context: 'Sample.Periodic',
        measurand: 'SoC',
        location: 'EV',
        unit: 'Percent',
      },
    ]);
  });

  test('§9.1.27 StopTxnSampledData and errata 3.16.6: the StopTransaction carries Transaction.Begin, the samples and Transaction.End', async () => {
    const { csms, chargePoint, hardware } = await charging({
      configuration: {
        values: {
          StopTxnSampledData: ['Energy.Active.Import.Register'],
          MeterValueSampleInterval: 1,
          MeterValuesSampledData: [],
        },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    hardware.readings.set(1, { energyWh: 2_600 });
    await chargePoint.presentIdTag('TAG1');
    const [stop] = await csms.waitFor('StopTransaction');
    const data = stop?.payload.transactionData as {
      sampledValue: { value: string; context: string }[];
    }[];
    expect(data.map((d) => d.sampledValue.map((v) => `${v.context}=${v.value}`).join())).toEqual([
      'Transaction.Begin=2000',
      'Sample.Periodic=2000',
      'Transaction.End=2600',
    ]);
    // MeterValuesSampledData empty: no MeterValues.req of its own.
    expect(csms.received.filter((r) => r.action === 'MeterValues')).toHaveLength(0);
  });

  test('errata 3.14.5: empty StopTxn*Data puts no meter values in the StopTransaction', async () => {
    const { csms, chargePoint } = await charging();
    await chargePoint.presentIdTag('TAG1');
    const [stop] = await csms.waitFor('StopTransaction');
    expect(stop?.payload).not.toHaveProperty('transactionData');
  });

  test('§9.1.5 ClockAlignedDataInterval: aligned readings for every connector, context Sample.Clock, on interval boundaries', async () => {
    const { csms } = await charging({
      configuration: { values: { ClockAlignedDataInterval: 1, MeterValueSampleInterval: 0 } },
    });
    // The first boundary may fall before the transaction was stored: the second is after it.
    const meters = (await csms.waitFor('MeterValues', 4, 4_000)).slice(2, 4);
    const connectorsSeen = new Set(meters.map((m) => m.payload.connectorId));
    expect(connectorsSeen).toEqual(new Set([1, 2]));
    for (const m of meters) {
      const [value] = m.payload.meterValue as {
        timestamp: string;
        sampledValue: { context: string }[];
      }[];
      expect(value?.sampledValue[0]?.context).toBe('Sample.Clock');
      expect(Date.parse(String(value?.timestamp)) % 1000).toBe(0);
    }
    expect(meters.find((m) => m.payload.connectorId === 1)?.payload.transactionId).toBe(101);
    expect(meters.find((m) => m.payload.connectorId === 2)?.payload).not.toHaveProperty(
      'transactionId',
    );
  });

  // Found by the fleet benchmark (3 % more MeterValues than configured): Date can lag the
  // timers' monotonic clock, so a timer fired "1 ms early" re-armed for that 1 ms and sent twice.
  test.each([
    [
      '§9.1.19 MeterValueSampleInterval',
      { MeterValueSampleInterval: 10 },
      10_000,
      'Sample.Periodic',
      1,
    ],
    [
      '§9.1.5 ClockAlignedDataInterval',
      { ClockAlignedDataInterval: 60, MeterValueSampleInterval: 0 },
      60_000,
      'Sample.Clock',
      2,
    ],
  ] as const)(
    '%s: a timer firing before the clock shows its boundary sends each reading once',
    async (_, values, intervalMs, context, perBoundary) => {
      const timers = new ManualTimers();
      let lagMs = 0;
      const { csms } = await charging({
        timers,
        clock: () => timers.now - lagMs,
        configuration: { values },
      });
      const readings = () =>
        csms.received.filter(
          (r) =>
            r.action === 'MeterValues' &&
            (r.payload.meterValue as { sampledValue: { context?: string }[] }[])[0]?.sampledValue[0]
              ?.context === context,
        ).length;
      // The first boundary arms every timer on the CSMS's clock; from then on Date lags 1 ms.
      timers.advance(intervalMs);
      await csms.waitFor('MeterValues', perBoundary);
      lagMs = 1;
      for (const boundary of [2, 3]) {
        timers.advance(intervalMs);
        timers.advance(5);
        await csms.waitFor('MeterValues', boundary * perBoundary);
        await settle(200);
        expect(readings()).toBe(boundary * perBoundary);
      }
    },
  );
});
