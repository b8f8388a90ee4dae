/**
 * The verifier's checks of transcript.jsonl's lines: every line canonical and well formed, seq in
 * order, one ceremony (read by entry-lines.ts, as the journal reads it), every prev link. When a link
 * breaks it works out which entry was changed: the earlier one (its bytes no longer hash to the
 * link) or the later one (its prev field was edited, so its own hash, and the link after it, break
 * too). ChainCheck takes the entries one at a time, so the streaming verifier holds none of them.
 */
import os from 'node:os';
import type { JournalEntry } from './entry-kinds';
import { hex, ZERO_HASH } from './entry-codec';
import { readEntryLines, type LineProblem } from './entry-lines';
import type { VerifyFailure } from './verify-types';

export interface ScannedTranscript {
  entries: JournalEntry[];
  leaves: Uint8Array[];
  /** Byte offset of each entry's line. */
  offsets: number[];
  failure?: VerifyFailure;
  /** For a broken link whose culprit needs a checkpoint to decide: the two candidates. */
  ambiguousLink?: { earlier: number; later: number };
}

/** The smallest line an entry can be: every field present, the shortest values allowed (entry-codec), and its newline. */
export const MIN_ENTRY_LINE = '{"actor":{"name":"","role":""},"ceremony":"c","data":null,"kind":"k","prev":"","seq":0,"step":"","time":"2026-01-01T00:00:00Z","v":1}\n'.length + 64;
/** The tree state the verifier may hold per entry, at most: one leaf hash (it keeps only the Merkle frontier). */
export const TREE_BYTES_PER_ENTRY = 32;

/**
 * The largest transcript this verifier takes. It streams the file and keeps, per entry, no more than
 * a leaf hash's 32 bytes of tree state (in fact only the Merkle frontier), so a sixth of the
 * machine's memory bounds a file of that many entries of the smallest size; the facts it reports are
 * held to their own budget while reading (verify-stream.ts). A larger file is unusable input (exit 2),
 * never a crash read as "invalid".
 */
export function transcriptSizeLimit(totalMemory = os.totalmem()): number {
  return Math.floor(totalMemory / 6 / TREE_BYTES_PER_ENTRY) * MIN_ENTRY_LINE;
}

/** Memory for the facts a verifier keeps (a sixth of the machine's): a transcript recording more is unusable input. */
export function factBudget(totalMemory = os.totalmem()): number {
  return Math.floor(totalMemory / 6);
}

/** The prev links, one entry at a time: the first broken one, and which side of it changed. */
export class ChainCheck {
  failure?: VerifyFailure;
  ambiguousLink?: { earlier: number; later: number };
  private lastHex = ZERO_HASH;
  private lastOffset = 0;
  /** A broken link into entry `seq`: decided by the next entry's prev, or ambiguous at the end. */
  private pending?: { seq: number; offset: number; earlierOffset: number; expected: string; actual: string };

  add(e: JournalEntry, leafHex: string, offset: number): void {
    const i = e.seq;
    if (this.pending) {
      // Link (i-2 -> i-1) is broken. If link (i-1 -> i) is broken too, entry i-1 itself changed.
      const p = this.pending;
      this.pending = undefined;
      const laterChanged = e.prev !== this.lastHex;
      this.failure = laterChanged
        ? linkFailure(p.seq, p.offset, p.expected, p.actual, `Entry ${p.seq} was changed: its prev does not match entry ${p.seq - 1}, and its own hash does not match entry ${p.seq + 1}'s prev.`)
        : linkFailure(p.seq - 1, p.earlierOffset, p.expected, p.actual, `Entry ${p.seq - 1} was changed: its hash no longer matches the prev recorded in entry ${p.seq}.`);
    } else if (!this.failure && e.prev !== this.lastHex) {
      if (i === 0) this.failure = linkFailure(0, offset, ZERO_HASH, e.prev, 'Entry 0 must link to 64 zeros; its prev was changed.');
      else this.pending = { seq: i, offset, earlierOffset: this.lastOffset, expected: this.lastHex, actual: e.prev };
    }
    this.lastHex = leafHex;
    this.lastOffset = offset;
  }

  /** After the last entry: a broken last link needs a checkpoint to tell which side changed. */
  end(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.ambiguousLink = { earlier: p.seq - 1, later: p.seq };
    this.failure = linkFailure(p.seq - 1, p.earlierOffset, p.expected, p.actual, `Entry ${p.seq - 1} was changed: its hash no longer matches the prev recorded in entry ${p.seq}.`);
  }
}

export function scanTranscript(buf: Buffer, expectedCeremony: string | undefined, decodeWindow?: number): ScannedTranscript {
  const { entries, leaves, offsets, stop } = readEntryLines(buf, { ceremony: expectedCeremony, decodeWindow });
  if (stop) return { entries, leaves, offsets, failure: lineFailure(stop.seq, stop.offset, stop.problem) };
  const chain = new ChainCheck();
  for (let i = 0; i < entries.length && !chain.failure; i++) chain.add(entries[i] as JournalEntry, hex(leaves[i] as Uint8Array), offsets[i] as number);
  chain.end();
  return { entries, leaves, offsets, ...(chain.failure ? { failure: chain.failure } : {}), ...(chain.ambiguousLink ? { ambiguousLink: chain.ambiguousLink } : {}) };
}

function linkFailure(seq: number, offset: number, expected: string, actual: string, message: string): VerifyFailure {
  return { code: 'ENTRY_CHAIN', seq, offset, expected, actual, message };
}

export function lineFailure(seq: number, offset: number, p: LineProblem): VerifyFailure {
  const at = { seq, offset };
  switch (p.kind) {
    case 'torn':
      return { code: 'ENTRY_TORN', ...at, message: `Entry ${seq} (byte ${offset}) does not end with a newline: the transcript was cut off or its last byte changed.` };
    case 'malformed':
      return { code: 'ENTRY_MALFORMED', ...at, message: `Entry ${seq} (byte ${offset}) is ${p.why}.` };
    case 'seq':
      return {
        code: 'ENTRY_SEQ', ...at, expected: String(seq), actual: String(p.entry.seq),
        message: `Entry at position ${seq} (byte ${offset}) has seq ${p.entry.seq}: an entry was removed, duplicated, inserted or moved here.`,
      };
    case 'ceremony':
      return {
        code: 'ENTRY_CEREMONY', ...at, expected: p.expected, actual: p.entry.ceremony,
        message: `Entry ${seq} (byte ${offset}) belongs to ceremony "${p.entry.ceremony}", not "${p.expected}": it was spliced in from another transcript.`,
      };
  }
}
