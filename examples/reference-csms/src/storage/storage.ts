// Every table of the reference CSMS behind one object, over one database file.
import { ChargePointTable } from './charge-point-table.js';
import { CsmsDatabase } from './database.js';
import { IdTagTable } from './id-tag-table.js';
import { MeterValueTable } from './meter-value-table.js';
import { RecordTables } from './record-tables.js';
import { TransactionTable } from './transaction-table.js';

export interface Storage {
  readonly database: CsmsDatabase;
  readonly chargePoints: ChargePointTable;
  readonly idTags: IdTagTable;
  readonly transactions: TransactionTable;
  readonly meterValues: MeterValueTable;
  readonly records: RecordTables;
  close(): void;
}

export function openStorage(file: string, clock: () => number = Date.now): Storage {
  const database = CsmsDatabase.open(file);
  return {
    database,
    chargePoints: new ChargePointTable(database, clock),
    idTags: new IdTagTable(database),
    transactions: new TransactionTable(database, clock),
    meterValues: new MeterValueTable(database),
    records: new RecordTables(database, clock),
    close: () => database.close(),
  };
}
