// IPC messages between the CSMS benchmark's processes.
export type ServerKind = 'reference-csms' | 'rpc-core';

export interface ServerReady {
  readonly type: 'ready';
  readonly port: number;
}

export interface ServerSample {
  readonly type: 'sample';
  /** process.cpuUsage() user + system, µs. */
  readonly cpuMicros: number;
  readonly rssBytes: number;
  /** meter_values rows written (reference CSMS; after the load, counted in the database), 0 for rpc-core. */
  readonly meterRows: number;
  /** Commits of the readings writer so far (one fsync each). */
  readonly commits: number;
}

export interface LoadReport {
  readonly type: 'report';
  readonly answered: number;
  readonly failed: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
  /** MeterValues answered since the first connection, for the persistence check. */
  readonly totalAnswered: number;
}
