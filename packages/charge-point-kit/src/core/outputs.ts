import type { HardwareAdapter, MeterReading, OutputCommand } from './hardware.js';
import type { KitLogger } from './logger.js';

/** The limit in force on a connector, as the hardware takes it; undefined: the hardware maximum. */
export type OutputLimit = OutputCommand['limit'];

const idle = JSON.stringify({ energize: false });

interface OutputState {
  energize: boolean;
  limit: OutputLimit;
  /** The command last handed to the hardware, to send nothing that changes nothing. */
  sent: string | undefined;
  /** A call to the hardware is under way; changes made meanwhile go out in one call after it. */
  busy: Promise<void> | undefined;
  due: boolean;
}

/**
 * The one way to the connectors' power electronics: whether a connector is energised (the
 * transactions decide) and the limit in force (smart charging decides), merged into one
 * `setOutput` per change, in order, never two at once for a connector. Also adds the limit to
 * readings as Current/Power.Offered.
 */
export class Outputs {
  readonly #hardware: HardwareAdapter;
  readonly #logger: KitLogger;
  readonly #states = new Map<number, OutputState>();
  readonly #supplyVoltage: number;

  constructor(hardware: HardwareAdapter, logger: KitLogger) {
    this.#hardware = hardware;
    this.#logger = logger;
    this.#supplyVoltage = hardware.supplyVoltage ?? 230;
  }

  #state(connectorId: number): OutputState {
    let state = this.#states.get(connectorId);
    if (state === undefined) {
      // The hardware starts de-energised at its maximum: only a change is worth a call.
      state = { energize: false, limit: undefined, sent: idle, busy: undefined, due: false };
      this.#states.set(connectorId, state);
    }
    return state;
  }

  /** Whether the kit last asked the connector to be energised. */
  energized(connectorId: number): boolean {
    return this.#states.get(connectorId)?.energize ?? false;
  }

  /** The limit last applied to the connector. */
  limit(connectorId: number): OutputLimit {
    return this.#states.get(connectorId)?.limit;
  }

  /** Records whether the connector is to be energised; `flush` sends it. */
  hold(connectorId: number, energize: boolean): void {
    this.#state(connectorId).energize = energize;
  }

  /** Energise or de-energise; resolves once the hardware took it (errors are logged). */
  energize(connectorId: number, energize: boolean): Promise<void> {
    this.hold(connectorId, energize);
    return this.flush(connectorId);
  }

  /** Sets the limit in force; the hardware hears of it only when the command changes. */
  setLimit(connectorId: number, limit: OutputLimit): Promise<void> {
    this.#state(connectorId).limit = limit;
    return this.flush(connectorId);
  }

  /** Sends the connector's command if it changed: at once when idle, else after the call under way. */
  flush(connectorId: number): Promise<void> {
    const state = this.#state(connectorId);
    if (state.busy !== undefined) {
      state.due = true;
      return state.busy;
    }
    // A de-energised connector has nothing to limit: its limit goes with the next energise.
    const command: OutputCommand =
      state.limit === undefined || !state.energize
        ? { energize: state.energize }
        : { energize: state.energize, limit: state.limit };
    const key = JSON.stringify(command);
    if (key === state.sent) return Promise.resolve();
    state.sent = key;
    const call = async (): Promise<void> => {
      try {
        await this.#hardware.setOutput(connectorId, command);
      } catch (error) {
        state.sent = undefined;
        this.#logger.error('hardware.setOutput', {
          connectorId,
          energize: command.energize,
          error: String(error),
        });
      }
      state.busy = undefined;
      if (state.due) {
        state.due = false;
        await this.flush(connectorId);
      }
    };
    state.busy = call();
    return state.busy;
  }

  /**
   * A meter reading with the limit in force as Current.Offered / Power.Offered where the hardware
   * reports none (§3.13: the offered limit shows in the next MeterValues); phases as the limit's.
   */
  async read(connectorId: number): Promise<MeterReading> {
    const reading = await this.#hardware.readMeter(connectorId);
    const limit = this.limit(connectorId);
    if (limit === undefined) return reading;
    const phases = limit.phases ?? this.#hardware.phases ?? 3;
    const amps = limit.unit === 'A' ? limit.value : limit.value / (this.#supplyVoltage * phases);
    const watts = limit.unit === 'W' ? limit.value : limit.value * this.#supplyVoltage * phases;
    return {
      ...reading,
      currentOfferedA: reading.currentOfferedA ?? amps,
      powerOfferedW: reading.powerOfferedW ?? watts,
    };
  }
}
