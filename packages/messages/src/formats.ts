// Run-time implementations of the JSON-schema formats the OCPP schemas use, called by the
// generated validators. Same acceptance as ajv-formats' "full" mode (checked by
// formats.test.ts), without loading ajv-formats at import time.

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(str: string, i: number): number {
  const c = str.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(str: string, i: number): number {
  const a = digit(str, i);
  const b = digit(str, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

// `T`, `t` or a character JavaScript's `\s` matches (ajv-formats splits on /t|\s/i).
function isSeparator(c: number): boolean {
  return (
    c === 84 ||
    c === 116 ||
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** RFC 3339 §5.6 `date-time` with a mandatory offset, leap years and leap seconds; allocation-free. */
export function isDateTime(str: string): boolean {
  if (str.length < 20) return false;
  const y0 = twoDigits(str, 0);
  const y1 = twoDigits(str, 2);
  const month = twoDigits(str, 5);
  const day = twoDigits(str, 8);
  if (y0 < 0 || y1 < 0 || str.charCodeAt(4) !== 45 || str.charCodeAt(7) !== 45) return false;
  const year = y0 * 100 + y1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > (month === 2 && leap ? 29 : (DAYS[month] as number))) return false;
  if (!isSeparator(str.charCodeAt(10))) return false;
  const hr = twoDigits(str, 11);
  const min = twoDigits(str, 14);
  const secWhole = twoDigits(str, 17);
  if (hr < 0 || min < 0 || secWhole < 0 || str.charCodeAt(13) !== 58 || str.charCodeAt(16) !== 58) {
    return false;
  }
  let i = 19;
  if (str.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (digit(str, i) >= 0) i++;
    if (i === start) return false;
  }
  let tzSign = 1;
  let tzH = 0;
  let tzM = 0;
  const tz = str.charCodeAt(i);
  if (tz === 90 || tz === 122) {
    i++;
  } else if (tz === 43 || tz === 45) {
    tzSign = tz === 45 ? -1 : 1;
    tzH = twoDigits(str, i + 1);
    if (tzH < 0) return false;
    i += 3;
    if (i < str.length) {
      if (str.charCodeAt(i) === 58) i++;
      tzM = twoDigits(str, i);
      if (tzM < 0) return false;
      i += 2;
    }
  } else {
    return false;
  }
  if (i !== str.length || tzH > 23 || tzM > 59) return false;
  if (hr <= 23 && min <= 59 && secWhole < 60) return true;
  // A leap second (:60) is valid only at 23:59 UTC.
  const utcMin = min - tzM * tzSign;
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && secWhole <= 60;
}

const NOT_URI_FRAGMENT = /\/|:/;
// RFC 3986 absolute URI (regex of ajv-formats "full" mode, MIT, from jmrware.com URI_regex).
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/** RFC 3986 `uri`: an absolute URI with a scheme. */
export function isUri(str: string): boolean {
  return NOT_URI_FRAGMENT.test(str) && URI.test(str);
}
