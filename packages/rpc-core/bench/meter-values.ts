// The one MeterValues.req both rpc-core benchmarks send: engine.ts (in-memory round trip) and
// load/ (the CALL every charge point of the load generator sends, via load/wire.ts).
import type { MeterValuesRequest } from '@ocpp-kit/messages';

/**
 * A valid OCPP 1.6 MeterValues.req (schema MeterValues.json): a typical periodic sample, one
 * meterValue with 3 sampledValues (energy register, current and voltage of L1). The load
 * benchmark's frame is exactly the one its published numbers were measured with.
 */
export const meterValuesRequest: MeterValuesRequest = {
  connectorId: 1,
  transactionId: 4711,
  meterValue: [
    {
      timestamp: '2026-01-01T12:00:00Z',
      sampledValue: [
        {
          value: '12345.6',
          context: 'Sample.Periodic',
          measurand: 'Energy.Active.Import.Register',
          unit: 'Wh',
        },
        {
          value: '16.1',
          context: 'Sample.Periodic',
          measurand: 'Current.Import',
          phase: 'L1',
          unit: 'A',
        },
        {
          value: '230.2',
          context: 'Sample.Periodic',
          measurand: 'Voltage',
          phase: 'L1-N',
          unit: 'V',
        },
      ],
    },
  ],
};
