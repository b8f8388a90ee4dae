/**
 * The verifier's pass over transcript.jsonl: every line canonical and well formed, seq in order,
 * one ceremony (read by entry-lines.ts, as the journal reads it), every prev link. When a link
 * breaks it works out which entry was changed: the earlier one (its bytes no longer hash to the
 * link) or the later one (its prev field was edited, so its own hash, and the link after it, break
 * too).
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

/**
 * The largest transcript this verifier takes: it holds the file, every entry and its leaf hash, about
 * five times the file's size (measured: 1.4 GiB peak for 1M entries, a 300 MB file), so a sixth of
 * the machine's memory. A larger file is unusable input (exit 2), never a crash read as "invalid".
 */
export function transcriptSizeLimit(totalMemory = os.totalmem()): number {
  return Math.floor(totalMemory / 6);
}

export function scanTranscript(buf: Buffer, expectedCeremony: string | undefined, decodeWindow?: number): ScannedTranscript {
  const { entries, leaves, offsets, stop } = readEntryLines(buf, { ceremony: expectedCeremony, decodeWindow });
  if (stop) return { entries, leaves, offsets, failure: lineFailure(stop.seq, stop.offset, stop.problem) };
  const prevs = entries.map((e) => e.prev);
  for (let i = 0; i < entries.length; i++) {
    const expected = i === 0 ? ZERO_HASH : hex(leaves[i - 1] as Uint8Array);
    if (prevs[i] === expected) continue;
    if (i === 0) {
      return { entries, leaves, offsets, failure: linkFailure(0, offsets, expected, prevs[0] as string, 'Entry 0 must link to 64 zeros; its prev was changed.') };
    }
    // Link (i-1 -> i) is broken. If link (i -> i+1) is broken too, entry i itself changed.
    if (i + 1 < entries.length) {
      const laterChanged = prevs[i + 1] !== hex(leaves[i] as Uint8Array);
      const bad = laterChanged ? i : i - 1;
      return {
        entries, leaves, offsets,
        failure: linkFailure(bad, offsets, expected, prevs[i] as string,
          laterChanged
            ? `Entry ${i} was changed: its prev does not match entry ${i - 1}, and its own hash does not match entry ${i + 1}'s prev.`
            : `Entry ${i - 1} was changed: its hash no longer matches the prev recorded in entry ${i}.`),
      };
    }
    return {
      entries, leaves, offsets, ambiguousLink: { earlier: i - 1, later: i },
      failure: linkFailure(i - 1, offsets, expected, prevs[i] as string, `Entry ${i - 1} was changed: its hash no longer matches the prev recorded in entry ${i}.`),
    };
  }
  return { entries, leaves, offsets };
}

function linkFailure(seq: number, offsets: number[], expected: string, actual: string, message: string): VerifyFailure {
  return { code: 'ENTRY_CHAIN', seq, offset: offsets[seq] as number, expected, actual, message };
}

function lineFailure(seq: number, offset: number, p: LineProblem): VerifyFailure {
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
