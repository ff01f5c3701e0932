import type { ChargePointStatus } from '@ocpp-kit/messages';
import { chargePointStatusValues } from '@ocpp-kit/messages';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allowedTransitions,
  type ConnectorFacts,
  idleConnector,
  settle,
  statusOf,
  transitionPath,
} from './connector-status.js';

const charging = { evSuspended: false, evseSuspended: false };
const at = (change: Partial<ConnectorFacts>) => statusOf(settle({ ...idleConnector, ...change }));

describe('connector status (§4.9)', () => {
  test.each<[string, Partial<ConnectorFacts>, ChargePointStatus]>([
    ['A: nothing going on', {}, 'Available'],
    ['A2: a cable is plugged in', { plugged: true }, 'Preparing'],
    ['A2: an idTag is accepted before the plug', { preparing: true }, 'Preparing'],
    ['B3: the transaction charges', { plugged: true, transaction: charging }, 'Charging'],
    [
      'C4: the EV suspends',
      { plugged: true, transaction: { ...charging, evSuspended: true } },
      'SuspendedEV',
    ],
    [
      'C5: the EVSE suspends',
      { plugged: true, transaction: { ...charging, evseSuspended: true } },
      'SuspendedEVSE',
    ],
    ['C6: stopped, the cable still in', { plugged: true, finishing: true }, 'Finishing'],
    ['A7: reserved', { reserved: true }, 'Reserved'],
    ['A8: set Inoperative', { wantedOperative: false }, 'Unavailable'],
    ['A9: a blocking fault', { faults: [{ errorCode: 'GroundFailure' }] }, 'Faulted'],
    [
      'a warning keeps the status',
      {
        plugged: true,
        transaction: charging,
        faults: [{ errorCode: 'HighTemperature', blocking: false }],
      },
      'Charging',
    ],
    [
      '§5.2 Scheduled: Inoperative waits for the transaction',
      { plugged: true, transaction: charging, wantedOperative: false },
      'Charging',
    ],
    [
      'Faulted with a transaction running',
      { plugged: true, transaction: charging, faults: [{ errorCode: 'OverCurrentFailure' }] },
      'Faulted',
    ],
  ])('%s -> %s', (_, change, status) => {
    expect(at(change)).toBe(status);
  });

  test('C8: the transaction ends with the connector scheduled Unavailable: Unavailable, directly', () => {
    const running = settle({
      ...idleConnector,
      plugged: true,
      transaction: charging,
      wantedOperative: false,
    });
    const ended = settle({ ...running, plugged: false, transaction: undefined });
    expect(transitionPath(statusOf(running), statusOf(ended))).toEqual(['Unavailable']);
  });

  test('a step the table lacks is reported through the shortest allowed path', () => {
    // G2 then B3: the reserved idTag presented at a plugged connector.
    expect(transitionPath('Reserved', 'Charging')).toEqual(['Preparing', 'Charging']);
    expect(transitionPath('Preparing', 'Unavailable')).toEqual(['Available', 'Unavailable']);
    expect(transitionPath('Finishing', 'Charging')).toEqual(['Preparing', 'Charging']);
    expect(transitionPath('Charging', 'Charging')).toEqual([]);
  });

  test('errata 3.20: Preparing to Finishing (B6) is allowed; Faulted returns to any state (I1-I8)', () => {
    expect(allowedTransitions.Preparing).toContain('Finishing');
    expect(new Set(allowedTransitions.Faulted)).toEqual(
      new Set(chargePointStatusValues.filter((s) => s !== 'Faulted')),
    );
  });

  test('property: every path step is a transition of the table, and the path ends at the target', () => {
    const status = fc.constantFrom(...chargePointStatusValues);
    fc.assert(
      fc.property(status, status, (from, to) => {
        const path = transitionPath(from, to);
        let at = from;
        for (const step of path) {
          expect(allowedTransitions[at]).toContain(step);
          at = step;
        }
        expect(at).toBe(to);
        expect(path.length).toBeLessThanOrEqual(3);
      }),
    );
  });
});
