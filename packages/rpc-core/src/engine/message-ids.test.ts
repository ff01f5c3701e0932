import { ocpp16 } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import { decodeFrame } from './frame.js';
import { RpcSession } from './session.js';

/** A session that answers every Heartbeat it writes and records the ids. */
function answeringSession(messageIdPrefix?: string) {
  const session = new RpcSession({
    protocol: ocpp16,
    side: 'ChargePoint',
    identity: 'CP1',
    ...(messageIdPrefix === undefined ? {} : { messageIdPrefix }),
  });
  const ids: string[] = [];
  session.attach({
    send: (text) => {
      const frame = decodeFrame(text);
      if (frame.kind !== 'call') throw new Error(`not a CALL: ${text}`);
      ids.push(frame.id);
      queueMicrotask(() =>
        session.receive(`[3,"${frame.id}",{"currentTime":"2026-01-01T00:00:00Z"}]`),
      );
    },
    close: () => {},
  });
  return { session, ids };
}

/** Sends `count` Heartbeats from a fresh session and returns the ids it wrote. */
async function idsOf(count: number, messageIdPrefix?: string): Promise<string[]> {
  const { session, ids } = answeringSession(messageIdPrefix);
  for (let i = 0; i < count; i++) await session.call('Heartbeat', {});
  session.close();
  return ids;
}

describe('message ids (OCPP-J 1.6 §4.1.4, errata 3.1/3.7)', () => {
  test('the default prefix is 8 random base64url characters, then a base-36 counter', async () => {
    const ids = await idsOf(40);
    const prefix = ids[0]?.slice(0, 8) ?? '';
    expect(prefix).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(ids.map((id) => id.slice(8))).toEqual(
      Array.from({ length: 40 }, (_, i) => (i + 1).toString(36)),
    );
    expect(ids.every((id) => id.startsWith(prefix))).toBe(true);
  });

  test('each session draws its own prefix, so ids do not repeat across restarts', async () => {
    const prefixes = new Set<string>();
    for (let i = 0; i < 20; i++) prefixes.add((await idsOf(1))[0]?.slice(0, 8) ?? '');
    expect(prefixes.size).toBe(20);
  });

  test('messageIdPrefix replaces the random prefix', async () => {
    expect(await idsOf(2, 'cp1.boot~')).toEqual(['cp1.boot~1', 'cp1.boot~2']);
  });

  test('a caller-chosen messageId is sent as it is, and the counter is not advanced', async () => {
    const { session, ids } = answeringSession('p');
    await session.call('Heartbeat', {}, { messageId: 'tx-queue:000042' });
    await session.call('Heartbeat', {});
    expect(ids).toEqual(['tx-queue:000042', 'p1']);
    session.close();
  });

  test.each([
    ['empty', ''],
    ['37 characters', 'a'.repeat(37)],
    ['a quote that would break the frame', 'a"b'],
    ['a space', 'a b'],
  ])(
    'a messageId that is %s is refused with InvalidOptions before anything is sent',
    async (_, messageId) => {
      const { session, ids } = answeringSession();
      await expect(session.call('Heartbeat', {}, { messageId })).rejects.toMatchObject({
        code: 'InvalidOptions',
      });
      expect(ids).toEqual([]);
      session.close();
    },
  );
});
