/**
 * Whether a line is the RFC 8785 (JCS) form of the value JSON.parse made of it, cheaply. RFC 8785
 * writes numbers and strings exactly as ECMAScript's JSON.stringify does; what it adds is keys sorted
 * by UTF-16 code units.
 *
 * Two fast paths, each falling back to the full RFC 8785 serialisation when it cannot decide, so
 * neither can accept a line the full check refuses:
 *  - isCanonicalJson(value, text): when JSON.stringify(value) gives the line back and every
 *    object's keys are already in order, the line is canonical (one native call, a walk over keys);
 *  - scansCanonical(bytes, start, end): one pass over the line's UTF-8 bytes, no serialisation and
 *    no allocation (the streaming verifier's path, entry-lines.ts).
 * Anything else (whitespace, another spelling of a number or escape, duplicate or unsorted keys,
 * integer-like keys, which JavaScript objects reorder) goes to the full serialisation.
 */
import canonicalize from 'canonicalize';

export function isCanonicalJson(value: unknown, text: string): boolean {
  // When JSON.stringify gives the text back, a lone surrogate in it is spelled \udxxx (stringify's
  // escape for one), so a text without "\ud" holds none and the per-string search can be skipped.
  if (JSON.stringify(value) === text && keysInOrder(value, text.includes('\\ud'))) return true;
  return canonicalize(value) === text;
}

// A lone surrogate: JSON may escape one (\ud800), but it is not Unicode text, and RFC 8785 refuses it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function keysInOrder(v: unknown, surrogates: boolean): boolean {
  if (typeof v === 'string') return !surrogates || !LONE_SURROGATE.test(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) {
    for (const x of v) if (!keysInOrder(x, surrogates)) return false;
    return true;
  }
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in o) {
    // String comparison in JavaScript is by UTF-16 code units, RFC 8785's order.
    if (prev !== undefined && !(prev < k)) return false;
    if (surrogates && LONE_SURROGATE.test(k)) return false;
    if (!keysInOrder(o[k], surrogates)) return false;
    prev = k;
  }
  return true;
}

/** Nesting the scan follows; a deeper text goes to the full check. */
const MAX_DEPTH = 64;
// The previous key of each open object, as [start, end) of its bytes (start -1: none yet).
const keyStart = new Int32Array(MAX_DEPTH + 1);
const keyEnd = new Int32Array(MAX_DEPTH + 1);
/** Whether the string stringEnd read last held an escape. */
let escaped = false;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text in b[start, end) is certainly in RFC 8785 form, read byte by byte: no
 * whitespace outside strings, every string spelled as JSON.stringify spells it, every number as
 * Number.prototype.toString does, every object's keys strictly increasing (so no duplicates). False
 * when it is not so or the scan cannot tell (a key with an escape, a \u escape
 * of anything but a control character, nesting past 64): the caller then asks the full check.
 * The bytes must be valid UTF-8 and JSON.parse must accept their text (the caller parses the line
 * anyway); the answer says nothing about other input.
 */
export function scansCanonical(b: Uint8Array, start: number, end: number): boolean {
  let depth = 0;
  let i = start;
  while (i < end) {
    const c = b[i] as number;
    if (c === QUOTE) {
      const close = stringEnd(b, i + 1, end);
      if (close < 0) return false;
      if (b[close + 1] === 0x3a /* : */) {
        // A key: compared as raw bytes, so without escapes, and after the object's previous key.
        if (escaped) return false;
        const prev = keyStart[depth] as number;
        if (prev >= 0 && !keyBefore(b, prev, keyEnd[depth] as number, i + 1, close)) return false;
        keyStart[depth] = i + 1;
        keyEnd[depth] = close;
        i = close + 2;
      } else {
        i = close + 1;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_DEPTH) return false;
      keyStart[depth] = -1;
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      i++;
    } else if (c === 0x2c /* , */) {
      i++;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const stop = numberEnd(b, i + 1, end);
      if (!canonicalNumber(b, i, stop)) return false;
      i = stop;
    } else if (c === 0x74 /* true */ || c === 0x6e /* null */) {
      i += 4;
    } else if (c === 0x66 /* false */) {
      i += 5;
    } else {
      // Whitespace: not canonical (the full check says so).
      return false;
    }
  }
  return true;
}

/**
 * The index of the quote closing the string whose content starts at `i`, or -1 when a character in
 * it is not spelled as JSON.stringify spells it: escapes only for ", \, \b \f \n \r \t and (as
 * \u00xx, lowercase) the other control characters; every other character raw (valid UTF-8 holds no
 * lone surrogate).
 */
function stringEnd(b: Uint8Array, i: number, end: number): number {
  escaped = false;
  while (i < end) {
    const c = b[i] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      escaped = true;
      const e = b[i + 1];
      if (e === 0x75 /* u */) {
        if (!controlEscape(b, i + 2)) return -1;
        i += 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else {
        return -1;
      }
    } else {
      i++;
    }
  }
  return -1;
}

const hexDigit = (c: number | undefined): number => (c === undefined ? -1 : c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** Whether b[i, i+4) is the lowercase hex of a control character JSON.stringify writes as \u00xx (not as \b \t \n \f \r). */
function controlEscape(b: Uint8Array, i: number): boolean {
  if (b[i] !== 0x30 || b[i + 1] !== 0x30) return false;
  const hi = hexDigit(b[i + 2]);
  const lo = hexDigit(b[i + 3]);
  if (hi < 0 || hi > 1 || lo < 0) return false;
  const code = hi * 16 + lo;
  return code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
}

function numberEnd(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i] as number;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) i++;
    else break;
  }
  return i;
}

/**
 * Whether b[start, end) is how ECMAScript writes the number it denotes. A whole number of up to 15
 * digits with no leading zero is (exact in binary64, written in full); anything else (a fraction,
 * an exponent, -0, more digits) is decided by writing the number back.
 */
function canonicalNumber(b: Uint8Array, start: number, end: number): boolean {
  const first = b[start] === 0x2d ? start + 1 : start;
  const d = b[first] as number;
  if (end - first <= 15 && (d === 0x30 ? end === first + 1 && first === start : d >= 0x31 && d <= 0x39)) {
    let i = first + 1;
    while (i < end && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39) i++;
    if (i === end) return true;
  }
  const s = String.fromCharCode(...b.subarray(start, end));
  return String(Number(s)) === s;
}

/**
 * Whether the key in b[a0, a1) sorts before the one in b[b0, b1) by UTF-16 code units, compared as
 * UTF-8 bytes. Byte order is code point order, and so UTF-16 order, except at one place: a character
 * past U+FFFF (4 bytes, lead 0xf0-0xf4; in UTF-16 a surrogate pair, 0xd800-0xdbff first) sorts after
 * U+E000-U+FFFF (lead 0xee-0xef) by code point but before it by code unit. Bytes before the first
 * difference are equal, so there both keys are at the start of a character or in the same one.
 */
function keyBefore(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): boolean {
  const la = a1 - a0;
  const lb = b1 - b0;
  const m = la < lb ? la : lb;
  for (let k = 0; k < m; k++) {
    const x = b[a0 + k] as number;
    const y = b[b0 + k] as number;
    if (x === y) continue;
    const xPair = x >= 0xf0;
    if (xPair !== y >= 0xf0 && (xPair ? y : x) >= 0xee) return xPair;
    return x < y;
  }
  return la < lb;
}
