import type { EventEmitter } from 'node:events';
import type { ChargePointStatus } from '@ocpp-kit/messages';
import {
  type ConnectorFacts,
  type ConnectorFault,
  idleConnector,
  reportedFault,
  settle,
  statusOf,
} from './connector-status.js';
import type { ChargePointEvents } from './events.js';

/** The charge point itself (connector 0, §3.8): only Available, Unavailable or Faulted (§4.9). */
interface StationFacts {
  readonly faults: readonly ConnectorFault[];
  readonly wantedOperative: boolean;
}

/**
 * The facts of every connector and the status that follows from them. Behaviours change facts
 * (`update`); the status is derived, so it can never disagree with them, and every change of
 * status is announced once (`status` event).
 */
export class Connectors {
  readonly count: number;
  readonly #facts: ConnectorFacts[];
  readonly #statuses: ChargePointStatus[];
  readonly #events: EventEmitter<ChargePointEvents>;
  #station: StationFacts = { faults: [], wantedOperative: true };
  #stationStatus: ChargePointStatus = 'Available';
  readonly #lastFault = new Map<number, ConnectorFault | undefined>();

  constructor(count: number, events: EventEmitter<ChargePointEvents>) {
    this.count = count;
    this.#events = events;
    this.#facts = Array.from({ length: count }, () => idleConnector);
    this.#statuses = Array.from({ length: count }, () => 'Available' as const);
  }

  /** Connector ids 1..count (§3.8). */
  ids(): number[] {
    return Array.from({ length: this.count }, (_, i) => i + 1);
  }

  has(connectorId: number): boolean {
    return Number.isInteger(connectorId) && connectorId >= 1 && connectorId <= this.count;
  }

  facts(connectorId: number): ConnectorFacts {
    return this.#facts[connectorId - 1] ?? idleConnector;
  }

  /** The status of a connector, or of the charge point for 0. */
  status(connectorId: number): ChargePointStatus {
    return connectorId === 0
      ? this.#stationStatus
      : (this.#statuses[connectorId - 1] ?? 'Available');
  }

  /** The fault a StatusNotification of the connector (or 0) reports. */
  fault(connectorId: number): ConnectorFault | undefined {
    return connectorId === 0 ? this.#station.faults.at(-1) : reportedFault(this.facts(connectorId));
  }

  /** Changes a connector's facts; announces the status if it changed. */
  update(connectorId: number, change: Partial<ConnectorFacts>): void {
    const index = connectorId - 1;
    const before = this.#facts[index];
    if (before === undefined) return;
    const facts = settle({ ...before, ...change });
    this.#facts[index] = facts;
    this.#announce(connectorId, statusOf(facts));
    this.#settleStation();
  }

  /** Changes the charge point's own facts (connector 0). */
  updateStation(change: Partial<StationFacts>): void {
    this.#station = { ...this.#station, ...change };
    this.#settleStation();
  }

  get stationFaults(): readonly ConnectorFault[] {
    return this.#station.faults;
  }

  get stationWantedOperative(): boolean {
    return this.#station.wantedOperative;
  }

  #settleStation(): void {
    const faulted = this.#station.faults.some((fault) => fault.blocking !== false);
    const unavailable =
      !this.#station.wantedOperative && this.#facts.every((facts) => !facts.operative);
    this.#announce(0, faulted ? 'Faulted' : unavailable ? 'Unavailable' : 'Available');
  }

  #announce(connectorId: number, status: ChargePointStatus): void {
    const previous = this.status(connectorId);
    const faultChanged = this.#lastFault.get(connectorId) !== this.fault(connectorId);
    if (previous === status && !faultChanged) return;
    if (connectorId === 0) this.#stationStatus = status;
    else this.#statuses[connectorId - 1] = status;
    this.#lastFault.set(connectorId, this.fault(connectorId));
    this.#events.emit('status', { connectorId, status, previous });
  }
}
