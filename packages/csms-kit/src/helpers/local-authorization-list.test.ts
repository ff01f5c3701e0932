import type { SendLocalListRequest } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { CsmsKitError } from '../errors.js';
import { LocalAuthorizationList } from './local-authorization-list.js';

const accepted = { status: 'Accepted' } as const;

/** Applies SendLocalList.req messages the way a charge point does (§5.15), for round trips. */
function apply(list: Map<string, unknown>, version: number, messages: SendLocalListRequest[]) {
  let current = version;
  for (const m of messages) {
    if (m.updateType === 'Differential' && m.listVersion <= current)
      throw new Error('VersionMismatch');
    if (m.updateType === 'Full') list.clear();
    for (const entry of m.localAuthorizationList ?? []) {
      if (entry.idTagInfo === undefined) list.delete(entry.idTag);
      else list.set(entry.idTag, entry.idTagInfo);
    }
    current = m.listVersion;
  }
  return current;
}

describe('LocalAuthorizationList (§5.15, errata 3.52)', () => {
  test('errata 3.52 versions start at 1, never 0 or -1; an unchanged write keeps the version', () => {
    const list = new LocalAuthorizationList();
    expect(list.version).toBe(0);
    expect(list.set('A', accepted)).toBe(1);
    expect(list.set('A', accepted)).toBe(1);
    expect(list.set('a', { status: 'Blocked' })).toBe(2);
    expect(list.size).toBe(1);
  });

  test('§5.15 a charge point with no list (0) gets Full; one at a known version gets only the changes', () => {
    const list = new LocalAuthorizationList();
    list.replace([
      { idTag: 'A', idTagInfo: accepted },
      { idTag: 'B', idTagInfo: accepted },
      { idTag: 'C', idTagInfo: accepted },
    ]);
    const full = list.updatesFor(0);
    expect(full).toEqual([
      { listVersion: 1, updateType: 'Full', localAuthorizationList: expect.any(Array) },
    ]);
    list.delete('B');
    list.set('D', { status: 'Blocked' });
    expect(list.updatesFor(1)).toEqual([
      {
        listVersion: 3,
        updateType: 'Differential',
        localAuthorizationList: [{ idTag: 'B' }, { idTag: 'D', idTagInfo: { status: 'Blocked' } }],
      },
    ]);
    expect(list.updatesFor(3)).toEqual([]);
  });

  test('§5.15 a version outside the history, or newer than ours, gets Full', () => {
    const list = new LocalAuthorizationList({ history: 2 });
    for (const tag of ['A', 'B', 'C', 'D']) list.set(tag, accepted);
    expect(list.updatesFor(1)[0]?.updateType).toBe('Full');
    expect(list.updatesFor(3)[0]?.updateType).toBe('Differential');
    expect(list.updatesFor(99)[0]?.updateType).toBe('Full');
  });

  test('§6.41 SendLocalListMaxLength splits an update into a Full and Differentials with rising versions', () => {
    const list = new LocalAuthorizationList();
    list.replace(Array.from({ length: 5 }, (_, i) => ({ idTag: `T${i}`, idTagInfo: accepted })));
    const messages = list.updatesFor(0, 2);
    expect(
      messages.map((m) => [m.updateType, m.listVersion, m.localAuthorizationList?.length]),
    ).toEqual([
      ['Full', 2, 2],
      ['Differential', 3, 2],
      ['Differential', 4, 1],
    ]);
    const onCharger = new Map<string, unknown>();
    expect(apply(onCharger, 0, messages)).toBe(list.version);
    expect([...onCharger.keys()].sort()).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
    // An update interrupted after its first message leaves a version that is no base: Full again.
    expect(list.updatesFor(2)[0]?.updateType).toBe('Full');
    expect(list.updatesFor(4)).toEqual([]);
  });

  test('round trip: any sequence of edits brings a charge point at any base to the same list', () => {
    const list = new LocalAuthorizationList({ history: 4 });
    const snapshots = new Map<number, Map<string, unknown>>();
    const tags = ['A', 'B', 'C', 'D', 'E'];
    for (let step = 0; step < 40; step += 1) {
      const tag = tags[(step * 7) % tags.length] as string;
      if (step % 3 === 0) list.delete(tag);
      else list.set(tag, { status: step % 2 === 0 ? 'Accepted' : 'Blocked' });
      snapshots.set(list.version, new Map([...list.entries()].map((e) => [e.idTag, e.idTagInfo])));
      for (const [version, snapshot] of snapshots) {
        const copy = new Map(snapshot);
        const reached = apply(copy, version, list.updatesFor(version));
        if (version !== list.version) expect(reached).toBe(list.version);
        expect(copy).toEqual(new Map([...list.entries()].map((e) => [e.idTag, e.idTagInfo])));
      }
    }
  });

  test('toJSON/restore keeps the versions and the history', () => {
    const list = new LocalAuthorizationList();
    list.set('A', accepted);
    list.set('B', accepted);
    const restored = LocalAuthorizationList.restore(JSON.parse(JSON.stringify(list)));
    expect(restored.version).toBe(2);
    expect(restored.updatesFor(1)).toEqual(list.updatesFor(1));
  });

  test('§6.41 duplicates in a full list and version -1 are refused with CsmsKitError', () => {
    const list = new LocalAuthorizationList();
    expect(() =>
      list.replace([
        { idTag: 'A', idTagInfo: accepted },
        { idTag: 'a', idTagInfo: accepted },
      ]),
    ).toThrow(CsmsKitError);
    expect(() => list.updatesFor(-1)).toThrow(/does not support/);
  });
});
