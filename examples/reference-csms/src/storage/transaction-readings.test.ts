import { expect, test } from 'vitest';
import { type LatestReading, transactionReadings } from './transaction-readings.js';

const at = Date.UTC(2026, 0, 1);
const r = (measurand: string, phase: string, value: string, unit: string | null = null) =>
  ({ measurand, phase, unit, value, timestamp: at }) satisfies LatestReading;

test('§7.31 power from Power.Active.Import: the unphased total wins over the phases', () => {
  expect(
    transactionReadings([
      r('Power.Active.Import', '', '11', 'kW'),
      r('Power.Active.Import', 'L1', '3700', 'W'),
    ]).powerW,
  ).toBe(11_000);
  expect(
    transactionReadings([
      r('Power.Active.Import', 'L1', '3700', 'W'),
      r('Power.Active.Import', 'L2', '3600', 'W'),
    ]).powerW,
  ).toBe(7_300);
});

test('§7.31 without Power.Active.Import, power is the sum over phases of Current.Import × Voltage', () => {
  expect(
    transactionReadings([
      r('Current.Import', 'L1', '16', 'A'),
      r('Current.Import', 'L2', '10', 'A'),
      r('Voltage', 'L1-N', '230', 'V'),
      r('Voltage', 'L2-N', '220', 'V'),
    ]).powerW,
  ).toBe(16 * 230 + 10 * 220);
  // One unphased pair is one phase.
  expect(transactionReadings([r('Current.Import', '', '16'), r('Voltage', '', '230')]).powerW).toBe(
    3_680,
  );
});

test('§7.45 the energy register in kWh is converted to Wh, and dates the last reading', () => {
  expect(transactionReadings([r('Energy.Active.Import.Register', '', '12.5', 'kWh')])).toEqual({
    energyRegisterWh: 12_500,
    powerW: undefined,
    lastReadingAt: '2026-01-01T00:00:00.000Z',
  });
});

test('no readings: nothing is claimed', () => {
  expect(transactionReadings([])).toEqual({
    energyRegisterWh: undefined,
    powerW: undefined,
    lastReadingAt: undefined,
  });
});
