import type { ChargePointErrorCode, ChargePointStatus } from '@ocpp-kit/messages';

/** A fault the application raised (§4.9, §7.6 ChargePointErrorCode). */
export interface ConnectorFault {
  readonly errorCode: Exclude<ChargePointErrorCode, 'NoError'>;
  readonly info?: string;
  readonly vendorId?: string;
  readonly vendorErrorCode?: string;
  /** False for a warning reported beside another status (e.g. HighTemperature while Charging). Default true. */
  readonly blocking?: boolean;
}

/** What is true of a connector; its status follows from these (`statusOf`). */
export interface ConnectorFacts {
  readonly plugged: boolean;
  /** Usage initiated without a transaction yet: an idTag accepted, a remote start waiting for the plug. */
  readonly preparing: boolean;
  /** A transaction runs; how energy flows in it. */
  readonly transaction:
    | { readonly evSuspended: boolean; readonly evseSuspended: boolean }
    | undefined;
  /** A transaction stopped and the user still has to act (remove the cable). */
  readonly finishing: boolean;
  readonly reserved: boolean;
  /** The availability in force (ChangeAvailability; a scheduled change is not in force yet). */
  readonly operative: boolean;
  /** The availability the CSMS asked for; it comes into force once the connector is not in use (§5.2). */
  readonly wantedOperative: boolean;
  /** Faults raised and not cleared, the latest last. */
  readonly faults: readonly ConnectorFault[];
  /** Held Unavailable by the charge point itself once not in use (a firmware update waiting, errata 3.49). */
  readonly maintenance: boolean;
}

export const idleConnector: ConnectorFacts = {
  plugged: false,
  preparing: false,
  transaction: undefined,
  finishing: false,
  reserved: false,
  operative: true,
  wantedOperative: true,
  faults: [],
  maintenance: false,
};

/**
 * The status of connector > 0 (§4.9). A blocking fault wins (from any state, §4.9 x9), then
 * Unavailable, the transaction, Finishing, Reserved, Preparing.
 */
export function statusOf(facts: ConnectorFacts): ChargePointStatus {
  if (blockingFault(facts) !== undefined) return 'Faulted';
  if (!facts.operative) return 'Unavailable';
  if (facts.transaction !== undefined) {
    if (facts.transaction.evSuspended) return 'SuspendedEV';
    return facts.transaction.evseSuspended ? 'SuspendedEVSE' : 'Charging';
  }
  if (facts.finishing) return 'Finishing';
  if (facts.reserved) return 'Reserved';
  return facts.plugged || facts.preparing ? 'Preparing' : 'Available';
}

/** The fault a StatusNotification reports: the latest blocking one, else the latest warning. */
export function reportedFault(facts: ConnectorFacts): ConnectorFault | undefined {
  return blockingFault(facts) ?? facts.faults.at(-1);
}

function blockingFault(facts: ConnectorFacts): ConnectorFault | undefined {
  return facts.faults.findLast((fault) => fault.blocking !== false);
}

/**
 * In use: a transaction, or a user who has started or not yet finished with the connector
 * (plugged, authorized, reserved). Going Unavailable then waits (§5.2 Scheduled).
 */
export function inUse(facts: ConnectorFacts): boolean {
  return (
    facts.transaction !== undefined ||
    facts.finishing ||
    facts.preparing ||
    facts.plugged ||
    facts.reserved
  );
}

/**
 * Settles the availability: a wanted change comes into force unless it is Inoperative and the
 * connector is in use (§4.9 C8/D8/E8/F8/G8: it becomes Unavailable when the use ends).
 */
export function settle(facts: ConnectorFacts): ConnectorFacts {
  const wanted = facts.wantedOperative && !facts.maintenance;
  if (facts.operative === wanted) return facts;
  if (!wanted && inUse(facts)) return facts;
  return { ...facts, operative: wanted };
}

/**
 * The transitions of the §4.9 table for connectors > 0 (with errata 3.20: Preparing to
 * Finishing, B6). From Faulted a connector returns to any state (I1-I8).
 */
export const allowedTransitions: Readonly<Record<ChargePointStatus, readonly ChargePointStatus[]>> =
  {
    Available: [
      'Preparing',
      'Charging',
      'SuspendedEV',
      'SuspendedEVSE',
      'Reserved',
      'Unavailable',
      'Faulted',
    ],
    Preparing: ['Available', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Faulted'],
    Charging: ['Available', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
    SuspendedEV: ['Available', 'Charging', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
    SuspendedEVSE: ['Available', 'Charging', 'SuspendedEV', 'Finishing', 'Unavailable', 'Faulted'],
    Finishing: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
    Reserved: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
    Unavailable: ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Faulted'],
    Faulted: [
      'Available',
      'Preparing',
      'Charging',
      'SuspendedEV',
      'SuspendedEVSE',
      'Finishing',
      'Reserved',
      'Unavailable',
    ],
  };

const transactionStatuses = new Set<ChargePointStatus>([
  'Charging',
  'SuspendedEV',
  'SuspendedEVSE',
]);

/**
 * The statuses to report to go from `from` to `to` along the table: `[to]` when the step is
 * allowed, else the shortest allowed path (e.g. Reserved -> Preparing -> Charging when the
 * reserved idTag is presented at a plugged connector). Empty when nothing changed.
 */
export function transitionPath(
  from: ChargePointStatus,
  to: ChargePointStatus,
): ChargePointStatus[] {
  if (from === to) return [];
  const previous = new Map<ChargePointStatus, ChargePointStatus>([[from, from]]);
  const frontier: ChargePointStatus[] = [from];
  // Ties go through the state a real connector passes: Preparing before a transaction starts,
  // Available otherwise (a use that ended).
  const via: ChargePointStatus = transactionStatuses.has(to) ? 'Preparing' : 'Available';
  while (frontier.length > 0) {
    const status = frontier.shift() as ChargePointStatus;
    const steps = allowedTransitions[status];
    for (const nextStatus of steps.includes(via)
      ? [via, ...steps.filter((s) => s !== via)]
      : steps) {
      if (previous.has(nextStatus)) continue;
      previous.set(nextStatus, status);
      if (nextStatus === to) {
        const path: ChargePointStatus[] = [to];
        for (let at = status; at !== from; at = previous.get(at) as ChargePointStatus)
          path.unshift(at);
        return path;
      }
      frontier.push(nextStatus);
    }
  }
  // Unreachable: Faulted reaches every state and every state reaches Faulted.
  return [to];
}
