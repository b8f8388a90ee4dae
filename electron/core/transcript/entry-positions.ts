/**
 * The common journal line read by position instead of by a parse of the whole line: a canonical
 * entry's fields always come in one order with the same keys between them, so a line that is
 *
 *   {"actor":{"name":"N","role":"R"},"ceremony":"C","data":D,"kind":"K","prev":"P","seq":S,"step":"T","time":"I","v":1}
 *
 * byte for byte, where N R C K T I are plain strings (printable ASCII without a quote or a backslash,
 * so spelt as JSON.stringify spells them and read as they are), D is a JSON value JSON.parse accepts
 * and the byte scan vouches for (canonical.ts), P is the hash the previous line hashed to, S the seq
 * the reader expects, C the ceremony it expects, K not empty and I a real UTC time as toISOString
 * writes it, is an entry in RFC 8785 form whose fields are those: the pieces tile the line, and JSON
 * reads such a concatenation one way only. Only D is parsed (most of a line is the envelope: 64 hex
 * digits of prev, the time, the actor). Anything else (an escape, a non-ASCII character, another seq,
 * ceremony or prev, an unusual time) is not read here: the caller's full parse decides, and says why
 * when the line is bad, so the findings are the full parse's.
 */
import { scansCanonical } from './canonical';
import type { JournalEntry } from './entry-kinds';

/** What the reader expects of the next line: it is read by position only if it says exactly this. */
export interface ExpectedLine {
  seq: number;
  ceremony: string;
  /** The previous line's leaf hash, 64 lowercase hex digits. */
  prev: string;
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const HEAD = bytes('{"actor":{"name":"');
const ROLE = bytes('","role":"');
const CEREMONY = bytes('"},"ceremony":"');
const DATA = bytes('","data":');
const KIND = bytes(',"kind":"');
const PREV = bytes('","prev":"');
const SEQ = bytes('","seq":');
const STEP = bytes(',"step":"');
const TIME = bytes('","time":"');
const TAIL = bytes('","v":1}');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** toISOString's form, YYYY-MM-DDTHH:MM:SS.sssZ. */
const ISO_LENGTH = 24;

/** A byte of a plain string: printable ASCII other than a quote or a backslash. */
const plain = (c: number): boolean => c >= 0x20 && c <= 0x7e && c !== QUOTE && c !== BACKSLASH;

/** Whether lit is at b[i], wholly inside b[lo, hi). */
function matchAt(b: Uint8Array, i: number, lit: Uint8Array, lo: number, hi: number): boolean {
  if (i < lo || i + lit.length > hi) return false;
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false;
  return true;
}

/** The index of the quote ending the plain string that starts at i (before `limit`), or -1. */
function plainForward(b: Uint8Array, i: number, limit: number): number {
  for (; i < limit; i++) {
    const c = b[i] as number;
    if (c === QUOTE) return i;
    if (!plain(c)) return -1;
  }
  return -1;
}

/** The start of the plain string that ends just before the quote at `close` (after the quote before it, at `floor` or later), or -1. */
function plainBackward(b: Uint8Array, close: number, floor: number): number {
  for (let i = close - 1; i >= floor; i--) {
    const c = b[i] as number;
    if (c === QUOTE) return i + 1;
    if (!plain(c)) return -1;
  }
  return -1;
}

/** Whether the last forwardAs or backwardAs found the string it was given (so the field is that string). */
let repeated = false;

/** plainForward, trying `last` (a plain string read before) first: a field that repeats costs a comparison only. */
function forwardAs(b: Uint8Array, i: number, limit: number, last: string): number {
  const close = i + last.length;
  repeated = b[close] === QUOTE && sameText(b, i, close, last);
  return repeated ? close : plainForward(b, i, limit);
}

/** plainBackward, trying `last` first. */
function backwardAs(b: Uint8Array, close: number, floor: number, last: string): number {
  const open = close - last.length;
  repeated = open > floor && b[open - 1] === QUOTE && sameText(b, open, close, last);
  return repeated ? open : plainBackward(b, close, floor);
}

/** Whether b[a, z) is the string s (plain ASCII, so one byte per character). Every caller has z = a + s.length. */
function sameText(b: Uint8Array, a: number, z: number, s: string): boolean {
  for (let k = 0; k < s.length; k++) if (b[a + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** The number written in b[a, a+n) (digits only), or -1. */
function digits(b: Uint8Array, a: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = (b[a + k] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Where the decimal digits of seq (a whole number) start if b holds them just before `end`, else -1. */
function seqBefore(b: Uint8Array, end: number, seq: number): number {
  let i = end;
  let v = seq;
  do {
    if (b[--i] !== 0x30 + (v % 10)) return -1;
    v = Math.floor(v / 10);
  } while (v > 0);
  return i;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether b[a, z) is a real UTC time as toISOString writes it (24 characters, milliseconds, a day
 * the month has, hours up to 23, no leap second): every such string passes the entry's time check
 * (entry-codec). Other times the check may still take (fewer fraction digits, hour 24) are left to it.
 */
function isoTime(b: Uint8Array, a: number): boolean {
  if (b[a + 4] !== 0x2d || b[a + 7] !== 0x2d || b[a + 10] !== 0x54 || b[a + 13] !== 0x3a || b[a + 16] !== 0x3a || b[a + 19] !== 0x2e || b[a + 23] !== 0x5a) return false;
  const year = digits(b, a, 4);
  const month = digits(b, a + 5, 2);
  const day = digits(b, a + 8, 2);
  const hour = digits(b, a + 11, 2);
  const minute = digits(b, a + 14, 2);
  const second = digits(b, a + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || digits(b, a + 20, 3) < 0) return false;
  return day <= (month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] as number));
}

/**
 * Reads lines by position for one reader; keeps the last actor, kind and step it read so a repeated
 * one costs no new string.
 */
export class PositionalEntryReader {
  private name = '';
  private role = '';
  private kind = '';
  private step = '';
  private checkedCeremony: string | undefined;
  private ceremonyPlain = false;

  /**
   * The entry on the line b[start, end) (without its newline), or undefined when the line is not
   * read here (see the file's comment). `text` is the decoded text of b from byte `textStart` on
   * (the line's bytes are pure ASCII, so characters and bytes line up).
   */
  read(b: Buffer, start: number, end: number, text: string, textStart: number, expected: ExpectedLine): JournalEntry | undefined {
    if (!this.plainCeremony(expected.ceremony) || !matchAt(b, start, HEAD, start, end)) return undefined;
    // Forward: actor and ceremony. (A position of -1, nothing found, fails the match after it.)
    const nameStart = start + HEAD.length;
    const nameEnd = forwardAs(b, nameStart, end, this.name);
    const sameName = repeated;
    if (!matchAt(b, nameEnd, ROLE, start, end)) return undefined;
    const roleStart = nameEnd + ROLE.length;
    const roleEnd = forwardAs(b, roleStart, end, this.role);
    const sameRole = repeated;
    if (!matchAt(b, roleEnd, CEREMONY, start, end)) return undefined;
    const ceremonyStart = roleEnd + CEREMONY.length;
    const ceremonyEnd = ceremonyStart + expected.ceremony.length;
    if (!sameText(b, ceremonyStart, ceremonyEnd, expected.ceremony) || !matchAt(b, ceremonyEnd, DATA, start, end)) return undefined;
    const dataStart = ceremonyEnd + DATA.length;
    // Backward from the end: time (its 24 characters checked one by one), step, seq, prev, kind; what is left between is the data.
    const timeEnd = end - TAIL.length;
    const timeStart = timeEnd - ISO_LENGTH;
    const stepEnd = timeStart - TIME.length;
    if (!matchAt(b, timeEnd, TAIL, dataStart, end) || !matchAt(b, stepEnd, TIME, dataStart, end) || !isoTime(b, timeStart)) return undefined;
    const stepStart = backwardAs(b, stepEnd, dataStart, this.step);
    const sameStep = repeated;
    const seqEnd = stepStart - STEP.length;
    if (!matchAt(b, seqEnd, STEP, dataStart, end)) return undefined;
    const prevEnd = seqBefore(b, seqEnd, expected.seq) - SEQ.length;
    const prevStart = prevEnd - expected.prev.length;
    if (!matchAt(b, prevEnd, SEQ, dataStart, end) || !sameText(b, prevStart, prevEnd, expected.prev)) return undefined;
    const kindEnd = prevStart - PREV.length;
    if (!matchAt(b, kindEnd, PREV, dataStart, end)) return undefined;
    const kindStart = backwardAs(b, kindEnd, dataStart, this.kind);
    const sameKind = repeated;
    const dataEnd = kindStart - KIND.length;
    if (kindStart === kindEnd || !matchAt(b, dataEnd, KIND, dataStart, end)) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(text.slice(dataStart - textStart, dataEnd - textStart));
    } catch {
      return undefined;
    }
    // JSON.parse also takes whitespace around and inside the value, and any spelling: the scan does not.
    if (!scansCanonical(b, dataStart, dataEnd)) return undefined;
    if (!sameName) this.name = latin1(b, nameStart, nameEnd);
    if (!sameRole) this.role = latin1(b, roleStart, roleEnd);
    if (!sameKind) this.kind = latin1(b, kindStart, kindEnd);
    if (!sameStep) this.step = latin1(b, stepStart, stepEnd);
    // The keys in JSON.parse's order (the line's), so the entry is the one the full parse makes.
    return {
      actor: { name: this.name, role: this.role }, ceremony: expected.ceremony, data, kind: this.kind, prev: expected.prev,
      seq: expected.seq, step: this.step, time: ownString(text, timeStart - textStart, timeEnd - textStart), v: 1,
    } as JournalEntry;
  }

  private plainCeremony(ceremony: string): boolean {
    if (ceremony !== this.checkedCeremony) {
      this.checkedCeremony = ceremony;
      this.ceremonyPlain = ceremony.length > 0 && Array.prototype.every.call(ceremony, (ch: string) => plain(ch.charCodeAt(0)));
    }
    return this.ceremonyPlain;
  }
}

/** A string of its own (not a slice that would hold the whole decoded chunk in memory while an entry is kept). */
function latin1(b: Buffer, a: number, z: number): string {
  return b.toString('latin1', a, z);
}

/**
 * text[a, z) as a string that holds no more than itself: V8 copies a slice shorter than 13
 * characters, so two halves joined are two small copies (cheaper than a decode of the bytes), where
 * one slice would keep the whole decoded chunk alive as long as the entry is kept.
 */
function ownString(text: string, a: number, z: number): string {
  const mid = (a + z) >> 1;
  return text.slice(a, mid) + text.slice(mid, z);
}
