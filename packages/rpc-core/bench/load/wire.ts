// What the benchmark processes share: the IPC messages and the one CALL every charge point sends.
import { meterValuesRequest } from '../meter-values.js';

/** The servers under test. */
export const serverKinds = ['ours', 'ocpp-rpc', 'raw-ws'] as const;
export type ServerKind = (typeof serverKinds)[number];

/** Orchestrator -> server process. */
export type ServerCommand =
  | { readonly op: 'cpuStart' }
  | { readonly op: 'cpuStop' }
  | { readonly op: 'memory' }
  | { readonly op: 'exit' };

/** Server process -> orchestrator. */
export type ServerReport =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'cpu'; readonly userMicros: number; readonly systemMicros: number }
  | {
      readonly type: 'memory';
      readonly rss: number;
      readonly heapUsed: number;
      readonly external: number;
      readonly connections: number;
    };

/** Load generator process -> orchestrator. */
export type LoadReport =
  | { readonly type: 'connected'; readonly connections: number; readonly millis: number }
  /** Warm-up is over: calls answered from now on are counted. */
  | { readonly type: 'recording' }
  | {
      readonly type: 'measured';
      readonly calls: number;
      readonly seconds: number;
      readonly p50Micros: number;
      readonly p99Micros: number;
    }
  | { readonly type: 'failed'; readonly message: string };

/** The MeterValues.req every charge point sends, serialised once (the shared bench fixture). */
export const meterValuesPayload = JSON.stringify(meterValuesRequest);
