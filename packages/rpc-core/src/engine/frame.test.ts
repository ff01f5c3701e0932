import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { badMessageReasons } from './events.js';
import { decodeFrame, encodeCall, encodeCallError, encodeResult } from './frame.js';

interface Row {
  readonly frame: string;
  readonly example: string;
  readonly reason: string | undefined;
  readonly reply: string | undefined;
}

/** The README's malformed-frame table, one row per frame; `—` cells become `undefined`. */
function readmeRows(): Row[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Malformed frames'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| frame')));
  const code = (cell: string) => (cell === '—' ? undefined : cell.replace(/^`|`$/g, ''));
  return table
    .split('\n')
    .filter(
      (line) => line.startsWith('| ') && !line.startsWith('| frame') && !line.startsWith('| -'),
    )
    .map((line) => {
      const [frame = '', example = '', reason = '', reply = ''] = line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim());
      return { frame, example: code(example) ?? '', reason: code(reason), reply: code(reply) };
    });
}

/** Rows the session decides with its state; `decodeFrame` sees a well-formed frame there. */
const sessionReasons = new Set(['duplicateMessageId', 'incomingQueueFull']);

describe('decodeFrame: the README malformed-frame table (OCPP-J 1.6 §4.1.3, §4.1.4, §4.2)', () => {
  const rows = readmeRows();

  it('covers every bad-message reason of the catalogue, and only those', () => {
    const named = new Set(rows.flatMap((row) => (row.reason === undefined ? [] : [row.reason])));
    expect([...named].sort()).toEqual([...badMessageReasons].sort());
  });

  it.each(rows.map((row) => [row.frame, row] as const))('%s', (_frame, row) => {
    const decoded = decodeFrame(row.example);
    if (row.reason === undefined || sessionReasons.has(row.reason)) {
      expect(decoded.kind).not.toBe('malformed');
      return;
    }
    if (decoded.kind !== 'malformed') throw new Error(`${row.example} decoded as ${decoded.kind}`);
    expect(decoded.reason).toBe(row.reason);
    if (row.reply === undefined) {
      expect(decoded.reply).toBeUndefined();
    } else {
      const [type, id, code, description, details] = JSON.parse(decoded.reply ?? 'null');
      expect([type, id, code, details]).toEqual([4, decoded.messageId, row.reply, {}]);
      expect(description).toBe(decoded.description);
    }
  });
});

describe('decodeFrame: well-formed frames', () => {
  it('CALL with a null payload is handled as {} (OCPP-J 1.6 §4.2.1)', () => {
    expect(decodeFrame('[2,"1","Heartbeat",null]')).toEqual({
      kind: 'call',
      id: '1',
      action: 'Heartbeat',
      payload: {},
    });
  });

  it('CALLRESULT with a null payload is {} (OCPP-J 1.6 §4.2.2)', () => {
    expect(decodeFrame('[3,"1",null]')).toEqual({ kind: 'result', id: '1', payload: {} });
  });

  it('CALLERROR keeps the code as sent and null details become {} (OCPP-J 1.6 §4.2.3)', () => {
    expect(decodeFrame('[4,"1","FormatViolation","bad",null]')).toEqual({
      kind: 'error',
      id: '1',
      code: 'FormatViolation',
      description: 'bad',
      details: {},
    });
  });

  it('a CALLRESULT id is not length-checked: only the outstanding call can match it', () => {
    const id = 'x'.repeat(40);
    expect(decodeFrame(`[3,"${id}",{}]`)).toMatchObject({ kind: 'result', id });
  });

  it('a malformed answer keeps its type and id so the outstanding call can fail', () => {
    expect(decodeFrame('[3,"7"]')).toMatchObject({
      kind: 'malformed',
      reason: 'missingElements',
      messageType: 3,
      messageId: '7',
      reply: undefined,
    });
  });
});

describe('encoders', () => {
  it('round-trip through decodeFrame', () => {
    expect(decodeFrame(encodeCall('p1', '"Heartbeat"', '{}'))).toEqual({
      kind: 'call',
      id: 'p1',
      action: 'Heartbeat',
      payload: {},
    });
    expect(decodeFrame(encodeResult('a"\n', '{"x":1}'))).toEqual({
      kind: 'result',
      id: 'a"\n',
      payload: { x: 1 },
    });
    expect(decodeFrame(encodeCallError('1', 'NotSupported', 'no "quote"', { a: 1 }))).toEqual({
      kind: 'error',
      id: '1',
      code: 'NotSupported',
      description: 'no "quote"',
      details: { a: 1 },
    });
  });

  it('errorDetails that are no JSON object become {} (OCPP-J 1.6 §4.2.3)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const details of [cyclic, [1], 'text', 10n, null]) {
      expect(encodeCallError('1', 'GenericError', 'x', details)).toBe(
        '[4,"1","GenericError","x",{}]',
      );
    }
  });
});
