import { expect, test } from 'vitest';
import { runExchange } from './exchange.js';

test('quickstart: typed calls both ways over profile 1; an invalid payload is refused locally, then by the peer with a CALLERROR (OCPP-J 4.2.3)', async () => {
  const lines: string[] = [];
  await runExchange((line) => lines.push(line));
  const frames = lines
    .filter((line) => /^ {2}C[PS] -> C[PS] {2}\[/.test(line))
    .map((line) => JSON.parse(line.slice(12)) as unknown[]);
  expect(
    frames.map((frame) => frame.slice(0, 1).concat(frame.length === 4 ? [frame[2]] : [])),
  ).toEqual([
    [2, 'BootNotification'],
    [3],
    [2, 'Heartbeat'],
    [3],
    [2, 'Reset'],
    [3],
    [2, 'StatusNotification'],
    [4],
  ]);
  expect(frames[1]?.[2]).toMatchObject({ status: 'Accepted', interval: 300 });
  expect(frames[5]?.[2]).toEqual({ status: 'Accepted' });
  expect(frames[7]?.[2]).toBe('PropertyConstraintViolation');
  expect(lines).toContain(
    "  => RpcError InvalidOutgoingPayload: 'BootNotification' request is invalid: /chargePointModel is required; fix the payload to match the schema",
  );
  expect(lines.at(-1)).toBe('\nClosed.');
});
