/**
 * One entry has one line: the entry codec writes only plain JSON it can read back byte for byte, and
 * reads a line only if it is exactly the canonical form of a well-formed entry. Each refusal says
 * which field is wrong and how, so `keyrite verify` and the journal can name it; nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { encodeEntry, entryShapeProblem, hex, parseEntryLine, parseEntryText, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';

const HASH = 'ab'.repeat(32);
const base = (): Record<string, unknown> => ({
  v: 1, seq: 3, time: '2026-12-07T10:00:00.123Z', ceremony: 'c-1', kind: 'step.start', step: 's1',
  actor: { name: 'Ada', role: 'administrator' }, data: { title: 'One' }, prev: HASH,
});
/** The canonical line of base() with `over` applied, written by hand (keys sorted), not by the codec. */
function lineOf(over: Record<string, unknown> = {}, drop: string[] = []): string {
  const o: Record<string, unknown> = { ...base(), ...over };
  for (const k of drop) delete o[k];
  return JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])));
}
const why = (text: string, knownPrev?: string) => {
  const r = parseEntryText(text, text.length, knownPrev);
  return r.ok ? 'ok' : r.why;
};

describe('writing an entry', () => {
  it('gives the canonical line, which reads back as the same entry', () => {
    const e = { ...base(), data: { z: 1, a: [true, null, 'é\u2028'], m: { y: 2.5, b: -0 } } } as unknown as JournalEntry;
    const text = encodeEntry(e);
    expect(text).toBe('{"actor":{"name":"Ada","role":"administrator"},"ceremony":"c-1","data":{"a":[true,null,"é\u2028"],"m":{"b":0,"y":2.5},"z":1},"kind":"step.start","prev":"' + HASH + '","seq":3,"step":"s1","time":"2026-12-07T10:00:00.123Z","v":1}');
    expect(parseEntryText(text, text.length)).toEqual({ ok: true, entry: JSON.parse(text) });
    expect(parseEntryLine(Buffer.from(text))).toEqual({ ok: true, entry: JSON.parse(text) });
    const bare = Object.assign(Object.create(null) as object, { k: 'v' });
    expect(encodeEntry({ ...base(), data: bare } as unknown as JournalEntry)).toContain('"data":{"k":"v"}');
  });

  it('refuses what has no plain JSON form, naming where it is (ENTRY_NOT_JSON)', () => {
    class Thing { x = 1; }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cyclicArray: unknown[] = [1];
    cyclicArray.push([cyclicArray]);
    const shared = { s: 1 };
    const cases: [unknown, string][] = [
      [Number.NaN, 'entry.data.x is NaN'],
      [Number.POSITIVE_INFINITY, 'entry.data.x is Infinity'],
      [[1, [2, Number.NEGATIVE_INFINITY]], 'entry.data.x[1][1] is -Infinity'],
      [undefined, 'entry.data.x is a undefined, not plain JSON'],
      // A hole in an array is no value (JSON.stringify would write null): refused like undefined.
      // eslint-disable-next-line no-sparse-arrays
      [[1, , 2], 'entry.data.x[1] is a undefined, not plain JSON'],
      [new Date(0), 'entry.data.x is a Date, not plain JSON'],
      [new Uint8Array(2), 'entry.data.x is a Uint8Array, not plain JSON'],
      [new Thing(), 'entry.data.x is a Thing, not plain JSON'],
      [() => 1, 'entry.data.x is a function, not plain JSON'],
      [10n, 'entry.data.x is a bigint, not plain JSON'],
      [cyclic, 'entry.data.x.self contains itself'],
      [cyclicArray, 'entry.data.x[1][0] contains itself'],
    ];
    for (const [x, what] of cases) {
      expect(() => encodeEntry({ ...base(), data: { ok: 1, x } } as unknown as JournalEntry)).toThrow(expect.objectContaining({
        code: 'ENTRY_NOT_JSON', message: `Entry data cannot be written as JSON: ${what}.`,
        action: expect.stringMatching(/^This is a bug in the step that wrote the entry: data must be plain JSON/),
      }));
    }
    expect(() => encodeEntry({ ...base(), data: { a: shared, b: [shared, shared] } } as unknown as JournalEntry)).not.toThrow();
    expect(() => encodeEntry({ ...base(), data: { s: 'x\ud800' } } as unknown as JournalEntry)).toThrow(expect.objectContaining({
      code: 'ENTRY_NOT_JSON', message: expect.stringMatching(/^Entry data cannot be written as JSON: .*surrogate/i),
      action: 'This is a bug in the step that wrote the entry: data must be plain JSON (no NaN, Infinity, functions or cycles).',
    }));
  });

  it('refuses an entry that is not well formed (ENTRY_INVALID naming its seq and the field)', () => {
    expect(() => encodeEntry({ ...base(), seq: 4, time: 'yesterday' } as unknown as JournalEntry)).toThrow(expect.objectContaining({
      code: 'ENTRY_INVALID', message: 'Entry 4 is not well formed: time is not a UTC ISO 8601 time.', action: 'This is a bug in the step that wrote the entry.',
    }));
    expect(() => encodeEntry({ ...base(), extra: 1 } as unknown as JournalEntry)).toThrow(expect.objectContaining({ code: 'ENTRY_INVALID' }));
  });
});

describe('reading a line', () => {
  it('accepts a well-formed canonical entry, with or without a known previous hash', () => {
    expect(why(lineOf())).toBe('ok');
    expect(why(lineOf({ seq: 0, prev: ZERO_HASH }))).toBe('ok');
    expect(why(lineOf({ time: '2026-12-07T10:00:00Z' }))).toBe('ok');
    expect(why(lineOf({ time: '2026-12-07T10:00:00.123456789Z' }))).toBe('ok');
    expect(why(lineOf({ step: '' }))).toBe('ok');
    expect(why(lineOf({ seq: Number.MAX_SAFE_INTEGER }))).toBe('ok');
    expect(why(lineOf(), HASH)).toBe('ok');
  });

  it('names each field that is wrong', () => {
    const cases: [string, string][] = [
      [lineOf({}, ['v']), 'fields are [actor, ceremony, data, kind, prev, seq, step, time], expected [actor, ceremony, data, kind, prev, seq, step, time, v]'],
      [lineOf({}, ['time', 'v']), 'fields are [actor, ceremony, data, kind, prev, seq, step], expected [actor, ceremony, data, kind, prev, seq, step, time, v]'],
      [lineOf({ w: 1 }), 'fields are [actor, ceremony, data, kind, prev, seq, step, time, v, w], expected [actor, ceremony, data, kind, prev, seq, step, time, v]'],
      [lineOf({ v: 2 }), 'format version 2 is not 1'],
      [lineOf({ v: '1' }), 'format version "1" is not 1'],
      [lineOf({ seq: -1 }), 'seq is not a whole number'],
      [lineOf({ seq: 1.5 }), 'seq is not a whole number'],
      [lineOf({ seq: '3' }), 'seq is not a whole number'],
      [lineOf({ seq: 2 ** 53 }), 'seq is not a whole number'],
      [lineOf({ time: 12 }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ time: '2026-12-07T10:00:00.123+01:00' }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ time: ' 2026-12-07T10:00:00Z' }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ time: '2026-12-07T10:00:00Zx' }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ time: '2026-12-07T10:00:00.1234567890Z' }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ time: '2026-13-45T10:00:00Z' }), 'time is not a UTC ISO 8601 time'],
      [lineOf({ ceremony: '' }), 'ceremony id is missing'],
      [lineOf({ ceremony: 7 }), 'ceremony id is missing'],
      [lineOf({ kind: '' }), 'kind is missing'],
      [lineOf({ kind: ['k'] }), 'kind is missing'],
      [lineOf({ step: 1 }), 'step is not a string'],
      [lineOf({ actor: null }), 'actor is not { role, name }'],
      [lineOf({ actor: 'Ada' }), 'actor is not { role, name }'],
      [lineOf({ actor: ['administrator', 'Ada'] }), 'actor is not { role, name }'],
      [lineOf({ actor: { name: 'Ada', role: 1 } }), 'actor is not { role, name }'],
      [lineOf({ actor: { name: 1, role: 'r' } }), 'actor is not { role, name }'],
      [lineOf({ actor: { name: 'Ada', role: 'r', x: 1 } }), 'actor is not { role, name }'],
      [lineOf({ prev: HASH.toUpperCase() }), 'prev is not a 64-digit hex hash'],
      [lineOf({ prev: HASH.slice(2) }), 'prev is not a 64-digit hex hash'],
      [lineOf({ prev: HASH + '00' }), 'prev is not a 64-digit hex hash'],
      [lineOf({ prev: 5 }), 'prev is not a 64-digit hex hash'],
    ];
    for (const [text, expected] of cases) expect(why(text), text).toBe(expected);
  });

  it('takes a prev equal to the known previous hash as it is, and holds any other to the pattern', () => {
    // The caller vouches for knownPrev (the previous entry's own hash); the line's prev is checked against it elsewhere.
    expect(why(lineOf({ prev: 'x' }), 'x')).toBe('ok');
    expect(why(lineOf({ prev: 'x' }), HASH)).toBe('prev is not a 64-digit hex hash');
    expect(why(lineOf({ prev: 5 }), '5')).toBe('prev is not a 64-digit hex hash');
    expect(entryShapeProblem(JSON.parse(lineOf({ prev: 'y' })))).toBe('prev is not a 64-digit hex hash');
  });

  it('refuses any other spelling of the same entry as not canonical', () => {
    const good = lineOf();
    const variants = [
      good.replace('"seq":3', '"seq":3.0'),
      good.replace('"seq":3', '"seq":3e0'),
      good.replace('{"actor"', '{ "actor"'),
      good.replace('"Ada"', '"\\u0041da"'),
      good.replace('"actor":{"name":"Ada","role":"administrator"}', '"actor":{"role":"administrator","name":"Ada"}'),
      // Keys of the entry in another order: the same set, so only canonical form can refuse it.
      JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(good) as object).reverse())),
      good + ' ',
    ];
    for (const v of variants) {
      expect(v).not.toBe(good);
      expect(JSON.parse(v)).toEqual(JSON.parse(good));
      expect(why(v), v).toBe('not in RFC 8785 canonical form (bytes were changed)');
    }
  });

  it('hex gives exactly the bytes of a view, not of the buffer behind it', () => {
    const buf = Buffer.from('00010203040506', 'hex');
    expect(hex(buf.subarray(2, 5))).toBe('020304');
    expect(hex(new Uint8Array(buf.buffer, buf.byteOffset + 1, 2))).toBe('0102');
    expect(hex(new Uint8Array(0))).toBe('');
  });
});

describe('writing what is not an entry object', () => {
  it('is a typed refusal, not a crash', () => {
    expect(() => encodeEntry(null as never)).toThrow(expect.objectContaining({ code: 'ENTRY_INVALID', message: 'Entry undefined is not well formed: not a JSON object.' }));
    expect(() => encodeEntry('x' as never)).toThrow(expect.objectContaining({ code: 'ENTRY_INVALID', message: 'Entry undefined is not well formed: not a JSON object.' }));
    expect(() => encodeEntry(undefined as never)).toThrow(expect.objectContaining({ code: 'ENTRY_NOT_JSON', message: 'Entry data cannot be written as JSON: entry is a undefined, not plain JSON.' }));
  });
});
