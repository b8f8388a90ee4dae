/**
 * The streaming pass of the verifier (verify-stream.ts): whatever the chunk size (smaller than one
 * line, a few lines, the whole file) it finds what the whole-buffer scan finds (same entry count,
 * root, first bad entry and byte offset), keeps entry 0 and the fact entries only, and refuses a
 * transcript whose facts pass its memory budget as unusable input (INPUT_TOO_LARGE), never a crash.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntry, hex, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import { ENTRY_KINDS, type JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { merkleRoot } from '../../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { MIN_ENTRY_LINE, scanTranscript, transcriptSizeLimit } from '../../../electron/core/transcript/verify-entries';
import { KEPT_KINDS, streamTranscript } from '../../../electron/core/transcript/verify-stream';
import { tempDir } from '../../helpers/softhsm';
import { softwareRootKey, writeCeremony } from './ceremony-fixture';

const tmp = tempDir('keyrite-verify-stream-');
const good = path.join(tmp.dir, 'good');
const file = path.join(good, 'transcript.jsonl');
const noOpts = { sizes: new Set<number>(), offsetSeqs: new Set<number>(), onEntry: () => undefined };

type FixtureSigner = ReturnType<typeof keyFileSigner> & { verifierKey: string };
const signer = (name: string) => keyFileSigner(generateNoteKey(name).signerKey) as FixtureSigner;
const fixture = { ceremonyId: 'c-stream', makeRootKey: softwareRootKey, padding: 3 };
beforeAll(async () => (await writeCeremony(good, { ...fixture, transcriptSigner: signer('keyrite.transcript/c-stream'), witnesses: [{ name: 'Wendy', signer: signer('witness/wendy') }] })).journal.close());
afterAll(() => tmp.cleanup());

/** A copy of the good transcript with `edit` applied to its bytes. */
function variant(name: string, edit: (b: Buffer) => Buffer): string {
  const f = path.join(tmp.dir, `${name}.jsonl`);
  writeFileSync(f, edit(Buffer.from(readFileSync(file))));
  return f;
}

describe('streamTranscript', () => {
  it('finds what the whole-buffer scan finds, whatever the chunk size, keeping only entry 0 and fact entries', async () => {
    const whole = scanTranscript(readFileSync(file), undefined);
    const sizes = new Set([1, 3, whole.entries.length]);
    for (const [chunkSize, workerFrom] of [[7, undefined], [300, undefined], [4096, undefined], [1 << 20, undefined], [300, 0], [1 << 20, 0]] as const) {
      const seen: number[] = [];
      const s = await streamTranscript(file, { ...noOpts, sizes, chunkSize, workerFrom, onEntry: (e, offset) => seen.push(offset - (whole.offsets[e.seq] as number)) });
      expect(s.failure).toBeUndefined();
      expect(s.count).toBe(whole.entries.length);
      expect(seen.every((d) => d === 0)).toBe(true);
      expect(hex(s.root)).toBe(hex(merkleRoot(whole.leaves)));
      for (const n of sizes) expect(hex(s.roots.get(n) as Uint8Array)).toBe(hex(merkleRoot(whole.leaves, n)));
      expect(s.kept).toEqual(whole.entries.filter((e) => e.seq === 0 || KEPT_KINDS.has(e.kind)));
      expect(s.kept.length).toBeLessThan(whole.entries.length);
      expect(s.lastTime).toBe(whole.entries.at(-1)?.time);
    }
  });

  it('names the same first bad entry and byte as the whole-buffer scan, for a changed byte, a non-ASCII byte, a broken link and a torn end', async () => {
    const buf = readFileSync(file);
    const third = buf.indexOf(0x0a, buf.indexOf(0x0a) + 1) + 1;
    const files = [
      variant('digit', (b) => { b[b.indexOf('"seq":4') + 6] = 0x35; return b; }),
      variant('latin', (b) => { b[third + 10] = 0xe9; return b; }),
      variant('prev', (b) => { const at = b.indexOf('"prev":"', third) + 8; b[at] = b[at] === 0x61 ? 0x62 : 0x61; return b; }),
      variant('last-prev', (b) => { const at = b.lastIndexOf('"prev":"') + 8; b[at] = b[at] === 0x61 ? 0x62 : 0x61; return b; }),
      variant('torn', (b) => b.subarray(0, b.length - 1)),
      variant('tiny-lines', (b) => Buffer.concat([b.subarray(0, third), Buffer.alloc(20000, 0x0a), b.subarray(third)])),
    ];
    for (const f of files) {
      const whole = scanTranscript(readFileSync(f), undefined);
      expect(whole.failure).toBeDefined();
      for (const [chunkSize, workerFrom] of [[7, undefined], [300, undefined], [1 << 20, undefined], [7, 0], [1 << 20, 0]] as const) {
        const s = await streamTranscript(f, { ...noOpts, chunkSize, workerFrom });
        expect(s.failure).toEqual(whole.failure);
        expect(s.ambiguousLink).toEqual(whole.ambiguousLink);
        expect(s.count).toBe(whole.entries.length);
      }
    }
  });

  it('refuses a transcript whose kept entries pass its memory budget: INPUT_TOO_LARGE, a typed error saying what to do', async () => {
    await expect(streamTranscript(file, { ...noOpts, budget: 2000 })).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE', message: expect.stringContaining('more than this machine can verify') as unknown, action: expect.stringContaining('more memory') as unknown,
    });
    await expect(streamTranscript(file, { ...noOpts, budget: 1000, chunkSize: 100 })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('gives the root at size 0 and at each size asked for that the entries reach, the byte offset of each seq asked for and of the last entry, and with keepAll every entry', async () => {
    const whole = scanTranscript(readFileSync(file), undefined);
    const n = whole.entries.length;
    const plain = whole.entries.filter((e) => e.seq > 0 && e.seq < n - 1 && !KEPT_KINDS.has(e.kind));
    const [asked, notAsked] = [plain[0] as JournalEntry, plain[1] as JournalEntry];
    for (const workerFrom of [undefined, 0]) {
      const t = await streamTranscript(file, { ...noOpts, chunkSize: 300, workerFrom, sizes: new Set([0, 2, n - 1, n + 1]) });
      expect([...t.roots.keys()].sort((a, b) => a - b)).toEqual([0, 2, n - 1]);
      expect(hex(t.roots.get(n - 1) as Uint8Array)).toBe(hex(merkleRoot(whole.leaves, n - 1)));
    }
    const s = await streamTranscript(file, { ...noOpts, chunkSize: 300, sizes: new Set([0, 2, n + 1]), offsetSeqs: new Set([asked.seq]) });
    expect([...s.roots.keys()].sort((a, b) => a - b)).toEqual([0, 2]);
    expect(hex(s.roots.get(0) as Uint8Array)).toBe(hex(merkleRoot([])));
    expect(hex(s.roots.get(2) as Uint8Array)).toBe(hex(merkleRoot(whole.leaves, 2)));
    expect([...(await streamTranscript(file, { ...noOpts, sizes: new Set([2]) })).roots.keys()]).toEqual([2]);
    expect(s.offsets[asked.seq]).toBe(whole.offsets[asked.seq]);
    expect(s.offsets[notAsked.seq]).toBeUndefined();
    // Cut after an entry of a kind not kept: it is the last, so its offset is still given.
    const cut = variant('cut-plain', (b) => b.subarray(0, whole.offsets[notAsked.seq + 1]));
    const c = await streamTranscript(cut, { ...noOpts, chunkSize: 300 });
    expect(c.failure).toBeUndefined();
    expect(c.count).toBe(notAsked.seq + 1);
    expect(c.offsets[notAsked.seq]).toBe(whole.offsets[notAsked.seq]);
    expect(c.lastTime).toBe(notAsked.time);
    const all = await streamTranscript(file, { ...noOpts, chunkSize: 300, keepAll: true });
    expect(all.kept).toEqual(whole.entries);
  });

  it('refuses an entry of another ceremony than the one asked for: ENTRY_CEREMONY at entry 0, byte 0', async () => {
    const s = await streamTranscript(file, { ...noOpts, ceremony: 'c-other' });
    expect(s.failure).toMatchObject({ code: 'ENTRY_CEREMONY', seq: 0, offset: 0, expected: 'c-other', actual: 'c-stream' });
    expect(s.count).toBe(0);
  });

  it('grows its buffer for a line longer than a chunk, up to the budget: a longer line is INPUT_TOO_LARGE naming its size', async () => {
    const long = variant('long-line', (b) => Buffer.concat([b.subarray(0, b.indexOf(0x0a)), Buffer.alloc(5000, 0x20), b.subarray(b.indexOf(0x0a))]));
    const whole = scanTranscript(readFileSync(long), undefined);
    const s = await streamTranscript(long, { ...noOpts, chunkSize: 64 });
    expect(s.failure).toEqual(whole.failure);
    expect((await streamTranscript(long, { ...noOpts, chunkSize: 64, workerFrom: 0 })).failure).toEqual(whole.failure);
    // The line needs 8192 bytes: a budget of exactly that is enough.
    expect((await streamTranscript(long, { ...noOpts, chunkSize: 64, budget: 8192 })).failure).toEqual(whole.failure);
    await expect(streamTranscript(long, { ...noOpts, chunkSize: 64, budget: 4096 })).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/has a line of more than 0 MiB \(byte 0\).*more than this machine can verify/) as unknown,
    });
  });

  it('counts the lines of kept and reported entries only against the budget, and refuses one byte past it with the budget in its message', async () => {
    const whole = scanTranscript(readFileSync(file), undefined);
    const reported = new Set<string>([ENTRY_KINDS.stepIntent, ENTRY_KINDS.stepResult, ENTRY_KINDS.stepAttest, ENTRY_KINDS.deviation, ENTRY_KINDS.shareVerified]);
    const ends = [...whole.offsets.slice(1), readFileSync(file).length];
    const held = (e: JournalEntry) => 4 * ((ends[e.seq] as number) - (whole.offsets[e.seq] as number) - 1);
    const counted = whole.entries.filter((e) => e.seq === 0 || KEPT_KINDS.has(e.kind) || reported.has(e.kind));
    expect(counted.length).toBeLessThan(whole.entries.length);
    const budget = counted.reduce((sum, e) => sum + held(e), 0);
    expect((await streamTranscript(file, { ...noOpts, budget })).count).toBe(whole.entries.length);
    await expect(streamTranscript(file, { ...noOpts, budget: budget - 1 })).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE', message: expect.stringContaining('records more keys, files and facts than fit in 0 MiB') as unknown,
    });
  });

  it('keeps entry 0 whatever its kind, gives nothing for an empty file, and lets a broken last link before a torn end decide nothing over the torn line', async () => {
    const first = encodeEntry({ v: 1, seq: 0, time: '2026-01-01T00:00:00Z', ceremony: 'c', kind: 'x.other', step: '', actor: { role: '', name: '' }, data: null, prev: ZERO_HASH });
    const one = path.join(tmp.dir, 'one.jsonl');
    writeFileSync(one, `${first}\n`);
    const s = await streamTranscript(one, noOpts);
    expect(s.kept.map((e) => e.kind)).toEqual(['x.other']);
    expect(s.offsets).toEqual([0]);
    const empty = path.join(tmp.dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const e = await streamTranscript(empty, { ...noOpts, sizes: new Set([0]) });
    expect(e).toMatchObject({ count: 0, kept: [] });
    expect(e.failure).toBeUndefined();
    expect(Object.keys(e.offsets)).toEqual([]);
    expect(hex(e.root)).toBe(hex(merkleRoot([])));
    const f = variant('prev-then-torn', (b) => {
      const lastLine = b.lastIndexOf(0x0a, b.length - 2) + 1;
      const at = b.lastIndexOf('"prev":"', lastLine - 2) + 8;
      b[at] = b[at] === 0x61 ? 0x62 : 0x61;
      return b.subarray(0, b.length - 1);
    });
    const whole = scanTranscript(readFileSync(f), undefined);
    for (const chunkSize of [7, 1 << 20]) {
      const t = await streamTranscript(f, { ...noOpts, chunkSize });
      expect(t.failure).toMatchObject({ code: 'ENTRY_TORN', seq: whole.entries.length });
      expect(t.failure).toEqual(whole.failure);
    }
  });

  it('closes the file it read, whether it ends well, on a bad line or past the budget', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 5; i++) {
      await streamTranscript(file, noOpts);
      await streamTranscript(variant('torn-close', (b) => b.subarray(0, b.length - 1)), noOpts);
      await expect(streamTranscript(file, { ...noOpts, budget: 100 })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    }
    expect(open()).toBe(before);
  });

  it('refuses a missing file as unreadable input', async () => {
    await expect(streamTranscript(path.join(tmp.dir, 'nope.jsonl'), noOpts)).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE', message: expect.stringContaining('nope.jsonl cannot be read: ENOENT') as unknown, action: expect.stringContaining('permissions') as unknown,
    });
    // A directory opens but cannot be read.
    await expect(streamTranscript(tmp.dir, noOpts)).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE', message: expect.stringContaining('cannot be read: EISDIR') as unknown, action: expect.stringContaining('permissions') as unknown,
    });
  });
});

describe('transcriptSizeLimit', () => {
  it('allows 32 bytes of tree state per entry of the smallest possible line, in a sixth of memory', () => {
    const smallest = encodeEntry({ v: 1, seq: 0, time: '2026-01-01T00:00:00Z', ceremony: 'c', kind: 'k', step: '', actor: { role: '', name: '' }, data: null, prev: ZERO_HASH });
    expect(MIN_ENTRY_LINE).toBe(Buffer.byteLength(smallest) + 1);
    const gib = 2 ** 30;
    expect(transcriptSizeLimit(6 * gib)).toBe((gib / 32) * MIN_ENTRY_LINE);
  });
});
