// Meter readings, one row per sampled value. A resent MeterValues (same readings) changes
// nothing: the key is the reading itself (INSERT OR IGNORE).
import type { MeterValue } from '@ocpp-kit/messages';
import type { CsmsDatabase } from './database.js';

/** Energy and power of a transaction, from its readings (§7.31 Measurand). */
export interface TransactionReadings {
  /** Latest Energy.Active.Import.Register, Wh. */
  readonly energyRegisterWh: number | undefined;
  /** Latest Power.Active.Import, or the sum over phases of Current.Import × Voltage, W. */
  readonly powerW: number | undefined;
  readonly lastReadingAt: string | undefined;
}

interface ReadingRow {
  measurand: string;
  phase: string;
  unit: string | null;
  value: string;
  timestamp: number;
}

const scale: Readonly<Record<string, number>> = { Wh: 1, kWh: 1000, W: 1, kW: 1000, A: 1, V: 1 };

/** §7.45 defaults: a value without a measurand is the energy register, without a unit Wh/W/A/V. */
function toBase(row: ReadingRow): number {
  return Number(row.value) * (scale[row.unit ?? ''] ?? 1);
}

export class MeterValueTable {
  readonly #db: CsmsDatabase;
  readonly #insert;
  readonly #latest;

  constructor(db: CsmsDatabase) {
    this.#db = db;
    this.#insert = db.prepare<
      [
        string,
        number,
        number | null,
        number,
        string,
        string,
        string,
        string,
        string | null,
        string,
      ],
      never
    >(
      `INSERT OR IGNORE INTO meter_values (identity, connector_id, transaction_id, timestamp, measurand, phase, location, context, unit, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#latest = db.prepare<[number, string, number, string], ReadingRow>(
      `SELECT measurand, phase, unit, value, timestamp FROM meter_values
       WHERE transaction_id = ? AND measurand = ? AND timestamp = (
         SELECT MAX(timestamp) FROM meter_values WHERE transaction_id = ? AND measurand = ?)`,
    );
  }

  /** Stores the readings; resolves once they are durable (group commit). */
  record(
    identity: string,
    connectorId: number,
    transactionId: number | undefined,
    meterValues: readonly MeterValue[],
  ): Promise<number> {
    return this.#db.write(() => {
      let rows = 0;
      for (const { timestamp, sampledValue } of meterValues) {
        const at = Date.parse(timestamp);
        for (const sample of sampledValue) {
          rows += this.#insert.run(
            identity,
            connectorId,
            transactionId ?? null,
            at,
            sample.measurand ?? 'Energy.Active.Import.Register',
            sample.phase ?? '',
            sample.location ?? '',
            sample.context ?? '',
            sample.unit ?? null,
            sample.value,
          ).changes;
        }
      }
      return rows;
    });
  }

  /** What the latest readings of a transaction say. */
  readingsOf(transactionId: number): TransactionReadings {
    const of = (measurand: string) =>
      this.#latest.all(transactionId, measurand, transactionId, measurand);
    const energy = of('Energy.Active.Import.Register')[0];
    const power = of('Power.Active.Import');
    let powerW: number | undefined;
    if (power.length > 0) powerW = power.reduce((sum, r) => sum + toBase(r), 0);
    else {
      // Per phase: P = I × U (L1-N etc.); a single unphased pair is one phase.
      const voltage = new Map(of('Voltage').map((r) => [r.phase.replace(/-N$/, ''), toBase(r)]));
      const currents = of('Current.Import');
      if (currents.length > 0 && voltage.size > 0) {
        const anyVoltage = [...voltage.values()][0] as number;
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

  countFor(transactionId: number): number {
    return (
      this.#db
        .prepare<[number], { n: number }>(
          'SELECT COUNT(*) AS n FROM meter_values WHERE transaction_id = ?',
        )
        .get(transactionId)?.n ?? 0
    );
  }
}
