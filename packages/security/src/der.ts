// A minimal, bounds-checked DER reader: enough of X.690 to take certificates apart for hash data
// (whitepaper §6.1) and chain checks without loading an X.509 library. Every read is validated
// because certificates arrive from the network.
import { SecurityError } from './errors.js';

/** One tag-length-value element inside `bytes`. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

export const derTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

function malformed(what: string): SecurityError {
  return new SecurityError('MALFORMED_CERTIFICATE', `Malformed DER: ${what}`);
}

/** Reads the element starting at `offset`, which must end at or before `limit`. */
function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw malformed(`truncated element at offset ${offset}`);
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw malformed(`multi-byte tag at offset ${offset}`);
  const first = bytes[offset + 1] as number;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, forbidden in DER; 4 bytes already exceed any certificate.
    if (count === 0 || count > 4) throw malformed(`unsupported length form at offset ${offset}`);
    if (offset + 2 + count > limit) throw malformed(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset + 2 + i] as number);
    // X.690 §10.1: DER lengths use the fewest bytes; BER re-encodings of one certificate would
    // otherwise be distinct certificates with one identity.
    if (length < 0x80 || bytes[offset + 2] === 0) {
      throw malformed(`non-minimal length at offset ${offset} (BER, not DER)`);
    }
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw malformed(`element at offset ${offset} overruns its container`);
  return { tag, start: offset, contentStart, end };
}

/**
 * Throws unless every element of `bytes` down to the primitive ones is minimally encoded (DER)
 * and `bytes` is exactly one element.
 */
export function assertDer(bytes: Uint8Array): void {
  const top = readTlv(bytes, 0);
  if (top.end !== bytes.length) throw malformed('trailing bytes after the element');
  const stack = [top];
  for (let tlv = stack.pop(); tlv !== undefined; tlv = stack.pop()) {
    if ((tlv.tag & 0x20) !== 0) stack.push(...children(bytes, tlv));
    else if (tlv.tag === derTag.boolean) {
      const value = bytes[tlv.contentStart];
      if (tlv.end - tlv.contentStart !== 1 || (value !== 0 && value !== 0xff)) {
        throw malformed(`BOOLEAN at offset ${tlv.start} is not DER (00 or FF)`);
      }
    }
  }
}

/** Reads an element and checks its tag. */
export function expectTlv(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  tag: number,
  what: string,
): Tlv {
  const tlv = readTlv(bytes, offset, limit);
  if (tlv.tag !== tag) {
    throw malformed(
      `expected ${what} (tag 0x${tag.toString(16)}), got tag 0x${tlv.tag.toString(16)}`,
    );
  }
  return tlv;
}

/** The children of a constructed element. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** The content bytes of an element (a view, not a copy). */
export function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/** The whole encoding of an element, tag and length included (a view, not a copy). */
export function encoding(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw malformed('empty OBJECT IDENTIFIER');
  const parts: number[] = [];
  let acc = 0;
  for (const byte of value) {
    acc = acc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    }
  }
  const head = parts[0] ?? 0;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...parts.slice(1)].join('.');
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** Decodes a DirectoryString / IA5String value; `undefined` for other tags. */
export function decodeString(tag: number, value: Uint8Array): string | undefined {
  try {
    switch (tag) {
      case derTag.utf8String:
        return utf8.decode(value);
      case derTag.printableString:
      case derTag.ia5String:
      case derTag.teletexString:
        return latin1.decode(value);
      case derTag.bmpString:
        return utf16be.decode(value);
      case derTag.universalString: {
        let out = '';
        for (let i = 0; i + 3 < value.length; i += 4) {
          const view = new DataView(value.buffer, value.byteOffset + i, 4);
          out += String.fromCodePoint(view.getUint32(0));
        }
        return out;
      }
      default:
        return undefined;
    }
  } catch (cause) {
    throw new SecurityError('MALFORMED_CERTIFICATE', 'Malformed DER: undecodable string', {
      cause,
    });
  }
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5: always Zulu, seconds present). */
export function decodeTime(tag: number, value: Uint8Array): Date {
  const text = latin1.decode(value);
  const match =
    tag === derTag.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tag === derTag.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (match === null) throw malformed(`unsupported time value "${text}"`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  // RFC 5280 §4.1.2.5.1: two-digit years >= 50 are 19YY, below 50 are 20YY.
  const year = tag === derTag.utcTime ? ((y as number) >= 50 ? 1900 : 2000) + (y as number) : y;
  return new Date(Date.UTC(year as number, (mo as number) - 1, d, h, mi, s));
}
