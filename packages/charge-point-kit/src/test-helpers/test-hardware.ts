import type { Measurand, ResetType, UnlockStatus } from '@ocpp-kit/messages';
import type { HardwareAdapter, MeterReading, OutputCommand } from '../core/hardware.js';

/** A hardware adapter that records what the kit asked and reports a settable meter. */
export class TestHardware implements HardwareAdapter {
  readonly measurands: readonly Measurand[] = [
    'Energy.Active.Import.Register',
    'Power.Active.Import',
    'Current.Import',
    'Voltage',
    'SoC',
  ];
  readonly outputs: { connectorId: number; command: OutputCommand }[] = [];
  readonly reboots: ResetType[] = [];
  readonly unlocks: number[] = [];
  readings = new Map<number, MeterReading>();
  unlockResult: UnlockStatus = 'Unlocked';

  readMeter(connectorId: number): MeterReading {
    return this.readings.get(connectorId) ?? { energyWh: 0 };
  }

  setOutput(connectorId: number, command: OutputCommand): void {
    this.outputs.push({ connectorId, command });
  }

  unlock(connectorId: number): UnlockStatus {
    this.unlocks.push(connectorId);
    return this.unlockResult;
  }

  reboot(type: ResetType): void {
    this.reboots.push(type);
  }
}
