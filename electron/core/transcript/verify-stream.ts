/**
 * The verifier's one pass over transcript.jsonl, streamed: the file is read in chunks, each line
 * checked as the journal reads it (entry-lines.ts), its prev link checked (ChainCheck), its leaf hash
 * appended to the Merkle frontier (the root at every checkpoint size is taken on the way), and the
 * entry handed to the fact collectors. What is kept: the frontier, the roots asked for, a few byte
 * offsets, and whole entries only of the kinds the later checks read (keys, files, promises,
 * attestations, check-ups): never the file, never every entry.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { KeyriteError } from '../util/errors';
import { ATTESTATION_KINDS } from '../attestation/entries';
import { SHARE_CHECKED_UP } from '../lifecycle/check-ups';
import { ENTRY_KINDS, type JournalEntry } from './entry-kinds';
import { EntryLineReader } from './entry-lines';
import { EMPTY_ROOT } from './merkle';
import { InlineLeaves, WorkerLeaves, type LeafSource } from './leaf-hasher';
import { ChainCheck, factBudget, lineFailure } from './verify-entries';
import type { VerifyFailure } from './verify-types';

/**
 * Kinds kept whole for the checks after the pass (and entry 0, whatever its kind): signer keys
 * (verify-keys.ts), promises (verify-promises.ts), files (verify-file-facts.ts, verify-files.ts),
 * attestations (attestation/transcript-check.ts), check-ups (lifecycle/check-ups.ts). A check that
 * reads another kind must add it here.
 */
export const KEPT_KINDS: ReadonlySet<string> = new Set([
  ENTRY_KINDS.ceremonyStart, ENTRY_KINDS.ceremonySealed, ENTRY_KINDS.keyGenerated, ENTRY_KINDS.keyPrior, ENTRY_KINDS.keyLocked, ENTRY_KINDS.keyDestroyed,
  ENTRY_KINDS.keyRestored, ENTRY_KINDS.transcriptHandover, ENTRY_KINDS.filePublished, ENTRY_KINDS.certificateIssued,
  ENTRY_KINDS.certPrior, ENTRY_KINDS.crlIssued, ENTRY_KINDS.backupCreated, ENTRY_KINDS.shareDelivered, ENTRY_KINDS.artifactSigned,
  ENTRY_KINDS.dnskeySigned, ENTRY_KINDS.tufRootSigned, ATTESTATION_KINDS.verified, ATTESTATION_KINDS.absent, ATTESTATION_KINDS.refused,
  SHARE_CHECKED_UP,
]);
/** Kinds the fact collector reports one fact for each (verify-facts.ts): held to the same budget. */
const REPORTED_KINDS: ReadonlySet<string> = new Set([
  ENTRY_KINDS.stepIntent, ENTRY_KINDS.stepResult, ENTRY_KINDS.stepAttest, ENTRY_KINDS.deviation, ENTRY_KINDS.shareVerified,
]);
/** Memory a kept entry or fact is counted at, per byte of its line: parsed objects and their strings, with room to spare. */
const HELD_PER_LINE_BYTE = 4;
const CHUNK = 8 * 1024 * 1024;

export interface StreamOptions {
  /** The ceremony every entry must belong to (default: the first entry's). */
  ceremony?: string | undefined;
  /** Tree sizes whose root is wanted (the checkpoints'). */
  sizes: ReadonlySet<number>;
  /** Seqs whose byte offset is wanted (besides those of kept entries). */
  offsetSeqs: ReadonlySet<number>;
  /** Every good entry, in order, with its byte offset. */
  onEntry: (entry: JournalEntry, offset: number) => void;
  /** Bytes of memory for kept entries and reported facts (default: factBudget()). */
  budget?: number;
  /** Keep every entry, not only KEPT_KINDS (VerifyOptions.keepAllEntries). */
  keepAll?: boolean;
  /** Bytes read at once (default 4 MiB, two chunks in memory); a longer line grows it, up to the budget. */
  chunkSize?: number;
  /** Files of at least this many bytes are hashed on a worker thread beside the checks (default 4 MiB). */
  workerFrom?: number;
}

export interface StreamedTranscript {
  /** Good entries read (before the first bad line). */
  count: number;
  root: Uint8Array;
  /** The root at each size asked for that the entries reach. */
  roots: Map<number, Uint8Array>;
  /** Byte offsets by seq (sparse): kept entries, the seqs asked for, the last entry. */
  offsets: number[];
  /** Entry 0 and the entries of KEPT_KINDS, in order. */
  kept: JournalEntry[];
  lastTime?: string;
  failure?: VerifyFailure;
  /** For a broken last link: the two candidates (a checkpoint decides). */
  ambiguousLink?: { earlier: number; later: number };
  /** How many lines each reader took (EntryLineReader.readBy): on an honest transcript, all but the first by position. */
  readBy: EntryLineReader['readBy'];
}

function unreadable(file: string, e: unknown): KeyriteError {
  return new KeyriteError('INPUT_UNREADABLE', `${file} cannot be read: ${(e as Error).message}`, { action: 'Check the path and permissions.' });
}

function tooLarge(file: string, what: string): KeyriteError {
  return new KeyriteError('INPUT_TOO_LARGE', `${file} ${what}: more than this machine can verify.`, { action: 'Verify it on a machine with more memory.' });
}

export async function streamTranscript(file: string, opts: StreamOptions): Promise<StreamedTranscript> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    return await readAll(fh, file, opts);
  } finally {
    await fh.close();
  }
}

/** Files from this size on are hashed on a worker thread: below it, starting one costs more than it saves. */
const WORKER_FROM = 4 * 1024 * 1024;

async function readAll(fh: FileHandle, file: string, opts: StreamOptions): Promise<StreamedTranscript> {
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    throw unreadable(file, e);
  }
  const hasher = size >= (opts.workerFrom ?? WORKER_FROM) ? new WorkerLeaves(opts.sizes) : new InlineLeaves(opts.sizes);
  try {
    return await readLines(fh, file, opts, hasher);
  } finally {
    await hasher.close();
  }
}

/**
 * A chunk of the file: buf[0, filled) read, buf[0, end) its whole lines, byte 0 at file offset
 * `base`; its lines in batches of about BATCH bytes, each with its leaf hashes to come.
 */
interface Chunk { buf: Buffer; filled: number; end: number; base: number; batches: Batch[] }
interface Batch { start: number; end: number; leaves: Promise<string> }
/** Lines handed to the hasher at once: small, so that checking the first lines waits little for their hashes. */
const BATCH = 256 * 1024;

async function readLines(fh: FileHandle, file: string, opts: StreamOptions, hasher: LeafSource): Promise<StreamedTranscript> {
  const budget = opts.budget ?? factBudget();
  const reader = new EntryLineReader({ ceremony: opts.ceremony });
  const chain = new ChainCheck();
  const out: StreamedTranscript = { count: 0, root: EMPTY_ROOT, roots: new Map(), offsets: [], kept: [], readBy: reader.readBy };
  if (opts.sizes.has(0)) out.roots.set(0, EMPTY_ROOT);
  let held = 0;
  let lastOffset = 0;
  const visit = (e: JournalEntry, leafHex: string, offset: number, length: number) => {
    chain.add(e, leafHex, offset);
    const keep = e.seq === 0 || KEPT_KINDS.has(e.kind) || opts.keepAll === true;
    if (keep || opts.offsetSeqs.has(e.seq)) out.offsets[e.seq] = offset;
    if (keep) out.kept.push(e);
    if (keep || REPORTED_KINDS.has(e.kind)) {
      held += length * HELD_PER_LINE_BYTE;
      if (held > budget) throw tooLarge(file, `records more keys, files and facts than fit in ${Math.round(budget / 2 ** 20)} MiB (a sixth of this machine's memory)`);
    }
    opts.onEntry(e, offset);
    out.lastTime = e.time;
    lastOffset = offset;
  };
  let eof = false;
  /**
   * Reads into c until it holds a whole line or the file ends, and hands its lines to the hasher. A
   * line longer than c grows it (up to the budget) only if `grow`: the next chunk waits for that
   * until every line before it is checked, so a bad line is named before a long one is refused.
   */
  const ready = async (c: Chunk, grow: boolean): Promise<Chunk> => {
    for (;;) {
      while (!eof && c.filled < c.buf.length) {
        let n: number;
        try {
          n = (await fh.read(c.buf, c.filled, c.buf.length - c.filled, null)).bytesRead;
        } catch (e) {
          throw unreadable(file, e);
        }
        eof = n === 0;
        c.filled += n;
      }
      c.end = c.filled === 0 ? 0 : c.buf.lastIndexOf(0x0a, c.filled - 1) + 1;
      if (c.end > 0 || eof) break;
      if (!grow) return c;
      if (c.buf.length * 2 > budget) throw tooLarge(file, `has a line of more than ${Math.round(c.buf.length / 2 ** 20)} MiB (byte ${c.base})`);
      const bigger = hasher.alloc(c.buf.length * 2);
      c.buf.copy(bigger, 0, 0, c.filled);
      c.buf = bigger;
    }
    // The hasher starts on the chunk's lines now; they are checked when the chunk before is done.
    for (let start = 0; start < c.end;) {
      let end = start + BATCH >= c.end ? c.end : c.buf.lastIndexOf(0x0a, start + BATCH) + 1;
      // A line longer than a batch is a batch of its own.
      if (end <= start) end = c.buf.indexOf(0x0a, start) + 1;
      const leaves = hasher.leaves(c.buf.subarray(start, end));
      leaves.catch(() => undefined);
      c.batches.push({ start, end, leaves });
      start = end;
    }
    return c;
  };
  // Two chunks are in memory at once (one checked, the next hashed): each half the size keeps the same peak.
  // The first is read on the loop's first turn, as the next of an empty chunk.
  let cur: Chunk = { buf: hasher.alloc(opts.chunkSize ?? CHUNK / 2), filled: 0, end: 0, base: 0, batches: [] };
  let spare: Buffer | undefined;
  for (;;) {
    // The next chunk (the line not read whole yet, then more of the file) is read and handed to the hasher first.
    let next: Chunk | undefined;
    if (!eof) {
      const buf = spare?.length === cur.buf.length ? spare : hasher.alloc(cur.buf.length);
      cur.buf.copy(buf, 0, cur.end, cur.filled);
      next = await ready({ buf, filled: cur.filled - cur.end, end: 0, base: cur.base + cur.end, batches: [] }, false);
    }
    for (const b of cur.batches) {
      const lines = cur.buf.subarray(b.start, b.end);
      const r = reader.read(lines, lines.length, cur.base + b.start, visit, await b.leaves);
      if (r.stop) {
        out.failure = lineFailure(r.stop.seq, r.stop.offset, r.stop.problem);
        break;
      }
      hasher.commit(reader.count);
    }
    if (out.failure) break;
    if (!next) {
      if (cur.end < cur.filled) out.failure = lineFailure(reader.count, cur.base + cur.end, { kind: 'torn' });
      break;
    }
    if (next.end === 0 && !eof) await ready(next, true);
    spare = cur.buf;
    cur = next;
  }
  out.count = reader.count;
  const tree = await hasher.finish(out.count);
  out.root = tree.root;
  for (const [n, root] of tree.roots) out.roots.set(n, root);
  if (out.count > 0) out.offsets[out.count - 1] = lastOffset;
  if (!out.failure) {
    chain.end();
    if (chain.failure) out.failure = chain.failure;
    if (chain.ambiguousLink) out.ambiguousLink = chain.ambiguousLink;
  }
  return out;
}
