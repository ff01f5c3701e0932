// Every table of the reference CSMS behind one object, over one database file.
import { ChargePointTable } from './charge-point-table.js';
import { CsmsDatabase } from './database.js';
import { IdTagTable } from './id-tag-table.js';
import { MeterValueTable, readingsFileOf } from './meter-value-table.js';
import { RecordTables } from './record-tables.js';
import { TransactionTable } from './transaction-table.js';

export interface Storage {
  readonly database: CsmsDatabase;
  readonly chargePoints: ChargePointTable;
  readonly idTags: IdTagTable;
  readonly transactions: TransactionTable;
  readonly meterValues: MeterValueTable;
  readonly records: RecordTables;
  /** Commits what is queued in both files, then closes them. */
  close(): Promise<void>;
}

/** Opens `file` and the readings file beside it (`readingsFileOf`), migrating both. */
export async function openStorage(file: string, clock: () => number = Date.now): Promise<Storage> {
  const database = CsmsDatabase.open(file);
  let meterValues: MeterValueTable;
  try {
    meterValues = await MeterValueTable.open(readingsFileOf(file));
  } catch (error) {
    database.close();
    throw error;
  }
  return {
    database,
    chargePoints: new ChargePointTable(database, clock),
    idTags: new IdTagTable(database),
    transactions: new TransactionTable(database, clock),
    meterValues,
    records: new RecordTables(database, clock),
    close: async () => {
      await meterValues.close();
      database.close();
    },
  };
}
