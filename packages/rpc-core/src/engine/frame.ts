import type { CallErrorCode } from '../errors.js';
import type { BadMessageReason } from './events.js';

// OCPP-J 1.6 §4.1.3 Table 2.
export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;
/** OCPP-J 1.6 §4.1.4 Table 3: message ids are strings of at most 36 characters. */
export const maxMessageIdLength = 36;

/** `[2, id, action, payload]`; a `null` payload is already `{}` (OCPP-J §4.2.1). */
export interface DecodedCall {
  readonly kind: 'call';
  readonly id: string;
  readonly action: string;
  readonly payload: object;
}

/** `[3, id, payload]`; a `null` payload is already `{}` (OCPP-J §4.2.2). */
export interface DecodedResult {
  readonly kind: 'result';
  readonly id: string;
  readonly payload: object;
}

/** `[4, id, code, description, details]`, the code as sent; `null` details are already `{}`. */
export interface DecodedError {
  readonly kind: 'error';
  readonly id: string;
  readonly code: string;
  readonly description: string;
  readonly details: object;
}

/** A frame that is not a valid OCPP-J message (the malformed-frame table in the README). */
export interface MalformedFrame {
  readonly kind: 'malformed';
  readonly reason: BadMessageReason;
  /** What is wrong, in words, citing the spec. */
  readonly description: string;
  /** 2, 3 or 4 when the frame is an array starting with one of them. */
  readonly messageType: 2 | 3 | 4 | undefined;
  /** The frame's message id, when it is a string. */
  readonly messageId: string | undefined;
  /** The CALLERROR frame to send back, when the frame is a CALL whose id can be echoed. */
  readonly reply: string | undefined;
}

export type DecodedFrame = DecodedCall | DecodedResult | DecodedError | MalformedFrame;

function malformed(
  reason: BadMessageReason,
  description: string,
  messageType: 2 | 3 | 4 | undefined,
  messageId: string | undefined,
  replyCode?: CallErrorCode,
): MalformedFrame {
  const reply =
    replyCode === undefined || messageId === undefined
      ? undefined
      : encodeCallError(messageId, replyCode, description);
  return { kind: 'malformed', reason, description, messageType, messageId, reply };
}

function isObjectPayload(value: unknown): value is object | null {
  return value === null || (typeof value === 'object' && !Array.isArray(value));
}

/**
 * One text frame as the OCPP-J message it is, or why it is none. Pure: what to do about a
 * well-formed frame (duplicate ids, unknown actions, late answers) is the session's business.
 */
export function decodeFrame(text: string): DecodedFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return malformed('invalidJson', 'The frame is not JSON', undefined, undefined);
  }
  if (!Array.isArray(frame)) {
    return malformed(
      'notAnArray',
      'An OCPP-J message is a JSON array (OCPP-J 4.1.3)',
      undefined,
      undefined,
    );
  }
  const type = frame[0];
  if (type !== CALL && type !== CALLRESULT && type !== CALLERROR) {
    // OCPP-J §4.1.3: a message type not in Table 2 is ignored.
    return malformed(
      'unknownMessageType',
      'The message type is not 2, 3 or 4 (OCPP-J 4.1.3)',
      undefined,
      undefined,
    );
  }
  const id = frame[1];
  if (typeof id !== 'string') {
    return malformed(
      'invalidMessageId',
      'The message id must be a string (OCPP-J 4.1.4)',
      type,
      undefined,
    );
  }
  if (type === CALL) return decodeCall(frame, id);
  if (type === CALLRESULT) return decodeResult(frame, id);
  return decodeError(frame, id);
}

function decodeCall(frame: unknown[], id: string): DecodedCall | MalformedFrame {
  if (id.length > maxMessageIdLength) {
    return malformed(
      'messageIdTooLong',
      `Message id is longer than ${maxMessageIdLength} characters (OCPP-J 4.1.4)`,
      CALL,
      id,
      'FormationViolation',
    );
  }
  if (frame.length !== 4) {
    const description = `A CALL has 4 elements [2, id, action, payload], got ${frame.length} (OCPP-J 4.2.1)`;
    return frame.length < 4
      ? malformed('missingElements', description, CALL, id, 'ProtocolError')
      : malformed('extraElements', description, CALL, id, 'FormationViolation');
  }
  const action = frame[2];
  if (typeof action !== 'string') {
    return malformed(
      'invalidAction',
      'The action of a CALL must be a string (OCPP-J 4.2.1)',
      CALL,
      id,
      'FormationViolation',
    );
  }
  const payload = frame[3];
  if (!isObjectPayload(payload)) {
    return malformed(
      'invalidPayload',
      'The payload of a CALL must be a JSON object (OCPP-J 4.2.1)',
      CALL,
      id,
      'FormationViolation',
    );
  }
  // OCPP-J §4.2.1: "If there is no payload JSON allows for two different notations: null or {}".
  return { kind: 'call', id, action, payload: payload ?? {} };
}

function decodeResult(frame: unknown[], id: string): DecodedResult | MalformedFrame {
  if (frame.length !== 3) {
    return malformed(
      frame.length < 3 ? 'missingElements' : 'extraElements',
      `A CALLRESULT has 3 elements [3, id, payload], got ${frame.length} (OCPP-J 4.2.2)`,
      CALLRESULT,
      id,
    );
  }
  const payload = frame[2];
  if (!isObjectPayload(payload)) {
    return malformed(
      'invalidPayload',
      'The payload of a CALLRESULT must be a JSON object (OCPP-J 4.2.2)',
      CALLRESULT,
      id,
    );
  }
  return { kind: 'result', id, payload: payload ?? {} };
}

function decodeError(frame: unknown[], id: string): DecodedError | MalformedFrame {
  if (frame.length !== 5) {
    return malformed(
      frame.length < 5 ? 'missingElements' : 'extraElements',
      `A CALLERROR has 5 elements [4, id, code, description, details], got ${frame.length} (OCPP-J 4.2.3)`,
      CALLERROR,
      id,
    );
  }
  const [, , code, description, details] = frame;
  if (typeof code !== 'string') {
    return malformed(
      'invalidErrorCode',
      'The errorCode of a CALLERROR must be a string (OCPP-J 4.2.3)',
      CALLERROR,
      id,
    );
  }
  if (typeof description !== 'string') {
    return malformed(
      'invalidErrorDescription',
      'The errorDescription of a CALLERROR must be a string (OCPP-J 4.2.3)',
      CALLERROR,
      id,
    );
  }
  if (!isObjectPayload(details)) {
    return malformed(
      'invalidErrorDetails',
      'The errorDetails of a CALLERROR must be a JSON object (OCPP-J 4.2.3)',
      CALLERROR,
      id,
    );
  }
  return { kind: 'error', id, code, description, details: details ?? {} };
}

/**
 * `[2, id, action, payload]` from an id the session drew (no escaping needed: its prefix and
 * counter are URL-safe), the action already quoted and the payload already serialised.
 */
export function encodeCall(id: string, quotedAction: string, payloadJson: string): string {
  return `[2,"${id}",${quotedAction},${payloadJson}]`;
}

/** `[3, id, payload]`; the peer's id is escaped, the payload already serialised. */
export function encodeResult(id: string, payloadJson: string): string {
  return `[3,${JSON.stringify(id)},${payloadJson}]`;
}

/**
 * `[4, id, code, description, details]`. `details` that do not serialise to a JSON object
 * become `{}`: errorDetails must be an object (OCPP-J 4.2.3).
 */
export function encodeCallError(
  id: string,
  code: CallErrorCode,
  description: string,
  details?: unknown,
): string {
  let detailsJson = '{}';
  if (details !== undefined && details !== null) {
    try {
      const json = JSON.stringify(details);
      if (json !== undefined && json.charCodeAt(0) === 123) detailsJson = json;
    } catch {
      // Unserialisable details (a cycle, a BigInt) fall back to {} rather than losing the reply.
    }
  }
  return `[4,${JSON.stringify(id)},"${code}",${JSON.stringify(description)},${detailsJson}]`;
}
