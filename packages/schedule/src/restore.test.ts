import { describe, expect, test } from 'vitest';
import { ProfileStore, type ScheduleState } from './profile-store.js';
import { at, profile, relative } from './test-support/profiles.js';

const options = { config: { connectors: 2 }, clock: () => at('2024-01-01T10:00:00Z') };

function state(overrides: Partial<ScheduleState>): unknown {
  return {
    format: 'ocpp-kit/schedule-state',
    version: 1,
    profiles: [],
    transactions: [],
    ...overrides,
  };
}

function restoreError(data: unknown): string {
  try {
    ProfileStore.restore(data, options);
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  return 'restored';
}

describe('ProfileStore.restore treats persisted bytes as untrusted (errata 3.37)', () => {
  test('a valid state restores profiles and transactions', () => {
    const s = ProfileStore.restore(
      state({
        transactions: [{ connectorId: 2, startedAt: '2024-01-01T09:00:00Z', transactionId: 4 }],
        profiles: [
          { connectorId: 1, chargingProfile: profile({ chargingProfileId: 1 }) },
          {
            connectorId: 2,
            chargingProfile: relative([{ startPeriod: 0, limit: 6 }], {
              chargingProfileId: 2,
              chargingProfilePurpose: 'TxProfile',
            }),
          },
        ],
      }),
      options,
    );
    expect(s.transactions()).toEqual([
      { connectorId: 2, startedAt: at('2024-01-01T09:00:00Z'), transactionId: 4 },
    ]);
    expect(s.limitAt(2).limit).toBe(6);
  });

  test('profiles that expired while the charge point was down are dropped', () => {
    const s = ProfileStore.restore(
      state({
        profiles: [
          { connectorId: 1, chargingProfile: profile({ validTo: '2024-01-01T09:00:00Z' }) },
        ],
      }),
      options,
    );
    expect(s.profiles()).toEqual([]);
  });

  test.each([
    ['null', null, 'expected an object'],
    ['a string', '{"format":1}', 'expected an object'],
    [
      'another format',
      { format: 'x', version: 1, profiles: [], transactions: [] },
      'expected format',
    ],
    [
      'a future version',
      { format: 'ocpp-kit/schedule-state', version: 2, profiles: [], transactions: [] },
      'version 1',
    ],
    ['profiles not an array', state({ profiles: {} as never }), 'expected arrays'],
    [
      'a transaction on connector 0',
      state({ transactions: [{ connectorId: 0, startedAt: '2024-01-01T09:00:00Z' }] }),
      'transactions[0]',
    ],
    [
      'a transaction with a bad date',
      state({ transactions: [{ connectorId: 1, startedAt: 'yesterday' }] }),
      'transactions[0]',
    ],
    [
      'two transactions on one connector',
      state({
        transactions: [
          { connectorId: 1, startedAt: '2024-01-01T09:00:00Z' },
          { connectorId: 1, startedAt: '2024-01-01T09:00:00Z' },
        ],
      }),
      'transactions[1]',
    ],
    ['a profile entry that is not an object', state({ profiles: [7 as never] }), 'profiles[0]'],
    [
      'a malformed profile',
      state({
        profiles: [{ connectorId: 1, chargingProfile: { chargingProfileId: 'x' } as never }],
      }),
      'profiles[0]: Malformed',
    ],
    [
      'a profile on an unknown connector',
      state({ profiles: [{ connectorId: 9, chargingProfile: profile() }] }),
      'profiles[0]: InvalidConnector',
    ],
    [
      'a TxProfile without its transaction',
      state({
        profiles: [
          {
            connectorId: 1,
            chargingProfile: relative([{ startPeriod: 0, limit: 6 }], {
              chargingProfilePurpose: 'TxProfile',
            }),
          },
        ],
      }),
      'profiles[0]: NoActiveTransaction',
    ],
    [
      'a duplicated chargingProfileId',
      state({
        profiles: [
          { connectorId: 1, chargingProfile: profile() },
          { connectorId: 2, chargingProfile: profile() },
        ],
      }),
      'profiles[1]: duplicates profile 1',
    ],
    [
      'more profiles than MaxChargingProfilesInstalled',
      state({
        profiles: Array.from({ length: 11 }, (_, i) => ({
          connectorId: 1 + (i % 2),
          chargingProfile: profile({ chargingProfileId: i + 1, stackLevel: Math.floor(i / 2) }),
        })),
      }),
      'profiles[10]: TooManyProfiles',
    ],
  ])('rejects %s with INVALID_STATE naming the entry', (_name, data, message) => {
    const error = restoreError(data);
    expect(error.startsWith('INVALID_STATE: ')).toBe(true);
    expect(error).toContain(message);
  });
});
