/**
 * The line reader decides on the bytes it is given and nothing past them: the streaming verifier
 * reads a file into a reused buffer, so bytes after `end` are left from an earlier chunk. A newline
 * lying just past the end does not complete the last line (it is torn, or waits for the next chunk),
 * and an empty line is a malformed entry wherever it is, the first line included.
 */
import { describe, expect, it } from 'vitest';
import { encodeEntry, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { EntryLineReader, readEntryLines } from '../../../electron/core/transcript/entry-lines';

const line = encodeEntry({
  v: 1, seq: 0, time: '2026-01-01T00:00:00Z', ceremony: 'c-bounds', kind: 'note', step: '-',
  actor: { role: 'administrator', name: 'Ann' }, data: { text: 'first' }, prev: ZERO_HASH,
} as JournalEntry);

describe('the line reader reads only buf[0, end)', () => {
  it('a line whose newline is the byte at end is torn, not read', () => {
    const buf = Buffer.from(`${line}\n`, 'utf8');
    const end = buf.length - 1;
    expect(readEntryLines(buf, { end })).toEqual({ entries: [], leaves: [], offsets: [], stop: { seq: 0, offset: 0, problem: { kind: 'torn' } } });
    expect(readEntryLines(buf).entries).toHaveLength(1);
  });

  it('in a chunk buffer, a stale newline past end leaves the partial line for the next read', () => {
    const buf = Buffer.from(`${line}\n`, 'utf8');
    const reader = new EntryLineReader();
    const seen: number[] = [];
    const r = reader.read(buf, buf.length - 1, 0, (e) => seen.push(e.seq));
    expect(r).toEqual({ next: 0 });
    expect(seen).toEqual([]);
    expect(reader.read(buf, buf.length, 0, (e) => seen.push(e.seq))).toEqual({ next: buf.length });
    expect(seen).toEqual([0]);
  });

  it('an empty first line is malformed entry 0 at byte 0, not a torn end', () => {
    const r = readEntryLines(Buffer.from(`\n${line}\n`, 'utf8'));
    expect(r.entries).toEqual([]);
    expect(r.stop).toMatchObject({ seq: 0, offset: 0, problem: { kind: 'malformed' } });
    expect((r.stop?.problem as { why: string }).why).toMatch(/^not valid JSON/);
  });
});
