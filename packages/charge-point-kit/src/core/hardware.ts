import type { ChargingRateUnit, Measurand, ResetType, UnlockStatus } from '@ocpp-kit/messages';

/** One reading of a connector's meter; absent fields are not measured. */
export interface MeterReading {
  /** Energy.Active.Import.Register in Wh: the meter's register, monotonic (errata 3.78). */
  readonly energyWh: number;
  /** Power.Active.Import in W. */
  readonly powerW?: number;
  /** Current.Import per phase (L1, L2, L3) in A. */
  readonly currentA?: readonly number[];
  /** Voltage per phase (L1-N, L2-N, L3-N) in V. */
  readonly voltageV?: readonly number[];
  /** Current.Offered in A: the limit the EV is offered. */
  readonly currentOfferedA?: number;
  /** Power.Offered in W. */
  readonly powerOfferedW?: number;
  /** SoC in percent, where the EV reports it. */
  readonly soc?: number;
  /** Temperature in degrees Celsius. */
  readonly temperatureC?: number;
}

/** What the kit asks of a connector's power electronics. */
export interface OutputCommand {
  /** Energise (true) or de-energise (false) the connector. */
  readonly energize: boolean;
  /**
   * The limit in force (smart charging, §3.13), in the adapter's `limitUnit` (A: per phase);
   * absent means the hardware maximum. `phases` when a profile names the number of phases.
   */
  readonly limit?: {
    readonly unit: ChargingRateUnit;
    readonly value: number;
    readonly phases?: number;
  };
}

/**
 * The hardware side of a charge point: the one interface an application implements. The kit
 * calls it; the application reports physical events back through the ChargePoint's methods
 * (`plugIn`, `unplug`, `presentIdTag`, `raiseFault`, ...). Every method may be async.
 */
export interface HardwareAdapter {
  /** The measurands `readMeter` supplies; configuration keys naming others are Rejected (errata 3.14.4). */
  readonly measurands: readonly Measurand[];
  /** Phases of the supply, for per-phase values. Default 3. */
  readonly phases?: 1 | 3;
  /** Nominal line-to-neutral voltage, converting A <-> W for smart charging (errata 3.69). Default 230. */
  readonly supplyVoltage?: number;
  /** Most current per phase a connector delivers, in A: the limit where no profile limits. Default 32. */
  readonly maxCurrentA?: number;
  /** The unit `setOutput`'s limit comes in; profiles of the other unit are converted. Default 'A'. */
  readonly limitUnit?: ChargingRateUnit;
  readMeter(connectorId: number): MeterReading | Promise<MeterReading>;
  setOutput(connectorId: number, command: OutputCommand): void | Promise<void>;
  /** Absent: the charge point has no connector lock (UnlockConnector answers NotSupported). */
  unlock?(connectorId: number): UnlockStatus | Promise<UnlockStatus>;
  /** Restart the charge point (§5.14); the kit has already stopped and stored what it must. */
  reboot(type: ResetType): void | Promise<void>;
  /**
   * Installs a downloaded firmware image (§5.19), called once no transaction runs. Resolve when
   * installed: the kit then calls `reboot('Hard')` and reports Installed after the boot, unless
   * it resolves `{ reboot: false }`. Reject: InstallationFailed. Absent: no Firmware Management.
   */
  installFirmware?(
    file: string,
  ): FirmwareInstallResult | void | Promise<FirmwareInstallResult> | Promise<void>;
  /**
   * Files for a diagnostics upload (§5.9), besides the kit's own log: paths of logs, crash
   * dumps, ... covering `from`..`to` (epoch ms) where the adapter can tell. Absent: the kit's log only.
   */
  diagnosticsFiles?(range: {
    readonly from: number | undefined;
    readonly to: number | undefined;
  }): readonly string[] | Promise<readonly string[]>;
}

/** What `installFirmware` resolves: nothing, or whether a reboot is needed (default true). */
export type FirmwareInstallResult = { readonly reboot?: boolean } | undefined;
