// The messages between the fleet benchmark (fleet.ts) and its two child processes.

/** Who sends MeterValues every interval: the kit's reference charge point, or a bare client. */
export const fleetModes = ['kit', 'rpc-core', 'ocpp-rpc', 'raw-ws'] as const;
export type FleetMode = (typeof fleetModes)[number];

export type CsmsReport =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'count'; readonly meterValues: number; readonly connections: number };

export type LoadReport =
  | { readonly type: 'ready'; readonly connected: number }
  | { readonly type: 'measuring' }
  | {
      readonly type: 'measured';
      readonly cpuMicros: number;
      readonly windowMs: number;
      /** After a forced GC, the whole process. */
      readonly rss: number;
      readonly heapAndExternal: number;
    }
  | { readonly type: 'failed'; readonly message: string };
