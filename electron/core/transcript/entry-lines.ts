/**
 * The one reader of transcript.jsonl's lines, for the journal (reopening to append) and the
 * verifier: each line parsed as a canonical entry (entry-codec), its RFC 6962 leaf hash taken, its
 * seq and ceremony id checked, until the first line that fails. The prev links are the caller's:
 * the journal refuses the first broken one, the verifier works out which entry was changed.
 */
import type { JournalEntry } from './entry-kinds';
import { parseEntryLine, parseEntryText } from './entry-codec';
import { leafHash } from './merkle';

/** Why reading stopped at a line. `entry` is the line's entry when it parsed. */
export type LineProblem =
  | { kind: 'torn' }
  | { kind: 'malformed'; why: string }
  | { kind: 'seq'; entry: JournalEntry }
  | { kind: 'ceremony'; entry: JournalEntry; expected: string };

export interface EntryLines {
  entries: JournalEntry[];
  leaves: Uint8Array[];
  /** Byte offset of each entry's line. */
  offsets: number[];
  /** The first line that failed: its position (the number of entries before it) and byte offset. */
  stop?: { seq: number; offset: number; problem: LineProblem };
}

export interface ReadOptions {
  /** Read buf[0, end) only (default: all of it). A last line without its newline is torn. */
  end?: number;
  /** The ceremony every entry must belong to (default: the first entry's). */
  ceremony?: string;
  /** Bytes decoded at once (default 32 MiB): one string per file would pass V8's limit (512 MiB). */
  decodeWindow?: number;
}

const DECODE_WINDOW = 32 * 1024 * 1024;

export function readEntryLines(buf: Buffer, opts: ReadOptions = {}): EntryLines {
  const end = opts.end ?? buf.length;
  const decodeWindow = opts.decodeWindow ?? DECODE_WINDOW;
  const entries: JournalEntry[] = [];
  const leaves: Uint8Array[] = [];
  const offsets: number[] = [];
  const stopAt = (offset: number, problem: LineProblem): EntryLines => ({ entries, leaves, offsets, stop: { seq: entries.length, offset, problem } });
  let start = 0;
  // Decoding many lines at once is much cheaper than one by one. Only where the bytes are pure ASCII
  // do byte and character offsets agree; otherwise each line is decoded (and UTF-8-checked) on its own.
  let window: DecodedLines = { start: 0, end: 0, text: undefined };
  while (start < end) {
    if (start >= window.end) window = decodeLines(buf, start, end, decodeWindow);
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0 || nl >= end) return stopAt(start, { kind: 'torn' });
    const line = buf.subarray(start, nl);
    const parsed = window.text === undefined || nl >= window.end ? parseEntryLine(line) : parseEntryText(window.text.slice(start - window.start, nl - window.start), line.length);
    if (!parsed.ok) return stopAt(start, { kind: 'malformed', why: parsed.why });
    const e = parsed.entry;
    if (e.seq !== entries.length) return stopAt(start, { kind: 'seq', entry: e });
    const ceremony = opts.ceremony ?? entries[0]?.ceremony ?? e.ceremony;
    if (e.ceremony !== ceremony) return stopAt(start, { kind: 'ceremony', entry: e, expected: ceremony });
    entries.push(e);
    leaves.push(leafHash(line));
    offsets.push(start);
    start = nl + 1;
  }
  return { entries, leaves, offsets };
}

interface DecodedLines { start: number; end: number; text: string | undefined }

/** Whole lines from `from`, up to about `size` bytes (not past `limit`), decoded at once when they are pure ASCII. */
function decodeLines(buf: Buffer, from: number, limit: number, size: number): DecodedLines {
  let end = Math.min(limit, from + size);
  if (end < limit) {
    const lastNl = buf.lastIndexOf(0x0a, end - 1);
    // A line longer than the window is decoded on its own (parseEntryLine).
    if (lastNl < from) return { start: from, end: buf.indexOf(0x0a, from) + 1 || limit, text: undefined };
    end = lastNl + 1;
  }
  const bytes = buf.subarray(from, end);
  return { start: from, end, text: isAscii(bytes) ? bytes.toString('latin1') : undefined };
}

function isAscii(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if ((buf[i] as number) > 0x7f) return false;
  return true;
}
