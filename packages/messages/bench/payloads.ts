// Payloads the benchmark validates: one valid and one invalid per action.
export interface BenchCase {
  readonly action: string;
  readonly label: string;
  readonly valid: unknown;
  /** Fails late in the schema, so validation walks most of the payload first. */
  readonly invalid: unknown;
}

const sampledValues = [
  {
    value: '1234.5',
    measurand: 'Energy.Active.Import.Register',
    unit: 'Wh',
    context: 'Sample.Periodic',
  },
  { value: '230.1', measurand: 'Voltage', unit: 'V', phase: 'L1-N', context: 'Sample.Periodic' },
  {
    value: '16.0',
    measurand: 'Current.Import',
    unit: 'A',
    phase: 'L1',
    context: 'Sample.Periodic',
  },
  {
    value: '3.6',
    measurand: 'Power.Active.Import',
    unit: 'kW',
    location: 'Outlet',
    context: 'Sample.Periodic',
  },
];
const badUnit = sampledValues.map((s, i) => (i === 3 ? { ...s, unit: 'kWhh' } : s));
const profile = (limit: number) => ({
  chargingProfileId: 7,
  transactionId: 42,
  stackLevel: 1,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Absolute',
  validFrom: '2025-03-01T00:00:00Z',
  chargingSchedule: {
    duration: 3600,
    startSchedule: '2025-03-01T10:00:00Z',
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 32.0, numberPhases: 3 },
      { startPeriod: 900, limit: 16.5 },
      { startPeriod: 1800, limit },
    ],
    minChargingRate: 6.0,
  },
});

export const benchCases: readonly BenchCase[] = [
  {
    action: 'BootNotification',
    label: 'BootNotification.req',
    valid: {
      chargePointVendor: 'VendorX',
      chargePointModel: 'Wallbox-22',
      chargePointSerialNumber: 'CP-0001',
      firmwareVersion: '1.2.3',
    },
    invalid: {
      chargePointVendor: 'VendorX',
      chargePointModel: 'Wallbox-22',
      chargePointSerialNumber: 'CP-0001',
      firmwareVersion: 'x'.repeat(51),
    },
  },
  {
    action: 'MeterValues',
    label: 'MeterValues.req (1 meterValue, 4 sampledValues)',
    valid: {
      connectorId: 1,
      transactionId: 42,
      meterValue: [{ timestamp: '2025-03-01T10:15:00Z', sampledValue: sampledValues }],
    },
    invalid: {
      connectorId: 1,
      transactionId: 42,
      meterValue: [{ timestamp: '2025-03-01T10:15:00Z', sampledValue: badUnit }],
    },
  },
  {
    action: 'StopTransaction',
    label: 'StopTransaction.req with transactionData',
    valid: {
      idTag: 'TAG-1',
      meterStop: 20500,
      timestamp: '2025-03-01T11:00:00Z',
      transactionId: 42,
      reason: 'EVDisconnected',
      transactionData: [
        { timestamp: '2025-03-01T10:00:00Z', sampledValue: [sampledValues[0]] },
        { timestamp: '2025-03-01T11:00:00Z', sampledValue: [sampledValues[0]] },
      ],
    },
    invalid: {
      idTag: 'TAG-1',
      meterStop: 20500,
      timestamp: '2025-03-01T11:00:00Z',
      transactionId: 42,
      reason: 'EVDisconnected',
      transactionData: [
        { timestamp: '2025-03-01T10:00:00Z', sampledValue: [sampledValues[0]] },
        { timestamp: '2025-03-01 11:00', sampledValue: [sampledValues[0]] },
      ],
    },
  },
  {
    action: 'SetChargingProfile',
    label: 'SetChargingProfile.req',
    valid: { connectorId: 1, csChargingProfiles: profile(8.7) },
    invalid: { connectorId: 1, csChargingProfiles: profile(8.75) },
  },
];
