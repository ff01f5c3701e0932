import type {
  Location,
  Measurand,
  MeterValue,
  Phase,
  ReadingContext,
  SampledValue,
  UnitOfMeasure,
} from '@ocpp-kit/messages';
import { measurandOf } from '../../config/parse-value.js';
import type { MeterReading } from '../hardware.js';

interface Source {
  readonly unit: UnitOfMeasure;
  readonly location: Location;
  /** One value, or one per phase. */
  readonly read: (reading: MeterReading) => number | readonly number[] | undefined;
  readonly phases?: readonly Phase[];
}

const linePhases: readonly Phase[] = ['L1', 'L2', 'L3'];
const lineToNeutral: readonly Phase[] = ['L1-N', 'L2-N', 'L3-N'];

/** Where each measurand a `MeterReading` carries comes from (§7.31, errata 3.78, 3.86). */
const sources: Partial<Record<Measurand, Source>> = {
  'Energy.Active.Import.Register': { unit: 'Wh', location: 'Outlet', read: (r) => r.energyWh },
  'Power.Active.Import': { unit: 'W', location: 'Outlet', read: (r) => r.powerW },
  'Current.Import': { unit: 'A', location: 'Outlet', read: (r) => r.currentA, phases: linePhases },
  Voltage: { unit: 'V', location: 'Outlet', read: (r) => r.voltageV, phases: lineToNeutral },
  'Current.Offered': { unit: 'A', location: 'Outlet', read: (r) => r.currentOfferedA },
  'Power.Offered': { unit: 'W', location: 'Outlet', read: (r) => r.powerOfferedW },
  SoC: { unit: 'Percent', location: 'EV', read: (r) => r.soc },
  Temperature: { unit: 'Celsius', location: 'Body', read: (r) => r.temperatureC },
};

/** The measurands a `MeterReading` can carry; an adapter declares the subset it supplies. */
export const readableMeasurands = Object.keys(sources) as Measurand[];

/** A number as OCPP's decimal string: at most 3 decimals, no exponent. */
export function formatReading(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * One MeterValue of the configured items (`Measurand` or `Measurand.Phase`, §9.1.17) from one
 * reading; per-phase measurands report every phase the reading has unless one is named
 * (errata 3.14.3). Undefined when the reading has none of them.
 */
export function meterValueOf(
  items: readonly string[],
  reading: MeterReading,
  context: ReadingContext,
  timestamp: string,
): MeterValue | undefined {
  const sampledValue: SampledValue[] = [];
  for (const item of items) {
    const measurand = measurandOf(item) as Measurand | undefined;
    const source = measurand === undefined ? undefined : sources[measurand];
    if (measurand === undefined || source === undefined) continue;
    const named = item === measurand ? undefined : (item.slice(measurand.length + 1) as Phase);
    const value = source.read(reading);
    if (value === undefined) continue;
    const base = { context, measurand, location: source.location, unit: source.unit };
    if (typeof value === 'number') {
      sampledValue.push({
        value: formatReading(value),
        ...base,
        ...(named === undefined ? {} : { phase: named }),
      });
      continue;
    }
    value.forEach((perPhase, index) => {
      const phase = source.phases?.[index];
      if (phase === undefined || (named !== undefined && !phaseMatches(named, phase))) return;
      sampledValue.push({ value: formatReading(perPhase), ...base, phase });
    });
  }
  return sampledValue.length === 0 ? undefined : { timestamp, sampledValue };
}

/** `Voltage.L1` names the L1-N reading too. */
function phaseMatches(named: Phase, phase: Phase): boolean {
  return named === phase || `${named}-N` === phase;
}
