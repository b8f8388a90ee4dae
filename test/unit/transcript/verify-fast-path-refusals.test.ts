/**
 * The verifier's fast path (entry-positions.ts) reads a journal line by position, parsing only its
 * data. It must never take a line the full parse (entry-codec's parseEntryLine: JSON, the entry's
 * shape, RFC 8785 form) refuses, nor read a field otherwise than the full parse does: if it did, a
 * changed entry could pass as canonical, or be reported by another seq, ceremony or link. Each case
 * below is a line the fast path must leave to the full parse (which then decides and says why), most
 * of them plausible slips of the byte matching; then the lines it takes give exactly the full parse's
 * entry, and randomly edited lines are never taken where the full parse refuses them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEntry, hex, parseEntryLine, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { PositionalEntryReader, type ExpectedLine } from '../../../electron/core/transcript/entry-positions';
import { leafHash } from '../../../electron/core/transcript/merkle';

const PREV = hex(leafHash(Buffer.from('the line before')));
const EXPECTED: ExpectedLine = { seq: 7, ceremony: 'c-fast', prev: PREV };

const entry = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  v: 1, seq: 7, time: '2026-11-28T09:00:07.000Z', ceremony: 'c-fast', kind: 'step.note', step: 'step-1',
  actor: { role: 'administrator', name: 'Ada Admin' }, data: { n: 5, text: 'observation 5', value: 35 }, prev: PREV, ...over,
} as JournalEntry);

/** The line framed by other lines in one buffer, as the reader sees it: [start, end) is the line, its newline after. */
function framed(line: string): { b: Buffer; start: number; end: number; text: string } {
  const before = '{"a":1}\n';
  const b = Buffer.from(`${before}${line}\n{"b":2}\n`, 'utf8');
  return { b, start: before.length, end: b.length - '\n{"b":2}\n'.length, text: b.toString('latin1') };
}

function readFast(line: string, expected: ExpectedLine = EXPECTED, reader = new PositionalEntryReader()): JournalEntry | undefined {
  const { b, start, end, text } = framed(line);
  return reader.read(b, start, end, text, 0, expected);
}

/** What the full parse says of the line, with the checks the reader adds (seq, ceremony) and the link. */
function fullParse(line: string, expected: ExpectedLine = EXPECTED): { ok: boolean; entry?: JournalEntry } {
  const r = parseEntryLine(Buffer.from(line, 'utf8'), expected.prev);
  if (!r.ok) return { ok: false };
  const e = r.entry;
  return { ok: e.seq === expected.seq && e.ceremony === expected.ceremony && e.prev === expected.prev, entry: e };
}

const LINE = encodeEntry(entry());
const at = (s: string, find: string, put: string): string => {
  if (!s.includes(find)) throw new Error(`no ${find} in ${s}`);
  return s.replace(find, put);
};
const timeAt = (time: string): string => at(LINE, '"time":"2026-11-28T09:00:07.000Z"', `"time":"${time}"`);

/** [what, the line, whether the full parse (with the reader's seq, ceremony and link checks) takes it]. */
const LEFT_TO_FULL_PARSE: [string, string, boolean][] = [
  ['whitespace after the first brace', at(LINE, '{"actor"', '{ "actor"'), false],
  ['a name with an escaped quote', encodeEntry(entry({ actor: { role: 'administrator', name: 'Ada "A" Admin' } })), true],
  ['a name with a backslash', encodeEntry(entry({ actor: { role: 'administrator', name: 'Ada\\Admin' } })), true],
  ['a name with a control character escaped', encodeEntry(entry({ actor: { role: 'administrator', name: 'Ada\u0001' } })), true],
  ['a name with a raw control character (not JSON)', at(LINE, 'Ada Admin', 'Ada\u0001Admin'), false],
  ['a name with a raw DEL', at(LINE, 'Ada Admin', 'Ada\u007fAdmin'), true],
  ['a role with an escape', encodeEntry(entry({ actor: { role: 'admin\nistrator', name: 'Ada Admin' } })), true],
  ['an actor with a third field', at(LINE, '"role":"administrator"}', '"role":"administrator","x":1}'), false],
  ['fields of the actor out of order', at(LINE, '{"name":"Ada Admin","role":"administrator"}', '{"role":"administrator","name":"Ada Admin"}'), false],
  ['another ceremony of the same length', encodeEntry(entry({ ceremony: 'c-slow' })), false],
  ['a ceremony the expected one is a prefix of', encodeEntry(entry({ ceremony: 'c-fast2' })), false],
  ['a ceremony that is a prefix of the expected one', encodeEntry(entry({ ceremony: 'c-fas' })), false],
  ['whitespace in the data', at(LINE, '"data":{"n":5,', '"data":{"n": 5,'), false],
  ['whitespace before the data', at(LINE, '"data":{', '"data": {'), false],
  ['whitespace after the data', at(LINE, '"value":35},', '"value":35} ,'), false],
  ['data keys out of order', at(LINE, '{"n":5,"text":"observation 5","value":35}', '{"text":"observation 5","n":5,"value":35}'), false],
  ['a duplicate data key', at(LINE, '{"n":5,', '{"n":5,"n":5,'), false],
  ['a number in the data spelt otherwise', at(LINE, '"n":5,', '"n":5.0,'), false],
  ['a data escape spelt otherwise', encodeEntry(entry({ data: { text: 'A' } })).replace('"A"', '"\\u0041"'), false],
  ['data that is not JSON', at(LINE, '"data":{"n":5,', '"data":{"n":,'), false],
  ['no data at all', at(LINE, '"data":{"n":5,"text":"observation 5","value":35}', '"data":'), false],
  ['a second data and kind inside the data\'s place', at(LINE, ',"kind":"step.note"', ',"kind":"step.note","data":2,"kind":"step.note"'), false],
  ['an empty kind', at(LINE, '"kind":"step.note"', '"kind":""'), false],
  ['a kind with an escape', encodeEntry(entry({ kind: 'step\tnote' } as Partial<JournalEntry>)), true],
  ['a prev one digit off the expected', at(LINE, PREV, `${PREV.slice(0, 63)}${PREV[63] === '0' ? '1' : '0'}`), false],
  ['a prev in uppercase', at(LINE, PREV, PREV.toUpperCase()), false],
  ['a prev one digit short', at(LINE, PREV, PREV.slice(1)), false],
  ['another seq', encodeEntry(entry({ seq: 8 })), false],
  ['a seq with a leading zero', at(LINE, '"seq":7,', '"seq":07,'), false],
  ['a seq written as a fraction', at(LINE, '"seq":7,', '"seq":7.0,'), false],
  ['a seq with an exponent', at(LINE, '"seq":7,', '"seq":7e0,'), false],
  ['a negative seq', at(LINE, '"seq":7,', '"seq":-7,'), false],
  ['a seq as a string', at(LINE, '"seq":7,', '"seq":"7",'), false],
  ['a step with an escape', encodeEntry(entry({ step: 'step\\1' })), true],
  ['a step whose escaped quotes spell other fields', encodeEntry(entry({ step: 'x","time":"2026-11-28T09:00:07.000Z","v":1}' })), true],
  ['a step with a raw DEL', at(LINE, '"step":"step-1"', '"step":"step\u007f1"'), true],
  ['a time without its milliseconds (the full check takes it)', timeAt('2026-11-28T09:00:07Z'), true],
  ['a time with six fraction digits (the full check takes it)', timeAt('2026-11-28T09:00:07.000000Z'), true],
  ['a time at hour 24 (Date.parse takes it)', timeAt('2026-11-28T24:00:00.000Z'), true],
  ['month 00', timeAt('2026-00-28T09:00:07.000Z'), false],
  ['month 13', timeAt('2026-13-28T09:00:07.000Z'), false],
  ['day 00', timeAt('2026-11-00T09:00:07.000Z'), false],
  ['day 32', timeAt('2026-01-32T09:00:07.000Z'), false],
  ['31 November (Date.parse takes it)', timeAt('2026-11-31T09:00:07.000Z'), true],
  ['29 February in a common year (Date.parse takes it)', timeAt('2026-02-29T09:00:07.000Z'), true],
  ['29 February 2100, a common year (Date.parse takes it)', timeAt('2100-02-29T09:00:07.000Z'), true],
  ['30 February in a leap year (Date.parse takes it)', timeAt('2028-02-30T09:00:07.000Z'), true],
  ['minute 60', timeAt('2026-11-28T09:60:07.000Z'), false],
  ['second 60', timeAt('2026-11-28T09:00:60.000Z'), false],
  ['a letter in the year', timeAt('2O26-11-28T09:00:07.000Z'), false],
  ['a letter in the milliseconds', timeAt('2026-11-28T09:00:07.00xZ'), false],
  ['a character below 0 in the milliseconds', timeAt('2026-11-28T09:00:07.1/0Z'), false],
  ['a character below 0 in the minutes', timeAt('2026-11-28T09:1/:07.000Z'), false],
  ['a slash between year and month', timeAt('2026/11-28T09:00:07.000Z'), false],
  ['a slash between month and day', timeAt('2026-11/28T09:00:07.000Z'), false],
  ['a space for the T', timeAt('2026-11-28 09:00:07.000Z'), false],
  ['a dot between hour and minute', timeAt('2026-11-28T09.00:07.000Z'), false],
  ['a dot between minute and second', timeAt('2026-11-28T09:00.07.000Z'), false],
  ['a colon for the decimal point', timeAt('2026-11-28T09:00:07:000Z'), false],
  ['a lowercase z', timeAt('2026-11-28T09:00:07.000z'), false],
  ['a time zone offset', timeAt('2026-11-28T09:00:7.000+1'), false],
  ['format version 2', at(LINE, '"v":1}', '"v":2}'), false],
  ['a field after v', at(LINE, '"v":1}', '"v":1,"w":0}'), false],
  ['a space at the end', `${LINE} `, false],
  ['the line cut short', LINE.slice(0, -1), false],
];

describe('the fast path leaves to the full parse', () => {
  it.each(LEFT_TO_FULL_PARSE)('%s', (_what, line, fullTakesIt) => {
    expect(fullParse(line).ok).toBe(fullTakesIt);
    expect(readFast(line)).toBeUndefined();
  });

  it('a line when the expected ceremony cannot be matched byte for byte (escape, non-ASCII, empty)', () => {
    for (const ceremony of ['c"fast', 'c\\fast', 'c\u0001fast', 'c\u007ffast', 'cérémonie']) {
      const line = encodeEntry(entry({ ceremony }));
      expect(fullParse(line, { ...EXPECTED, ceremony }).ok).toBe(true);
      expect(readFast(line, { ...EXPECTED, ceremony })).toBeUndefined();
    }
    expect(readFast(at(LINE, '"ceremony":"c-fast"', '"ceremony":""'), { ...EXPECTED, ceremony: '' })).toBeUndefined();
    // The expected ceremony written raw, unescaped (not JSON but for the last): the fast path must not match it byte for byte.
    for (const [ceremony, json] of [['c"fast', false], ['c\\fast', false], ['c\u0001fast', false], ['c\u{1F511}', true]] as const) {
      const raw = at(LINE, '"ceremony":"c-fast"', `"ceremony":"${ceremony}"`);
      expect(fullParse(raw, { ...EXPECTED, ceremony }).ok).toBe(json);
      expect(readFast(raw, { ...EXPECTED, ceremony })).toBeUndefined();
    }
  });

  it('the line after one whose ceremony it could not match, if the reader now expects a plain one', () => {
    const reader = new PositionalEntryReader();
    expect(readFast(encodeEntry(entry({ ceremony: 'c"fast' })), { ...EXPECTED, ceremony: 'c"fast' }, reader)).toBeUndefined();
    expect(readFast(LINE, EXPECTED, reader)).toStrictEqual(entry());
  });
});

describe('the fast path reads', () => {
  it('a canonical line as the full parse does: same fields, same values, same key order', () => {
    const e = readFast(LINE);
    const full = fullParse(LINE);
    expect(full.ok).toBe(true);
    expect(e).toStrictEqual(full.entry);
    expect(Object.keys(e as object)).toEqual(Object.keys(full.entry as object));
    expect(Object.keys((e as JournalEntry).actor)).toEqual(['name', 'role']);
  });

  it('entry 0, a long seq, a leap day, the last second of a year and every kind of data', () => {
    const cases: [Partial<JournalEntry>, ExpectedLine][] = [
      [{ seq: 0, prev: ZERO_HASH }, { seq: 0, ceremony: 'c-fast', prev: ZERO_HASH }],
      [{ seq: 123456789012345 }, { ...EXPECTED, seq: 123456789012345 }],
      [{ time: '2028-02-29T00:00:00.000Z' }, EXPECTED],
      [{ time: '2000-02-29T23:59:59.999Z' }, EXPECTED],
      [{ time: '2026-12-31T23:59:59.999Z' }, EXPECTED],
      [{ time: '2026-04-30T10:10:10.010Z' }, EXPECTED],
      [{ time: '0000-01-01T00:00:00.000Z' }, EXPECTED],
      [{ time: '2026-01-15T12:00:00.000Z' }, EXPECTED],
      [{ time: '2026-03-01T12:00:00.000Z' }, EXPECTED],
      [{ time: '2028-01-31T12:00:00.000Z' }, EXPECTED],
      [{ time: '2028-12-31T12:00:00.000Z' }, EXPECTED],
      [{ data: null }, EXPECTED],
      [{ data: 'text with \\ and " and \n' }, EXPECTED],
      [{ data: [1, -2.5, true, false, null, { a: { b: [] } }] }, EXPECTED],
      [{ data: { kind: 'step.note', prev: PREV, seq: 7, text: ',"kind":"x","prev":"' } }, EXPECTED],
      [{ step: '', actor: { name: '', role: '' } }, EXPECTED],
      [{ kind: 'k', step: 'a step: with (punctuation) & more ~' }, EXPECTED],
    ];
    for (const [over, expected] of cases) {
      const line = encodeEntry(entry({ ...over, seq: expected.seq, prev: expected.prev }));
      const full = fullParse(line, expected);
      expect(full.ok).toBe(true);
      expect(readFast(line, expected)).toStrictEqual(full.entry);
    }
  });

  it('each line\'s own actor, kind and step, one after another (of the same and of other lengths)', () => {
    const reader = new PositionalEntryReader();
    const variants: Partial<JournalEntry>[] = [
      {}, { actor: { name: 'Bob Admins', role: 'administrator' } }, { actor: { name: 'Bob Admins', role: 'witness' } },
      { kind: 'step.done' }, { kind: 'step.start', step: 'step-2' }, { step: 'step-3' }, { step: 'step-30', kind: 'x' }, {},
    ];
    for (const over of variants) {
      const line = encodeEntry(entry(over));
      expect(readFast(line, EXPECTED, reader)).toStrictEqual(entry(over));
    }
  });

  it('a line inside a larger decoded window: the text may start anywhere before the line', () => {
    const { b, start, end } = framed(LINE);
    for (const from of [0, 3, start]) {
      expect(new PositionalEntryReader().read(b, start, end, b.toString('latin1', from), from, EXPECTED)).toStrictEqual(entry());
    }
  });
});

describe('randomly edited lines', () => {
  const lines = [LINE, encodeEntry(entry({ data: { a: [1, 2, { b: 'c' }], d: 'e\\"f' } })), encodeEntry(entry({ seq: 0, prev: ZERO_HASH }))];
  const edit = fc.record({
    which: fc.nat(lines.length - 1),
    at: fc.nat(400),
    del: fc.nat(3),
    put: fc.oneof(fc.constantFrom('"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '1', '-', '.', 'e', 'Z', 'T', 'a', ''), fc.string({ maxLength: 3 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
  });

  it('are taken only where the full parse takes them, and read as it reads them', () => {
    fc.assert(
      fc.property(edit, ({ which, at: pos, del, put }) => {
        const line = lines[which] as string;
        const i = pos % (line.length + 1);
        const edited = line.slice(0, i) + put + line.slice(i + del);
        const expected = which === 2 ? { ...EXPECTED, seq: 0, prev: ZERO_HASH } : EXPECTED;
        const fast = readFast(edited, expected);
        if (fast === undefined) return;
        const full = fullParse(edited, expected);
        expect(full.ok).toBe(true);
        expect(fast).toStrictEqual(full.entry);
      }),
      { numRuns: 4000 },
    );
  });
});
