import { ocpp16 } from '@ocpp-kit/messages';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CallErrorCode } from '../errors.js';
import type { BadMessageReason, RpcSessionEvents } from './events.js';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';

const now = '2026-01-01T00:00:00.000Z';

/** A central system session whose peer is this test, writing raw frames. */
function centralSystem() {
  const sent: string[] = [];
  const bad: RpcSessionEvents['badMessage'][] = [];
  const late: RpcSessionEvents['lateResult'][] = [];
  const router = createRouter(ocpp16, 'CentralSystem')
    .on('Heartbeat', () => ({ currentTime: now }))
    .on('BootNotification', () => ({ status: 'Accepted', currentTime: now, interval: 300 }))
    .on('StatusNotification', () => ({}))
    .on('MeterValues', () => ({}));
  const session = new RpcSession({
    protocol: ocpp16,
    side: 'CentralSystem',
    identity: 'CP1',
    router,
  });
  session.attach({ send: (text) => sent.push(text), close: () => {} });
  session.on('badMessage', (event) => bad.push(event));
  session.on('lateResult', (event) => late.push(event));
  return { session, sent, bad, late };
}

interface Case {
  readonly spec: string;
  readonly name: string;
  readonly frame: string;
  /** The CALLERROR sent back as [id, code], or `undefined` when nothing may be sent. */
  readonly reply: readonly [string, CallErrorCode] | undefined;
  readonly bad: BadMessageReason | undefined;
}

const id37 = 'x'.repeat(37);
const malformed: Case[] = [
  {
    spec: '4.1.2',
    name: 'text that is not JSON is dropped',
    frame: '[2,"a","Heartbeat",{}',
    reply: undefined,
    bad: 'invalidJson',
  },
  {
    spec: '4.1.2',
    name: 'an empty frame is dropped',
    frame: '',
    reply: undefined,
    bad: 'invalidJson',
  },
  {
    spec: '4.2',
    name: 'a JSON object instead of an array is dropped',
    frame: '{"0":2}',
    reply: undefined,
    bad: 'notAnArray',
  },
  {
    spec: '4.2',
    name: 'a JSON string is dropped',
    frame: '"[2]"',
    reply: undefined,
    bad: 'notAnArray',
  },
  { spec: '4.2', name: 'JSON null is dropped', frame: 'null', reply: undefined, bad: 'notAnArray' },
  {
    spec: '4.1.3',
    name: 'an empty array has no message type and is ignored',
    frame: '[]',
    reply: undefined,
    bad: 'unknownMessageType',
  },
  {
    spec: '4.1.3',
    name: 'message type 5 is ignored',
    frame: '[5,"a","Heartbeat",{}]',
    reply: undefined,
    bad: 'unknownMessageType',
  },
  {
    spec: '4.1.3',
    name: 'message type "2" (a string) is ignored',
    frame: '["2","a","Heartbeat",{}]',
    reply: undefined,
    bad: 'unknownMessageType',
  },
  {
    spec: '4.1.4',
    name: 'a CALL whose id is a number cannot be answered',
    frame: '[2,7,"Heartbeat",{}]',
    reply: undefined,
    bad: 'invalidMessageId',
  },
  {
    spec: '4.1.4',
    name: 'a CALL whose id is null cannot be answered',
    frame: '[2,null,"Heartbeat",{}]',
    reply: undefined,
    bad: 'invalidMessageId',
  },
  {
    spec: '4.1.4',
    name: 'a CALL without an id cannot be answered',
    frame: '[2]',
    reply: undefined,
    bad: 'invalidMessageId',
  },
  {
    spec: '4.1.4 + 4.2.3',
    name: 'an id over 36 characters gets FormationViolation',
    frame: `[2,"${id37}","Heartbeat",{}]`,
    reply: [id37, 'FormationViolation'],
    bad: 'messageIdTooLong',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a CALL without payload is incomplete: ProtocolError',
    frame: '[2,"a","Heartbeat"]',
    reply: ['a', 'ProtocolError'],
    bad: 'missingElements',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a CALL without action is incomplete: ProtocolError',
    frame: '[2,"a"]',
    reply: ['a', 'ProtocolError'],
    bad: 'missingElements',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a CALL with a fifth element breaks the PDU structure: FormationViolation',
    frame: '[2,"a","Heartbeat",{},{}]',
    reply: ['a', 'FormationViolation'],
    bad: 'extraElements',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a non-string action: FormationViolation',
    frame: '[2,"a",7,{}]',
    reply: ['a', 'FormationViolation'],
    bad: 'invalidAction',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'an array payload: FormationViolation',
    frame: '[2,"a","Heartbeat",[]]',
    reply: ['a', 'FormationViolation'],
    bad: 'invalidPayload',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a string payload: FormationViolation',
    frame: '[2,"a","Heartbeat","{}"]',
    reply: ['a', 'FormationViolation'],
    bad: 'invalidPayload',
  },
  {
    spec: '4.2.1 + 4.2.3',
    name: 'a number payload: FormationViolation',
    frame: '[2,"a","Heartbeat",0]',
    reply: ['a', 'FormationViolation'],
    bad: 'invalidPayload',
  },
  {
    spec: '4.2.3 Table 7',
    name: 'an unknown action: NotImplemented',
    frame: '[2,"a","Teleport",{}]',
    reply: ['a', 'NotImplemented'],
    bad: undefined,
  },
  {
    spec: '4.2.3 Table 7',
    name: 'action "__proto__" is unknown, not a prototype: NotImplemented',
    frame: '[2,"a","__proto__",{}]',
    reply: ['a', 'NotImplemented'],
    bad: undefined,
  },
  {
    spec: '4.2.3 Table 7',
    name: 'action "constructor" is unknown: NotImplemented',
    frame: '[2,"a","constructor",{}]',
    reply: ['a', 'NotImplemented'],
    bad: undefined,
  },
  {
    spec: '4.2.3 Table 7',
    name: 'a known action this side never receives (Reset at a central system): NotSupported',
    frame: '[2,"a","Reset",{"type":"Soft"}]',
    reply: ['a', 'NotSupported'],
    bad: undefined,
  },
  {
    spec: '4.2.3 Table 7',
    name: 'a received action without a handler (Authorize): NotSupported',
    frame: '[2,"a","Authorize",{"idTag":"T1"}]',
    reply: ['a', 'NotSupported'],
    bad: undefined,
  },
  {
    spec: '4.1.4',
    name: 'a CALLRESULT whose id is not a string is dropped',
    frame: '[3,1,{}]',
    reply: undefined,
    bad: 'invalidMessageId',
  },
  {
    spec: '4.1.4',
    name: 'a CALLERROR whose id is not a string is dropped',
    frame: '[4,{},"GenericError","",{}]',
    reply: undefined,
    bad: 'invalidMessageId',
  },
];

describe('RpcSession.receive: malformed frames (OCPP-J 4.1-4.2.3)', () => {
  for (const c of malformed) {
    test(`OCPP-J ${c.spec}: ${c.name}`, () => {
      const { session, sent, bad } = centralSystem();
      expect(() => session.receive(c.frame)).not.toThrow();
      if (c.reply === undefined) {
        expect(sent).toEqual([]);
      } else {
        expect(sent).toHaveLength(1);
        const reply = JSON.parse(sent[0] as string) as unknown[];
        expect(reply.slice(0, 3)).toEqual([4, c.reply[0], c.reply[1]]);
        expect(typeof reply[3]).toBe('string');
        expect(reply[4]).toEqual({});
      }
      expect(bad.map((event) => event.reason)).toEqual(c.bad === undefined ? [] : [c.bad]);
      expect(session.badMessageCount).toBe(c.bad === undefined ? 0 : 1);
      if (c.bad !== undefined) expect(bad[0]?.replied).toBe(c.reply !== undefined);
    });
  }
});

describe('RpcSession.receive: well-formed CALLs', () => {
  test('OCPP-J 4.2.1 + 4.2.2: a valid CALL gets its CALLRESULT with the same id', () => {
    const { session, sent } = centralSystem();
    session.receive(
      '[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]',
    );
    expect(JSON.parse(sent[0] as string)).toEqual([
      3,
      '19223201',
      { status: 'Accepted', currentTime: now, interval: 300 },
    ]);
  });

  test('OCPP-J 4.1.4: an id of exactly 36 characters is accepted', () => {
    const { session, sent } = centralSystem();
    const id = 'y'.repeat(36);
    session.receive(`[2,"${id}","Heartbeat",{}]`);
    expect(JSON.parse(sent[0] as string)).toEqual([3, id, { currentTime: now }]);
  });

  test('OCPP-J 4.2.1: a null payload means "no payload" and is handled as {}', () => {
    const { session, sent } = centralSystem();
    session.receive('[2,"h","Heartbeat",null]');
    expect(JSON.parse(sent[0] as string)).toEqual([3, 'h', { currentTime: now }]);
  });

  test('OCPP-J 4.1.4: an id with quotes, backslashes and control characters is echoed exactly', () => {
    const { session, sent } = centralSystem();
    const id = 'a"b\\c\n\u0001';
    session.receive(JSON.stringify([2, id, 'Heartbeat', {}]));
    expect(JSON.parse(sent[0] as string)).toEqual([3, id, { currentTime: now }]);
  });

  test('OCPP-J 4.2.3: a second CALL with the id of one still being handled gets GenericError; the first still completes', async () => {
    const sent: string[] = [];
    let finish: (() => void) | undefined;
    const router = createRouter(ocpp16, 'CentralSystem').on(
      'Heartbeat',
      () =>
        new Promise<{ currentTime: string }>((resolve) => {
          finish = () => resolve({ currentTime: now });
        }),
    );
    const session = new RpcSession({
      protocol: ocpp16,
      side: 'CentralSystem',
      identity: 'CP1',
      router,
    });
    session.attach({ send: (text) => sent.push(text), close: () => {} });
    session.receive('[2,"dup","Heartbeat",{}]');
    session.receive('[2,"dup","Heartbeat",{}]');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0] as string).slice(0, 3)).toEqual([4, 'dup', 'GenericError']);
    expect(session.badMessageCount).toBe(1);
    finish?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(sent[1] as string)).toEqual([3, 'dup', { currentTime: now }]);
    // Once answered, the id may be used again (uniqueness is the sender's duty, OCPP-J 4.1.4).
    session.receive('[2,"dup","Heartbeat",{}]');
    finish?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(sent[2] as string)).toEqual([3, 'dup', { currentTime: now }]);
  });
});

describe('RpcSession.receive: JSON edge cases', () => {
  test('OCPP-J 4.2.3: a "__proto__" key in a payload is an unknown property (FormationViolation), not a prototype', () => {
    const { session, sent } = centralSystem();
    session.receive(
      '[2,"p","BootNotification",{"chargePointVendor":"V","chargePointModel":"M","__proto__":{"polluted":true}}]',
    );
    const reply = JSON.parse(sent[0] as string) as unknown[];
    expect(reply.slice(0, 3)).toEqual([4, 'p', 'FormationViolation']);
    expect(reply[3]).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('OCPP-J 4.2.3: a number too large for a double (1e400 -> Infinity) is not an integer: TypeConstraintViolation', () => {
    const { session, sent } = centralSystem();
    session.receive(
      '[2,"n","StatusNotification",{"connectorId":1e400,"errorCode":"NoError","status":"Available"}]',
    );
    const reply = JSON.parse(sent[0] as string) as unknown[];
    expect(reply.slice(0, 3)).toEqual([4, 'n', 'TypeConstraintViolation']);
    expect(reply[3]).toContain('/connectorId');
  });

  test('OCPP-J 4.1.4: a CALLRESULT with id "__proto__" or "constructor" is a late result, nothing more', () => {
    const { session, sent, late } = centralSystem();
    session.receive('[3,"__proto__",{}]');
    session.receive('[4,"constructor","GenericError","",{}]');
    expect(sent).toEqual([]);
    expect(late.map((event) => [event.messageId, event.messageType])).toEqual([
      ['__proto__', 3],
      ['constructor', 4],
    ]);
  });

  test('OCPP-J 4.1.2: receive() never throws and only ever answers with well-formed frames, whatever the input', () => {
    const frame = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .tuple(
          fc.constantFrom(2, 3, 4, 5, '2', null),
          fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
          fc.constantFrom(
            'Heartbeat',
            'BootNotification',
            'StatusNotification',
            'Reset',
            'Nope',
            '__proto__',
            5,
          ),
          fc.jsonValue(),
          fc.jsonValue(),
        )
        .chain((t) => fc.integer({ min: 0, max: 5 }).map((n) => JSON.stringify(t.slice(0, n)))),
    );
    fc.assert(
      fc.property(frame, (text) => {
        const { session, sent } = centralSystem();
        session.receive(text);
        for (const out of sent) {
          const reply = JSON.parse(out) as unknown[];
          expect([3, 4]).toContain(reply[0]);
          expect(typeof reply[1]).toBe('string');
          if (reply[0] === 4) {
            expect(reply).toHaveLength(5);
            expect(typeof reply[2]).toBe('string');
            expect(typeof reply[3]).toBe('string');
            expect(reply[4]).toBeTypeOf('object');
          }
        }
        expect(sent.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });
});
