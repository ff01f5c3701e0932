// What the latest readings of a transaction say: energy and power (§7.31 Measurand, §7.45).
/** Energy and power of a transaction, from its readings (§7.31 Measurand). */
export interface TransactionReadings {
  /** Latest Energy.Active.Import.Register, Wh. */
  readonly energyRegisterWh: number | undefined;
  /** Latest Power.Active.Import, or the sum over phases of Current.Import × Voltage, W. */
  readonly powerW: number | undefined;
  readonly lastReadingAt: string | undefined;
}

/** The latest reading of one measurand and phase of a transaction. */
export interface LatestReading {
  readonly measurand: string;
  readonly phase: string;
  readonly unit: string | null;
  readonly value: string;
  readonly timestamp: number;
}

const scale: Readonly<Record<string, number>> = { Wh: 1, kWh: 1000, W: 1, kW: 1000, A: 1, V: 1 };

/** §7.45 defaults: a value without a unit is Wh/W/A/V. */
function toBase(reading: LatestReading): number {
  return Number(reading.value) * (scale[reading.unit ?? ''] ?? 1);
}

/** The unphased reading (the total) if there is one, else every phase. */
function totalOrPhases(readings: readonly LatestReading[]): readonly LatestReading[] {
  const total = readings.find((r) => r.phase === '');
  return total === undefined ? readings : [total];
}

export function transactionReadings(latest: readonly LatestReading[]): TransactionReadings {
  const of = (measurand: string) => latest.filter((r) => r.measurand === measurand);
  const energy = totalOrPhases(of('Energy.Active.Import.Register')).reduce<
    LatestReading | undefined
  >(
    (newest, r) => (newest === undefined || r.timestamp > newest.timestamp ? r : newest),
    undefined,
  );
  const power = totalOrPhases(of('Power.Active.Import'));
  let powerW: number | undefined;
  if (power.length > 0) powerW = power.reduce((sum, r) => sum + toBase(r), 0);
  else {
    // Per phase: P = I × U (L1 with L1-N); a single unphased pair is one phase.
    const voltage = new Map(of('Voltage').map((r) => [r.phase.replace(/-N$/, ''), toBase(r)]));
    const currents = of('Current.Import');
    const anyVoltage = [...voltage.values()][0];
    if (currents.length > 0 && anyVoltage !== undefined) {
      powerW = currents.reduce(
        (sum, r) => sum + toBase(r) * (voltage.get(r.phase) ?? anyVoltage),
        0,
      );
    }
  }
  return {
    energyRegisterWh: energy === undefined ? undefined : toBase(energy),
    powerW,
    lastReadingAt: energy === undefined ? undefined : new Date(energy.timestamp).toISOString(),
  };
}
