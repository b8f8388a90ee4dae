/**
 * The verifier's pass over transcript.jsonl: every line canonical and well formed, seq in order,
 * one ceremony, every prev link. When a link breaks it works out which entry was changed: the
 * earlier one (its bytes no longer hash to the link) or the later one (its prev field was edited,
 * so its own hash, and the link after it, break too).
 */
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

export function scanTranscript(buf: Buffer, expectedCeremony: string | undefined): ScannedTranscript {
  const entries: JournalEntry[] = [];
  const leaves: Uint8Array[] = [];
  const offsets: number[] = [];
  const prevs: string[] = [];
  let failure: VerifyFailure | undefined;
  let start = 0;
  // Decoding the whole file once is much cheaper than per line. Only when the file is pure ASCII do
  // byte and character offsets agree; otherwise each line is decoded (and UTF-8-checked) on its own.
  const text = isAscii(buf) ? buf.toString('latin1') : undefined;
  let charStart = 0;
  while (start < buf.length) {
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
    const parsed = text === undefined ? parseEntryLine(line) : parseEntryText(text.slice(charStart, charStart + (nl - start)), line.length);
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
    if (text !== undefined) charStart += nl - start + 1;
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

function isAscii(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if ((buf[i] as number) > 0x7f) return false;
  return true;
}
