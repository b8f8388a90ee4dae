/**
 * The verifier's pass over transcript.jsonl: every line canonical and well formed, seq in order,
 * one ceremony, every prev link. When a link breaks it works out which entry was changed: the
 * earlier one (its bytes no longer hash to the link) or the later one (its prev field was edited,
 * so its own hash, and the link after it, break too).
 */
import os from 'node:os';
import { leafHash } from './merkle';
import type { JournalEntry } from './entry-kinds';
import { hex, parseEntryLine, parseEntryText, ZERO_HASH } from './entry-codec';
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

/** Lines are decoded a window at a time: one string per file would pass V8's string limit (512 MiB). */
const DECODE_WINDOW = 32 * 1024 * 1024;

export function scanTranscript(buf: Buffer, expectedCeremony: string | undefined, decodeWindow = DECODE_WINDOW): ScannedTranscript {
  const entries: JournalEntry[] = [];
  const leaves: Uint8Array[] = [];
  const offsets: number[] = [];
  const prevs: string[] = [];
  let failure: VerifyFailure | undefined;
  let start = 0;
  // Decoding many lines at once is much cheaper than one by one. Only where the bytes are pure ASCII
  // do byte and character offsets agree; otherwise each line is decoded (and UTF-8-checked) on its own.
  let window = { start: 0, end: 0, text: undefined as string | undefined };
  while (start < buf.length) {
    if (start >= window.end) window = decodeLines(buf, start, decodeWindow);
    const seq = entries.length;
    let nl = buf.indexOf(0x0a, start);
    const torn = nl < 0;
    if (torn) nl = buf.length;
    const line = buf.subarray(start, nl);
    const at = { seq, offset: start };
    if (torn) {
      failure = { code: 'ENTRY_TORN', ...at, message: `Entry ${seq} (byte ${start}) does not end with a newline: the transcript was cut off or its last byte changed.` };
      break;
    }
    const parsed = window.text === undefined || nl >= window.end ? parseEntryLine(line) : parseEntryText(window.text.slice(start - window.start, nl - window.start), line.length);
    if (!parsed.ok) {
      failure = { code: 'ENTRY_MALFORMED', ...at, message: `Entry ${seq} (byte ${start}) is ${parsed.why}.` };
      break;
    }
    const e = parsed.entry;
    if (e.seq !== seq) {
      failure = {
        code: 'ENTRY_SEQ', ...at, expected: String(seq), actual: String(e.seq),
        message: `Entry at position ${seq} (byte ${start}) has seq ${e.seq}: an entry was removed, duplicated, inserted or moved here.`,
      };
      break;
    }
    const ceremony = expectedCeremony ?? entries[0]?.ceremony ?? e.ceremony;
    if (e.ceremony !== ceremony) {
      failure = {
        code: 'ENTRY_CEREMONY', ...at, expected: ceremony, actual: e.ceremony,
        message: `Entry ${seq} (byte ${start}) belongs to ceremony "${e.ceremony}", not "${ceremony}": it was spliced in from another transcript.`,
      };
      break;
    }
    entries.push(e);
    leaves.push(leafHash(line));
    offsets.push(start);
    prevs.push(e.prev);
    start = nl + 1;
  }
  if (failure) return { entries, leaves, offsets, failure };

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

/** Whole lines from `from`, up to about `size` bytes, decoded at once when they are pure ASCII. */
function decodeLines(buf: Buffer, from: number, size: number): { start: number; end: number; text: string | undefined } {
  let end = Math.min(buf.length, from + size);
  if (end < buf.length) {
    const lastNl = buf.lastIndexOf(0x0a, end - 1);
    // A line longer than the window is decoded on its own (parseEntryLine).
    if (lastNl < from) return { start: from, end: buf.indexOf(0x0a, from) + 1 || buf.length, text: undefined };
    end = lastNl + 1;
  }
  const bytes = buf.subarray(from, end);
  return { start: from, end, text: isAscii(bytes) ? bytes.toString('latin1') : undefined };
}

function isAscii(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if ((buf[i] as number) > 0x7f) return false;
  return true;
}
