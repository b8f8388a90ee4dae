/**
 * The fast paths vouch for canonical lines, not only refuse bad ones: a value of every shape RFC 8785
 * allows (numbers of every form ECMAScript writes, every escape JSON.stringify writes, raw non-ASCII
 * characters, keys sorted by UTF-16 code units, nested objects and arrays, the literals), written by
 * the RFC 8785 implementation Keyrite writes entries with (canonicalize), is accepted by the byte scan
 * (scansCanonical) and by the full check (isCanonicalJson), and as an entry's data it is read by the
 * quick parse (a reader's first line) and by position (every later line) when the line is ASCII, by
 * the full parse when it is not, each giving the entry the full parse gives. A fast path that declined
 * these would only be slower, which is what #17 promises it is not.
 */
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson, scansCanonical } from '../../../electron/core/transcript/canonical';
import { encodeEntry, hex, parseEntryLine, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { EntryLineReader } from '../../../electron/core/transcript/entry-lines';
import { leafHash } from '../../../electron/core/transcript/merkle';

const controls = Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c));

/** [what, value]: each canonical in the form canonicalize writes. */
const SHAPES: [string, unknown][] = [
  ['zero', 0],
  ['one-digit numbers', [1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['negative whole numbers', [-1, -9, -10, -1234567]],
  ['whole numbers with zeros inside and at the end', [10, 100, 1000000, 1020304050, 90]],
  ['15 digits', [123456789012345, -999999999999999, 100000000000000]],
  ['16 and 17 digits (written back)', [1234567890123456, 9007199254740991, -9007199254740991, 12345678901234568]],
  ['21 digits and the exponent form from 1e21 on', [100000000000000000000, 123456789012345680000, 1e21, 1.5e300, -1e21]],
  ['fractions', [0.5, -0.5, 1.5, 0.1, 0.000001, 123.456, -98.765, 3.141592653589793]],
  ['small numbers in exponent form', [1e-7, -1e-7, 1.2345e-10, 5e-324]],
  ['the largest number', 1.7976931348623157e308],
  ['the literals', [true, false, null]],
  ['empty string, array and object', ['', [], {}]],
  ['nested arrays and objects', { a: [[[]], [{}], { b: { c: [1, { d: null }] } }], e: [{ f: [true, false] }] }],
  ['escaped quote and backslash', ['"', '\\', 'a"b\\c', '\\"', '""']],
  ['the short escapes', ['\b', '\f', '\n', '\r', '\t', 'line1\nline2\ttab']],
  ['every other control character as \\u00xx', controls],
  ['DEL, slash and printable ASCII raw', ['\u007f', '/', ' !#$%&\'()*+,-./:;<=>?@[]^_`{|}~']],
  ['keys sorted, a prefix before its extensions', { '': 0, a: 1, aa: 2, ab: 3, b: [{ x: 1, xy: 2, y: 3 }] }],
  ['integer-like keys, sorted as strings', { '1': 'a', '10': 'b', '2': 'c', a: 'd' }],
  ['keys of every printable ASCII character', Object.fromEntries(Array.from({ length: 94 }, (_, i) => [String.fromCharCode(0x21 + i) === '"' || String.fromCharCode(0x21 + i) === '\\' ? `k${i}` : String.fromCharCode(0x21 + i), i]))],
  ['data whose strings spell entry fields', { kind: 'x', prev: ZERO_HASH, seq: 7, text: ',"kind":"x","prev":"' }],
  ['nesting 63 deep (64 in the entry line)', nest(63)],
  ['non-ASCII text raw', ['é', 'Zoë Müller', '证人', 'ü\n', '\u00a0', '\u2028\u2029', '\uffff']],
  ['characters past U+FFFF raw', ['🔑', 'a🔑b', '\u{10ffff}']],
  ['non-ASCII keys by UTF-16 code units (U+1F511 before U+E000, U+00E9 after z)', { z: 1, 'é': 2, '\ue000': 3, '🔑': 4, 'ü': [{ '\uffff': 0, '\u{10000}': 1 }] }],
];

/** Objects and arrays `depth` levels deep. */
function nest(depth: number): unknown {
  let v: unknown = { deepest: [1, 'x'] };
  for (let i = 2; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
}

const TIME = '2026-11-28T09:00:07.000Z';

/** Two chained lines with `data` as the data of each: the first a reader's first line, the second a later one. */
function twoLines(data: unknown): string[] {
  const first = encodeEntry({ v: 1, seq: 0, time: TIME, ceremony: 'c-shapes', kind: 'step.note', step: 's', actor: { role: 'administrator', name: 'Ada' }, data, prev: ZERO_HASH } as JournalEntry);
  const prev = hex(leafHash(Buffer.from(first, 'utf8')));
  return [first, encodeEntry({ v: 1, seq: 1, time: TIME, ceremony: 'c-shapes', kind: 'step.note', step: 's', actor: { role: 'administrator', name: 'Ada' }, data, prev } as JournalEntry)];
}

describe('canonical values of every shape are vouched for by the fast paths', () => {
  it.each(SHAPES)('%s: by the byte scan and the full check, alone and inside a longer buffer', (_what, value) => {
    const text = canonicalize(value) as string;
    const b = Buffer.from(text, 'utf8');
    expect(scansCanonical(b, 0, b.length)).toBe(true);
    // Inside other bytes (the verifier's chunk): the scan reads [start, end) only.
    const framed = Buffer.concat([Buffer.from('{"before":1}\n'), b, Buffer.from('\n-0.0 x')]);
    expect(scansCanonical(framed, 13, 13 + b.length)).toBe(true);
    expect(isCanonicalJson(JSON.parse(text), text)).toBe(true);
  });

  it.each(SHAPES)('%s: as an entry\'s data, read by the quick parse, then by position (ASCII), or by the full parse', (_what, value) => {
    const lines = twoLines(value);
    const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    const reader = new EntryLineReader();
    const entries: JournalEntry[] = [];
    expect(reader.read(buf, buf.length, 0, (e) => entries.push(e))).toEqual({ next: buf.length });
    const full = lines.map((l) => parseEntryLine(Buffer.from(l, 'utf8')));
    expect(full.every((r) => r.ok)).toBe(true);
    expect(entries).toStrictEqual(full.map((r) => (r.ok ? r.entry : undefined)));
    expect(reader.readBy).toEqual(Buffer.byteLength(lines[0] as string) === (lines[0] as string).length ? { position: 1, quick: 1, full: 0 } : { position: 0, quick: 0, full: 2 });
  });

  it('nesting past 64 levels the scan declines (the full check decides): such a line is read by the full parse, the same entry', () => {
    const readBy = (value: unknown) => {
      const lines = twoLines(value);
      const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
      const reader = new EntryLineReader();
      const entries: JournalEntry[] = [];
      reader.read(buf, buf.length, 0, (e) => entries.push(e));
      expect(entries.map((e) => e.data)).toStrictEqual([value, value]);
      return reader.readBy;
    };
    const scans = (value: unknown) => {
      const text = canonicalize(value) as string;
      expect(isCanonicalJson(JSON.parse(text), text)).toBe(true);
      return scansCanonical(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text));
    };
    // 64 levels of data: the scan of the data alone takes it (the positional reader's), the scan of the
    // whole line (65 levels, the quick parse's) declines.
    expect(scans(nest(64))).toBe(true);
    expect(readBy(nest(64))).toEqual({ position: 1, quick: 0, full: 1 });
    expect(scans(nest(65))).toBe(false);
    expect(readBy(nest(65))).toEqual({ position: 0, quick: 0, full: 2 });
  });
});
