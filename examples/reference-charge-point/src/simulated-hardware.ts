import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type {
  FirmwareInstallResult,
  HardwareAdapter,
  MeterReading,
  OutputCommand,
} from '@ocpp-kit/charge-point-kit';
import type { Measurand, ResetType, UnlockStatus } from '@ocpp-kit/messages';

export interface SimulatedHardwareOptions {
  readonly connectors: number;
  readonly phases: 1 | 3;
  readonly voltageV: number;
  readonly maxCurrentA: number;
  readonly measurands: readonly Measurand[];
  /** Epoch ms; the meter integrates power over it. */
  readonly clock?: () => number;
  readonly onReboot?: (type: ResetType) => void;
  /** Files a diagnostics upload includes (the simulator's own logs, say). */
  readonly diagnosticsFiles?: readonly string[];
}

interface ConnectorState {
  energized: boolean;
  evDrawing: boolean;
  limitA: number;
  /** Wh, as a register: never goes back. */
  energyWh: number;
  lastAt: number;
  soc: number;
}

/**
 * The hardware of a simulated charge point: per connector a contactor, an EV that draws the
 * offered current on every phase (or pauses), and a meter that integrates power over time, so
 * Energy.Active.Import.Register rises with the charging and never goes back.
 */
export class SimulatedHardware implements HardwareAdapter {
  readonly measurands: readonly Measurand[];
  readonly phases: 1 | 3;
  /** Smart charging converts W limits to A with these (the kit sends the limit in A). */
  readonly supplyVoltage: number;
  readonly maxCurrentA: number;
  readonly #options: SimulatedHardwareOptions;
  readonly #clock: () => number;
  readonly #connectors: ConnectorState[];

  constructor(options: SimulatedHardwareOptions) {
    this.#options = options;
    this.measurands = options.measurands;
    this.phases = options.phases;
    this.supplyVoltage = options.voltageV;
    this.maxCurrentA = options.maxCurrentA;
    this.#clock = options.clock ?? Date.now;
    const now = this.#clock();
    this.#connectors = Array.from({ length: options.connectors }, () => ({
      energized: false,
      evDrawing: true,
      limitA: options.maxCurrentA,
      energyWh: 0,
      lastAt: now,
      soc: 20,
    }));
  }

  /** The EV pauses (SuspendedEV) or draws again. */
  setEvDrawing(connectorId: number, drawing: boolean): void {
    const state = this.#advance(connectorId);
    state.evDrawing = drawing;
  }

  readMeter(connectorId: number): MeterReading {
    const state = this.#advance(connectorId);
    const current = this.#currentA(state);
    const perPhase = Array.from({ length: this.phases }, () => current);
    return {
      energyWh: Math.floor(state.energyWh),
      powerW: Math.round(current * this.#options.voltageV * this.phases),
      currentA: perPhase,
      voltageV: Array.from({ length: this.phases }, () => this.#options.voltageV),
      currentOfferedA: state.energized ? state.limitA : 0,
      soc: Math.floor(state.soc),
    };
  }

  setOutput(connectorId: number, command: OutputCommand): void {
    const state = this.#advance(connectorId);
    state.energized = command.energize;
    state.limitA =
      command.limit?.unit === 'A'
        ? Math.min(command.limit.value, this.#options.maxCurrentA)
        : this.#options.maxCurrentA;
  }

  unlock(): UnlockStatus {
    return 'Unlocked';
  }

  reboot(type: ResetType): void {
    this.#options.onReboot?.(type);
  }

  /** SHA-256 of every image installed, oldest first. */
  readonly installedImages: string[] = [];

  /**
   * "Flashes" an image: reads it through (a real controller would write it to its second bank)
   * and keeps its SHA-256; the simulator goes on without a reboot.
   */
  async installFirmware(file: string): Promise<FirmwareInstallResult> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    this.installedImages.push(hash.digest('hex'));
    return { reboot: false };
  }

  diagnosticsFiles(): readonly string[] {
    return this.#options.diagnosticsFiles ?? [];
  }

  #currentA(state: ConnectorState): number {
    return state.energized && state.evDrawing && state.soc < 100 ? state.limitA : 0;
  }

  /** Integrates the energy since the last look (kWh = V x A x phases x h / 1000). */
  #advance(connectorId: number): ConnectorState {
    const state = this.#connectors[connectorId - 1];
    if (state === undefined) throw new RangeError(`No simulated connector ${connectorId}`);
    const now = this.#clock();
    const hours = Math.max(0, now - state.lastAt) / 3_600_000;
    const wh = this.#currentA(state) * this.#options.voltageV * this.phases * hours;
    state.energyWh += wh;
    // A 60 kWh battery: SoC follows the energy delivered.
    state.soc = Math.min(100, state.soc + (wh / 60_000) * 100);
    state.lastAt = now;
    return state;
  }
}
