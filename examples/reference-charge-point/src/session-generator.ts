import { once } from 'node:events';
import type { ChargePoint, ConnectorFault } from '@ocpp-kit/charge-point-kit';
import type { SimulatedHardware } from './simulated-hardware.js';

export interface SessionPlan {
  /** Sessions per connector; the generator stops by itself after them. */
  readonly sessions: number;
  /** How long an EV charges, in ms: drawn from [min, max]. */
  readonly chargeMs: readonly [number, number];
  /** Idle time between sessions, in ms. */
  readonly idleMs: readonly [number, number];
  /** Chance that the EV pauses once in a session (SuspendedEV). */
  readonly pauseChance?: number;
  /** Chance that a fault (one of `simulatedFaults`) interrupts a session for a while, then clears. */
  readonly faultChance?: number;
  readonly random?: () => number;
}

/** What goes wrong in the field: a blocking fault makes the connector Faulted, a warning does not. */
export const simulatedFaults: readonly ConnectorFault[] = [
  { errorCode: 'GroundFailure', vendorId: 'ocpp-kit.sim', vendorErrorCode: 'RCD-30mA' },
  { errorCode: 'OverCurrentFailure', info: 'EV drew more than offered' },
  { errorCode: 'HighTemperature', info: 'derating', blocking: false },
];

const between = ([min, max]: readonly [number, number], random: () => number) =>
  min + (max - min) * random();

/**
 * Drives a charge point like its users would: plug in, present an idTag, charge (pausing now
 * and then), present it again to stop, unplug, wait; `sessions` times per connector.
 */
export class SessionGenerator {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #stopped = false;
  completed = 0;
  faults = 0;

  constructor(
    readonly chargePoint: ChargePoint,
    readonly hardware: SimulatedHardware,
    readonly connectors: number,
    readonly plan: SessionPlan,
  ) {}

  /** Runs every connector's sessions; resolves when all are done or `stop()` was called. */
  async run(): Promise<void> {
    // A simulator's drivers arrive once the CSMS has accepted the charge point (errata 3.11).
    if (this.chargePoint.registration !== 'Accepted') await once(this.chargePoint, 'accepted');
    await Promise.all(Array.from({ length: this.connectors }, (_, i) => this.#connector(i + 1)));
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #connector(connectorId: number): Promise<void> {
    const random = this.plan.random ?? Math.random;
    for (let n = 0; n < this.plan.sessions && !this.#stopped; n++) {
      await this.#wait(between(this.plan.idleMs, random));
      if (this.#stopped) return;
      const idTag = `${this.chargePoint.identity}-${connectorId}-${n}`.slice(-20);
      this.chargePoint.plugIn(connectorId);
      const result = await this.chargePoint.presentIdTag(idTag, connectorId);
      if (result.outcome === 'Authorized') {
        const chargeMs = between(this.plan.chargeMs, random);
        await this.#wait(chargeMs / 2);
        if (random() < (this.plan.faultChance ?? 0.05))
          await this.#fault(connectorId, chargeMs / 4);
        if (random() < (this.plan.pauseChance ?? 0.2)) {
          this.hardware.setEvDrawing(connectorId, false);
          this.chargePoint.evSuspended(connectorId, true);
          await this.#wait(chargeMs / 4);
          this.hardware.setEvDrawing(connectorId, true);
          this.chargePoint.evSuspended(connectorId, false);
        }
        await this.#wait(chargeMs / 4);
        if (this.#stopped) return;
        await this.chargePoint.presentIdTag(idTag, connectorId);
        this.completed += 1;
      }
      this.chargePoint.unplug(connectorId);
    }
  }

  /** A fault for `ms`: a blocking one stops the flow of energy until it clears (§4.9 x9). */
  async #fault(connectorId: number, ms: number): Promise<void> {
    const random = this.plan.random ?? Math.random;
    const fault = simulatedFaults[Math.floor(random() * simulatedFaults.length)];
    if (fault === undefined) return;
    const blocking = fault.blocking !== false;
    if (blocking) this.hardware.setEvDrawing(connectorId, false);
    this.chargePoint.raiseFault(connectorId, fault);
    this.faults += 1;
    await this.#wait(ms);
    this.chargePoint.clearFault(connectorId, fault.errorCode);
    if (blocking) this.hardware.setEvDrawing(connectorId, true);
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}
