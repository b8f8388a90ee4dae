/**
 * More lines the verifier's fast path (entry-positions.ts) must leave to the full parse, found by a
 * StrykerJS run on it (#13): a time whose hour, day, month or second is not digits, and a line whose
 * kind cannot be read by position while the bytes after it, read out of the line's bounds, would make
 * a JSON value. Each is refused by the full parse (entry-codec's parseEntryLine), so the fast path
 * taking one would let a bad line pass, or read another entry than the line's.
 */
import { describe, expect, it } from 'vitest';
import { encodeEntry, hex, parseEntryLine } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { PositionalEntryReader, type ExpectedLine } from '../../../electron/core/transcript/entry-positions';
import { leafHash } from '../../../electron/core/transcript/merkle';

const PREV = hex(leafHash(Buffer.from('the line before')));
const EXPECTED: ExpectedLine = { seq: 7, ceremony: 'c-fast', prev: PREV };
const LINE = encodeEntry({
  v: 1, seq: 7, time: '2026-11-28T09:00:07.000Z', ceremony: 'c-fast', kind: 'step.note', step: 'step-1',
  actor: { role: 'administrator', name: 'Ada Admin' }, data: { n: 5 }, prev: PREV,
} as JournalEntry);

const at = (s: string, find: string, put: string): string => {
  if (!s.includes(find)) throw new Error(`no ${find} in ${s}`);
  return s.replace(find, put);
};

/** The fast path's reading of `line`, between a line before it and `after` (the bytes after its newline). */
function readFast(line: string, after = '{"b":2}\n'): JournalEntry | undefined {
  const before = '{"a":1}\n';
  const b = Buffer.from(`${before}${line}\n${after}`, 'latin1');
  return new PositionalEntryReader().read(b, before.length, before.length + line.length, b.toString('latin1'), 0, EXPECTED);
}

const fullParseTakes = (line: string): boolean => parseEntryLine(Buffer.from(line, 'latin1'), PREV).ok;

describe('the fast path leaves to the full parse', () => {
  it.each([
    ['a letter in the hour', '2026-11-28Tx9:00:07.000Z'],
    ['a character below 0 in the hour', '2026-11-28T0/:00:07.000Z'],
    ['a letter in the day', '2026-11-2xT09:00:07.000Z'],
    ['a letter in the month', '2026-1x-28T09:00:07.000Z'],
    ['a letter in the second', '2026-11-28T09:00:0x.000Z'],
  ])('a time with %s', (_what, time) => {
    const line = at(LINE, '"time":"2026-11-28T09:00:07.000Z"', `"time":"${time}"`);
    expect(fullParseTakes(line)).toBe(false);
    expect(readFast(line)).toBeUndefined();
  });

  it('a kind it cannot read by position, whatever the bytes after the line', () => {
    // The kind holds a backslash (not read by position) and the data opens an object the rest of the
    // line would close: read past the line's bounds, the text from the data on is one JSON object.
    const line = at(at(LINE, '"kind":"step.note"', '"kind":"step\\tnote"'), '"data":{"n":5}', '"data":{"a":1');
    expect(fullParseTakes(line)).toBe(false);
    for (const after of ['{"b":2345}', '{"b":2}\n', '', '0123456789abcdef']) expect(readFast(line, after)).toBeUndefined();
  });
});
