import { join } from 'node:path';
import {
  ChargePoint,
  type ClientTlsOptions,
  type KitLogger,
  KitStore,
  type StandardValueOf,
  silentLogger,
} from '@ocpp-kit/charge-point-kit';
import { SessionGenerator, type SessionPlan } from './session-generator.js';
import { SimulatedHardware } from './simulated-hardware.js';
import type { StationTemplate } from './station-template.js';

export interface FleetOptions {
  readonly csms: string;
  /** Identities are this prefix plus 1..count. */
  readonly identityPrefix: string;
  readonly count: number;
  readonly template: StationTemplate;
  readonly dataDir: string;
  readonly securityProfile: 0 | 1 | 2 | 3;
  readonly authorizationKey?: Uint8Array;
  readonly tls?: ClientTlsOptions;
  /** Automatic sessions; none when absent. */
  readonly sessions?: SessionPlan;
  readonly logger?: KitLogger;
  readonly meterValueSampleInterval?: StandardValueOf<'MeterValueSampleInterval'>;
}

/** The database of a fleet: one file, so every charge point shares one group commit. */
export const fleetDatabaseFileName = 'fleet.sqlite';

/** Many simulated charge points in one process, sharing one store. */
export class Fleet {
  readonly store: KitStore;
  readonly members: { readonly chargePoint: ChargePoint; readonly generator?: SessionGenerator }[];

  constructor(readonly options: FleetOptions) {
    this.store = KitStore.open({ file: join(options.dataDir, fleetDatabaseFileName) });
    const { template } = options;
    this.members = Array.from({ length: options.count }, (_, i) => {
      const number = i + 1;
      const hardware = new SimulatedHardware({
        connectors: template.connectors,
        phases: template.phases,
        voltageV: template.voltageV,
        maxCurrentA: template.maxCurrentA,
        measurands: template.measurands,
      });
      const identity = `${options.identityPrefix}${number}`;
      const chargePoint = new ChargePoint({
        identity,
        csms: options.csms,
        securityProfile: options.securityProfile,
        ...(options.authorizationKey === undefined
          ? {}
          : { authorizationKey: options.authorizationKey }),
        ...(options.tls === undefined ? {} : { tls: options.tls }),
        boot: {
          chargePointVendor: template.vendor,
          chargePointModel: template.model,
          chargePointSerialNumber: `${template.serialPrefix}${number}`.slice(0, 25),
          firmwareVersion: template.firmwareVersion,
          meterType: template.meterType,
        },
        connectors: template.connectors,
        hardware,
        storage: { store: this.store },
        // Firmware images and upload archives of each charge point in its own directory.
        fileTransfer: { directory: join(options.dataDir, 'files', identity) },
        logger: options.logger ?? silentLogger,
        configuration: {
          values: {
            MeterValueSampleInterval: options.meterValueSampleInterval ?? 60,
            AllowOfflineTxForUnknownId: true,
          },
        },
      });
      const generator =
        options.sessions === undefined
          ? undefined
          : new SessionGenerator(chargePoint, hardware, template.connectors, options.sessions);
      return generator === undefined ? { chargePoint } : { chargePoint, generator };
    });
  }

  async start(): Promise<void> {
    await Promise.all(this.members.map(({ chargePoint }) => chargePoint.start()));
  }

  /** Runs the session generators to their end. */
  async runSessions(): Promise<void> {
    await Promise.all(this.members.map(({ generator }) => generator?.run()));
  }

  /** One line for the terminal: how many are accepted, charging, and what waits in queues. */
  progress(): string {
    let accepted = 0;
    let charging = 0;
    let queued = 0;
    let completed = 0;
    for (const { chargePoint, generator } of this.members) {
      if (chargePoint.registration === 'Accepted') accepted += 1;
      for (let id = 1; id <= this.options.template.connectors; id++) {
        if (chargePoint.status(id) === 'Charging') charging += 1;
      }
      queued += chargePoint.queuedMessages;
      completed += generator?.completed ?? 0;
    }
    return `${accepted}/${this.members.length} accepted, ${charging} charging, ${completed} sessions done, ${queued} queued`;
  }

  async stop(): Promise<void> {
    for (const { generator } of this.members) generator?.stop();
    await Promise.all(this.members.map(({ chargePoint }) => chargePoint.stop()));
    this.store.close();
  }
}
