/**
 * The streaming verifier reads the next chunk (and has its leaves hashed, on a worker thread for a
 * large file) while it checks the current one (verify-stream.ts). Reading ahead must never change
 * a finding: a bad line is named even when a line too long for the machine follows it, a line
 * longer than a chunk is read whole wherever it falls, and the entries, offsets and roots are the
 * whole-buffer scan's for every chunk size, on either thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntry, hex, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import { leafHash, merkleRoot } from '../../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { scanTranscript } from '../../../electron/core/transcript/verify-entries';
import { streamTranscript } from '../../../electron/core/transcript/verify-stream';
import { tempDir } from '../../helpers/softhsm';
import { softwareRootKey, writeCeremony } from './ceremony-fixture';

const tmp = tempDir('keyrite-stream-ahead-');
const good = path.join(tmp.dir, 'good');
const file = path.join(good, 'transcript.jsonl');
const noOpts = { sizes: new Set<number>(), offsetSeqs: new Set<number>(), onEntry: () => undefined };
/** Hashed on the verifier's thread (the default for a small file) and on a worker thread. */
const THREADS = [['its own thread', undefined], ['a worker thread', 0]] as const;

type FixtureSigner = ReturnType<typeof keyFileSigner> & { verifierKey: string };
const signer = (name: string) => keyFileSigner(generateNoteKey(name).signerKey) as FixtureSigner;
beforeAll(async () => (await writeCeremony(good, { ceremonyId: 'c-ahead', makeRootKey: softwareRootKey, padding: 3, transcriptSigner: signer('keyrite.transcript/c-ahead'), witnesses: [] })).journal.close());
afterAll(() => tmp.cleanup());

const lines = (): Buffer[] => {
  const b = readFileSync(file);
  const out: Buffer[] = [];
  for (let s = 0; s < b.length;) {
    const nl = b.indexOf(0x0a, s);
    out.push(b.subarray(s, nl + 1));
    s = nl + 1;
  }
  return out;
};

/** A chained transcript of step notes, one per data value (entry 0 included). */
function synthetic(datas: unknown[]): Buffer {
  let prev = ZERO_HASH;
  return Buffer.concat(datas.map((data, seq) => {
    const line = encodeEntry({ v: 1, seq, time: '2026-01-01T00:00:00.000Z', ceremony: 'c-synth', kind: 'step.note', step: 's', actor: { role: 'r', name: 'n' }, data, prev });
    prev = hex(leafHash(Buffer.from(line)));
    return Buffer.from(`${line}\n`);
  }));
}

/** Lines all `length` bytes long (newline included). */
function sameLength(count: number, length: number): Buffer {
  const bare = Buffer.byteLength(synthetic([{ pad: '' }]));
  return synthetic(Array.from({ length: count }, (_, seq) => ({ pad: 'x'.repeat(length - bare - (String(seq).length - 1)) })));
}

/** The stream's findings, entries, offsets and roots are the whole-buffer scan's. */
async function sameAsScan(f: string, opts: { chunkSize?: number; workerFrom?: number | undefined }): Promise<void> {
  const whole = scanTranscript(readFileSync(f), undefined);
  const n = whole.entries.length;
  const sizes = new Set([0, 1, Math.floor(n / 2), n]);
  const seen: Array<[number, number]> = [];
  const s = await streamTranscript(f, { ...noOpts, ...opts, sizes, onEntry: (e, offset) => seen.push([e.seq, offset]) });
  expect(s.failure).toEqual(whole.failure);
  expect(s.count).toBe(n);
  expect(seen).toEqual(whole.entries.map((e) => [e.seq, whole.offsets[e.seq]]));
  expect(hex(s.root)).toBe(hex(merkleRoot(whole.leaves)));
  for (const size of sizes) expect(hex(s.roots.get(size) as Uint8Array), `size ${size}`).toBe(hex(merkleRoot(whole.leaves, size)));
}

function write(name: string, parts: Buffer[]): string {
  const f = path.join(tmp.dir, `${name}.jsonl`);
  writeFileSync(f, Buffer.concat(parts));
  return f;
}

describe.each(THREADS)('reading ahead, hashing on %s', (_name, workerFrom) => {
  it('names a bad line even when a line longer than the memory budget follows it (the long line is never read whole)', async () => {
    const ls = lines();
    const f = write(`bad-then-huge-${String(workerFrom)}`, [...ls.slice(0, 4), Buffer.from('not an entry\n'), Buffer.alloc(64 * 1024, 0x78), Buffer.from('\n')]);
    const whole = scanTranscript(readFileSync(f), undefined);
    expect(whole.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 4 });
    for (const chunkSize of [64, 512, 4096]) {
      const s = await streamTranscript(f, { ...noOpts, chunkSize, budget: 8192, workerFrom });
      expect(s.failure, `chunk ${chunkSize}`).toEqual(whole.failure);
      expect(s.count).toBe(4);
    }
    // With nothing bad before it, the same line is refused as more than the machine can hold.
    const huge = write(`huge-${String(workerFrom)}`, [...ls.slice(0, 4), Buffer.alloc(64 * 1024, 0x78), Buffer.from('\n')]);
    await expect(streamTranscript(huge, { ...noOpts, chunkSize: 512, budget: 8192, workerFrom })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('reads a line longer than a chunk whole wherever it falls, and gives the scan\'s entries, offsets and roots', async () => {
    const ls = lines();
    const n = ls.length;
    // Every entry line is longer than 64 and 100 bytes: those chunks grow for each line.
    const whole = scanTranscript(readFileSync(file), undefined);
    const sizes = new Set(Array.from({ length: n + 1 }, (_, i) => i));
    for (const chunkSize of [64, 100, 333, 1000, 5000]) {
      const seen: Array<[number, number]> = [];
      const s = await streamTranscript(file, { ...noOpts, sizes, chunkSize, workerFrom, onEntry: (e, offset) => seen.push([e.seq, offset]) });
      expect(s.failure).toBeUndefined();
      expect(s.count).toBe(n);
      expect(seen).toEqual(whole.entries.map((e) => [e.seq, whole.offsets[e.seq]]));
      expect(hex(s.root)).toBe(hex(merkleRoot(whole.leaves)));
      expect([...s.roots.keys()].sort((a, b) => a - b)).toEqual([...sizes]);
      for (const [size, root] of s.roots) expect(hex(root), `size ${size}, chunk ${chunkSize}`).toBe(hex(merkleRoot(whole.leaves, size)));
    }
  });

  it('hands a line longer than a hashing batch (256 KiB) to the hasher whole, wherever it lies in a chunk', async () => {
    const datas: unknown[] = Array.from({ length: 40 }, (_, i) => ({ i }));
    datas[7] = { text: 'y'.repeat(300 * 1024) };
    datas[30] = { text: 'z'.repeat(600 * 1024) };
    const f = write(`long-entries-${String(workerFrom)}`, [synthetic(datas)]);
    for (const chunkSize of [1 << 20, 4 << 20]) await sameAsScan(f, { chunkSize, workerFrom });
    // The same line when it is bad: named, not passed over.
    const bad = write(`long-bad-${String(workerFrom)}`, [synthetic(datas.slice(0, 7)), Buffer.from(`${'x'.repeat(300 * 1024)}\n`), synthetic(datas.slice(0, 3))]);
    await sameAsScan(bad, { chunkSize: 1 << 20, workerFrom });
  });

  it('gives every line of a file of many hashing batches, and of one whose chunks end exactly at its lines\' ends', async () => {
    // 3,000 lines of 250 bytes: three batches of 256 KiB in a 1 MiB chunk, many chunks of 250 or 500 bytes.
    const f = write(`same-length-${String(workerFrom)}`, [sameLength(3000, 250)]);
    expect(readFileSync(f).length).toBe(3000 * 250);
    for (const chunkSize of [250, 500, 1 << 20]) await sameAsScan(f, { chunkSize, workerFrom });
    // Two and a half chunks of 1 MiB: the third is read into the first's buffer, whose old lines lie past its end.
    const reused = write(`reused-buffer-${String(workerFrom)}`, [sameLength(10_000, 250)]);
    await sameAsScan(reused, { chunkSize: 1 << 20, workerFrom });
    // Cut to a whole number of chunks, then torn in the last one.
    const torn = write(`same-length-torn-${String(workerFrom)}`, [sameLength(12, 250).subarray(0, 12 * 250 - 1)]);
    await sameAsScan(torn, { chunkSize: 250, workerFrom });
  });
});
