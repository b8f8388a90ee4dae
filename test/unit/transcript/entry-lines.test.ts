/**
 * The one reader of transcript lines (journal and verifier): entries, leaf hashes and offsets of the
 * good lines, and a typed stop at the first bad one, the same whatever the decoding window.
 */
import { describe, expect, it } from 'vitest';
import { encodeEntry, hex, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { readEntryLines } from '../../../electron/core/transcript/entry-lines';
import { leafHash } from '../../../electron/core/transcript/merkle';

function lines(n: number, edit: (e: JournalEntry) => JournalEntry = (e) => e, ceremony = 'c-lines'): string[] {
  const out: string[] = [];
  let prev = ZERO_HASH;
  for (let seq = 0; seq < n; seq++) {
    const base: JournalEntry = {
      v: 1, seq, time: '2026-01-01T00:00:00.000Z', ceremony, kind: 'note', step: 'step-1',
      actor: { role: 'administrator', name: seq % 2 ? 'Zoë' : 'Ann' }, data: { text: `entry ${seq}` }, prev,
    } as JournalEntry;
    const line = encodeEntry(edit(base));
    out.push(line);
    prev = hex(leafHash(Buffer.from(line, 'utf8')));
  }
  return out;
}

const buf = (ls: string[], tail = '\n'): Buffer => Buffer.from(ls.join('\n') + tail, 'utf8');

describe('readEntryLines', () => {
  it('reads every line: entries, leaf hashes, byte offsets', () => {
    const ls = lines(4);
    const r = readEntryLines(buf(ls));
    expect(r.stop).toBeUndefined();
    expect(r.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(r.leaves.map(hex)).toEqual(ls.map((l) => hex(leafHash(Buffer.from(l, 'utf8')))));
    const offsets = ls.map((_, i) => Buffer.byteLength(ls.slice(0, i).map((l) => l + '\n').join(''), 'utf8'));
    expect(r.offsets).toEqual(offsets);
  });

  it('reads an empty buffer as no entries', () => {
    expect(readEntryLines(Buffer.alloc(0))).toEqual({ entries: [], leaves: [], offsets: [] });
  });

  it('stops at a line that is not JSON, or not canonical, as malformed with why', () => {
    const ls = lines(3);
    const notJson = readEntryLines(buf([ls[0]!, '{"v":1,', ls[2]!]));
    expect(notJson.entries).toHaveLength(1);
    expect(notJson.stop).toMatchObject({ seq: 1, offset: ls[0]!.length + 1, problem: { kind: 'malformed' } });
    const spaced = readEntryLines(buf([ls[0]!, ls[1]!.replace('{', '{ ')]));
    expect(spaced.stop).toMatchObject({ seq: 1, problem: { kind: 'malformed' } });
    expect((spaced.stop!.problem as { why: string }).why).toMatch(/\S/);
    const blank = readEntryLines(buf([ls[0]!, '', ls[1]!]));
    expect(blank.stop).toMatchObject({ seq: 1, problem: { kind: 'malformed' } });
  });

  it('stops at a last line without its newline (torn), and reads only buf[0, end) when told', () => {
    const ls = lines(3);
    const b = buf(ls, '');
    expect(readEntryLines(b).stop).toMatchObject({ seq: 2, problem: { kind: 'torn' } });
    const end = b.lastIndexOf(0x0a) + 1;
    const r = readEntryLines(b, { end });
    expect(r.stop).toBeUndefined();
    expect(r.entries).toHaveLength(2);
  });

  it('stops at a seq out of order, giving the entry', () => {
    const ls = lines(3, (e) => (e.seq === 2 ? { ...e, seq: 7 } : e));
    const r = readEntryLines(buf(ls));
    expect(r.entries).toHaveLength(2);
    expect(r.stop).toMatchObject({ seq: 2, problem: { kind: 'seq', entry: { seq: 7 } } });
  });

  it('stops at an entry of another ceremony: the first entry\'s, or the one expected', () => {
    const ls = lines(3, (e) => (e.seq === 1 ? { ...e, ceremony: 'c-other' } : e));
    expect(readEntryLines(buf(ls)).stop).toMatchObject({ seq: 1, problem: { kind: 'ceremony', expected: 'c-lines', entry: { ceremony: 'c-other' } } });
    expect(readEntryLines(buf(lines(2)), { ceremony: 'c-else' }).stop).toMatchObject({ seq: 0, problem: { kind: 'ceremony', expected: 'c-else' } });
  });

  it('leaves prev links to the caller', () => {
    const ls = lines(3, (e) => (e.seq === 1 ? { ...e, prev: 'f'.repeat(64) } : e));
    const r = readEntryLines(buf(ls));
    expect(r.stop).toBeUndefined();
    expect(r.entries[1]!.prev).toBe('f'.repeat(64));
  });

  it('finds the same whatever the decoding window (ASCII and non-ASCII lines, longer than the window)', () => {
    const ls = lines(9);
    const good = buf(ls);
    const whole = readEntryLines(good);
    for (const decodeWindow of [1, 7, 300, 1000]) expect(readEntryLines(good, { decodeWindow })).toEqual(whole);
    const bad = buf([...ls.slice(0, 5), 'not json', ...ls.slice(6)]);
    const badWhole = readEntryLines(bad);
    expect(badWhole.stop).toMatchObject({ seq: 5, problem: { kind: 'malformed' } });
    for (const decodeWindow of [1, 7, 300]) expect(readEntryLines(bad, { decodeWindow })).toEqual(badWhole);
  });
});
