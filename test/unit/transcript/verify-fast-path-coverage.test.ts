/**
 * `keyrite verify` of an honest transcript reads it on the fast path (#17: about twice the read+parse
 * floor, where the full parse of every line costs about nine times): every line after the first is
 * read by position (entry-positions.ts), the first by the quick parse with the byte scan, none by
 * the full parse. The line reader's public counters (EntryLineReader.readBy, and the verifier's
 * StreamedTranscript.readBy) say which reader took each good line. The lines the positional reader
 * cannot take by design go to the reader named below, and whoever reads a line, the entry is the one
 * the full parse (entry-codec's parseEntryLine) makes of it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntry, hex, parseEntryLine, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { EntryLineReader, readEntryLines } from '../../../electron/core/transcript/entry-lines';
import { leafHash } from '../../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { streamTranscript } from '../../../electron/core/transcript/verify-stream';
import { tempDir } from '../../helpers/softhsm';
import { softwareRootKey, writeCeremony } from './ceremony-fixture';

const tmp = tempDir('keyrite-fast-path-coverage-');
const good = path.join(tmp.dir, 'good');
const file = path.join(good, 'transcript.jsonl');
/** What the verifier asks of the pass besides the entries: nothing here. */
const noOpts = { sizes: new Set<number>(), offsetSeqs: new Set<number>(), onEntry: () => undefined };

beforeAll(async () => {
  const signer = (name: string) => keyFileSigner(generateNoteKey(name).signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string };
  const { journal } = await writeCeremony(good, {
    ceremonyId: 'c-coverage', makeRootKey: softwareRootKey, padding: 4, promises: ['key-locked'], lock: { extractable: false },
    transcriptSigner: signer('keyrite.transcript/c-coverage'), witnesses: [{ name: 'Wendy', signer: signer('witness/wendy') }],
  });
  await journal.close();
});
afterAll(() => tmp.cleanup());

/** The full parse's entry of each line (the reference whoever reads the line). */
const fullEntries = (lines: string[]): JournalEntry[] =>
  lines.map((l) => {
    const r = parseEntryLine(Buffer.from(l, 'utf8'));
    if (!r.ok) throw new Error(`the full parse refuses ${l}: ${r.why}`);
    return r.entry;
  });

const linesOf = (buf: Buffer): string[] => buf.toString('utf8').split('\n').slice(0, -1);

/** One reader over the lines in one buffer: what it read, how, and its answer. */
function readLines(lines: string[], opts: { ceremony?: string; decodeWindow?: number } = {}) {
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  const reader = new EntryLineReader(opts);
  const entries: JournalEntry[] = [];
  const offsets: number[] = [];
  const r = reader.read(buf, buf.length, 0, (e, _leaf, offset) => {
    entries.push(e);
    offsets.push(offset);
  });
  return { r, entries, offsets, readBy: { ...reader.readBy }, length: buf.length };
}

const TIME = '2026-11-28T09:00:07.000Z';
/** A chained journal of `rows` (seq, prev and ceremony filled in), as the journal writes it. */
function chain(rows: Partial<JournalEntry>[], ceremony = 'c-chain'): string[] {
  let prev = ZERO_HASH;
  return rows.map((over, seq) => {
    const line = encodeEntry({
      v: 1, seq, time: TIME, ceremony, kind: 'step.note', step: 'step-1',
      actor: { role: 'administrator', name: 'Ada Admin' }, data: { n: seq, text: `observation ${seq}` }, prev, ...over,
    } as JournalEntry);
    prev = hex(leafHash(Buffer.from(line, 'utf8')));
    return line;
  });
}
const plainRows = (n: number): Partial<JournalEntry>[] => Array.from({ length: n }, () => ({}));

describe('an honest ceremony transcript is read on the fast path', () => {
  it('by the verifier: every line after the first by position, whatever the chunk size, and VALID', async () => {
    const n = linesOf(readFileSync(file)).length;
    expect(n).toBeGreaterThan(40);
    for (const chunkSize of [undefined, 97, 300, 4096, 1 << 20]) {
      const s = await streamTranscript(file, { ...noOpts, ...(chunkSize ? { chunkSize } : {}) });
      expect(s.failure).toBeUndefined();
      expect(s.count).toBe(n);
      expect(s.readBy, `chunk size ${chunkSize}`).toEqual({ position: n - 1, quick: 1, full: 0 });
    }
    const r = await verifyTranscript(good);
    expect(r.failure).toBeUndefined();
    expect(r.valid).toBe(true);
  });

  it('by the verifier told the ceremony: every line by position, the first included', async () => {
    const n = linesOf(readFileSync(file)).length;
    const s = await streamTranscript(file, { ...noOpts, ceremony: 'c-coverage', chunkSize: 500 });
    expect(s.failure).toBeUndefined();
    expect(s.readBy).toEqual({ position: n, quick: 0, full: 0 });
  });

  it('by the journal reopening it (readEntryLines): the same entries the full parse makes, line by line', () => {
    const lines = linesOf(readFileSync(file));
    const read = readLines(lines);
    expect(read.r).toEqual({ next: read.length });
    expect(read.readBy).toEqual({ position: lines.length - 1, quick: 1, full: 0 });
    expect(read.entries).toStrictEqual(fullEntries(lines));
    expect(readEntryLines(readFileSync(file)).entries).toStrictEqual(fullEntries(lines));
  });

  it('across decode windows of any size: each window starts and ends on whole lines, every line still by position', () => {
    const lines = chain(plainRows(12));
    const width = Math.max(...lines.map((l) => Buffer.byteLength(`${l}\n`)));
    for (const decodeWindow of [width, width + 1, width + 7, 2 * width - 1, 2 * width + 3, 5 * width, 1 << 20]) {
      const read = readLines(lines, { decodeWindow });
      expect(read.readBy, `window ${decodeWindow}`).toEqual({ position: lines.length - 1, quick: 1, full: 0 });
      expect(read.entries).toStrictEqual(fullEntries(lines));
    }
  });

  it('across read() calls (the verifier\'s chunks): the line that begins a chunk is read by position too', () => {
    const lines = chain(plainRows(6));
    const all = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    const reader = new EntryLineReader();
    const seen: number[] = [];
    // The first chunk ends inside line 3: lines 0-2 are read, the rest waits for the next chunk.
    const cut = all.indexOf(0x0a, all.indexOf(0x0a, all.indexOf(0x0a) + 1) + 1) + 40;
    const first = reader.read(all.subarray(0, cut), cut, 0, (e) => seen.push(e.seq));
    expect(seen).toEqual([0, 1, 2]);
    const rest = all.subarray(first.next);
    expect(reader.read(rest, rest.length, first.next, (e, _l, offset) => seen.push(offset === all.indexOf(lines[e.seq] as string) ? e.seq : -1))).toEqual({ next: rest.length });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reader.readBy).toEqual({ position: 5, quick: 1, full: 0 });
  });
});

describe('the lines the positional reader does not take go to the next reader', () => {
  it('a non-ASCII line to the full parse, its ASCII neighbours in the same window still by position', () => {
    const rows: Partial<JournalEntry>[] = plainRows(9);
    rows[3] = { data: { text: 'Zoë signed; 证人 watched; 🔑' } };
    rows[5] = { actor: { role: 'witness', name: 'Zoë Müller' } };
    rows[6] = { step: 'étape-2' };
    const lines = chain(rows);
    for (const decodeWindow of [undefined, 700, 1 << 20]) {
      const read = readLines(lines, decodeWindow === undefined ? {} : { decodeWindow });
      expect(read.r).toEqual({ next: read.length });
      expect(read.readBy, `window ${decodeWindow}`).toEqual({ position: 5, quick: 1, full: 3 });
      expect(read.entries).toStrictEqual(fullEntries(lines));
    }
  });

  it('a non-ASCII first line (a participant\'s name) to the full parse, every line after it by position', () => {
    const rows = plainRows(8);
    rows[0] = { kind: 'ceremony.start', step: '-', data: { participants: [{ role: 'custodian', name: 'Frédérique' }] } };
    const lines = chain(rows);
    const read = readLines(lines);
    expect(read.readBy).toEqual({ position: 7, quick: 0, full: 1 });
    expect(read.entries).toStrictEqual(fullEntries(lines));
  });

  it('a line longer than the decode window to the full parse, the lines after it by position', () => {
    const rows = plainRows(8);
    rows[4] = { data: { text: 'x'.repeat(3000) } };
    const lines = chain(rows);
    const width = Buffer.byteLength(`${lines[0]}\n`);
    for (const decodeWindow of [width + 5, 3 * width]) {
      const read = readLines(lines, { decodeWindow });
      expect(read.readBy, `window ${decodeWindow}`).toEqual({ position: 6, quick: 1, full: 1 });
      expect(read.entries).toStrictEqual(fullEntries(lines));
    }
    // Within a window that holds it, the long line is read by position like the others.
    expect(readLines(lines).readBy).toEqual({ position: 7, quick: 1, full: 0 });
  });

  it('a line the positional reader cannot match byte for byte (an escape in the actor, kind or step) to the quick parse', () => {
    const rows = plainRows(8);
    rows[2] = { actor: { role: 'administrator', name: 'Ada "the admin"' } };
    rows[3] = { kind: 'step\tnote' } as Partial<JournalEntry>;
    rows[5] = { step: 'step\\5' };
    const lines = chain(rows);
    const read = readLines(lines);
    expect(read.readBy).toEqual({ position: 4, quick: 4, full: 0 });
    expect(read.entries).toStrictEqual(fullEntries(lines));
  });

  it('every line of a ceremony whose id it cannot match byte for byte to the quick parse', () => {
    const lines = chain(plainRows(5), 'c"quoted');
    const read = readLines(lines);
    expect(read.readBy).toEqual({ position: 0, quick: 5, full: 0 });
    expect(read.entries).toStrictEqual(fullEntries(lines));
    expect(readLines(lines, { ceremony: 'c"quoted' }).readBy).toEqual({ position: 0, quick: 5, full: 0 });
  });

  it('a canonical line the byte scan cannot vouch for (an escaped data key, data nested past 64) to the full parse', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    const rows = plainRows(6);
    rows[2] = { data: { 'line\nbreak': 1 } };
    rows[4] = { data: { deep } };
    const lines = chain(rows);
    const read = readLines(lines);
    expect(read.readBy).toEqual({ position: 3, quick: 1, full: 2 });
    expect(read.entries).toStrictEqual(fullEntries(lines));
  });

  it('a line whose prev is not the last line\'s hash to the quick parse; the verifier then names the broken link', async () => {
    const lines = chain(plainRows(6));
    const relinked = [...lines];
    relinked[3] = (lines[3] as string).replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${'ab'.repeat(32)}"`);
    const read = readLines(relinked);
    // Line 3's prev and line 4's (line 3's old hash) are not what the reader expects: both leave the positional reader.
    expect(read.readBy).toEqual({ position: 3, quick: 3, full: 0 });
    expect(read.entries).toStrictEqual(fullEntries(relinked));
    const f = path.join(tmp.dir, 'relinked.jsonl');
    (await import('node:fs')).writeFileSync(f, relinked.map((l) => `${l}\n`).join(''));
    const s = await streamTranscript(f, noOpts);
    expect(s.failure).toMatchObject({ code: 'ENTRY_CHAIN', seq: 3 });
    expect(s.readBy).toEqual({ position: 3, quick: 3, full: 0 });
  });

  it('counts good lines only: a reader stopped at a bad line has counted the lines before it', () => {
    const lines = chain(plainRows(6));
    const bad = [...lines];
    bad[4] = (lines[4] as string).replace('"seq":4', '"seq":9');
    const read = readLines(bad);
    expect(read.r.stop).toMatchObject({ seq: 4, problem: { kind: 'seq' } });
    expect(read.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(read.readBy).toEqual({ position: 3, quick: 1, full: 0 });
  });
});
