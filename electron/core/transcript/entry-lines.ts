/**
 * The one reader of transcript.jsonl's lines, for the journal (reopening to append) and the
 * verifier (streaming the file in chunks): each line parsed as a canonical entry (entry-codec), its
 * RFC 6962 leaf hash taken, its seq and ceremony id checked, until the first line that fails. The
 * prev links are the caller's: the journal refuses the first broken one, the verifier works out
 * which entry was changed.
 */
import { isAscii } from 'node:buffer';
import type { JournalEntry } from './entry-kinds';
import { scansCanonical } from './canonical';
import { entryShapeProblem, parseEntryLine, parseEntryText, ZERO_HASH, type ParsedLine } from './entry-codec';
import { PositionalEntryReader, type ExpectedLine } from './entry-positions';
import { leafHexAt } from './merkle-hex';

/** Why reading stopped at a line. `entry` is the line's entry when it parsed. */
export type LineProblem =
  | { kind: 'torn' }
  | { kind: 'malformed'; why: string }
  | { kind: 'seq'; entry: JournalEntry }
  | { kind: 'ceremony'; entry: JournalEntry; expected: string };

export interface LineStop {
  /** The number of entries before the line, and the line's byte offset. */
  seq: number;
  offset: number;
  problem: LineProblem;
}

export interface EntryLines {
  entries: JournalEntry[];
  leaves: Uint8Array[];
  /** Byte offset of each entry's line. */
  offsets: number[];
  /** The first line that failed. */
  stop?: LineStop;
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
/** What byPosition asks of a line, filled in before each (synchronous) read: one object for all readers. */
const EXPECTED: ExpectedLine = { seq: 0, ceremony: '', prev: ZERO_HASH };

/** One good line: its entry, leaf hash (hex), byte offset in the file and length in bytes (without the newline). */
export type EntryVisitor = (entry: JournalEntry, leafHex: string, offset: number, length: number) => void;

/**
 * Reads lines in order, across as many buffers as the caller has (the verifier's chunks of a file):
 * the entry count, the ceremony and the file offset carry over from one call of read() to the next.
 */
export class EntryLineReader {
  /** Entries read so far (the seq the next line must carry). */
  count = 0;
  /**
   * How many good lines each reader took: by position (entry-positions.ts), the quick parse with the
   * byte scan, the full parse with the RFC 8785 check. An honest transcript's lines after the first
   * are read by position (#17); a line a faster reader declines is read by the next.
   */
  readonly readBy = { position: 0, quick: 0, full: 0 };
  private ceremony: string | undefined;
  private readonly decodeWindow: number;
  /** The last good line's leaf hash: a prev equal to it is a well-formed hash (entry-codec skips its pattern test). */
  private lastHex = ZERO_HASH;
  private readonly positions = new PositionalEntryReader();

  constructor(opts: { ceremony?: string | undefined; decodeWindow?: number | undefined } = {}) {
    this.ceremony = opts.ceremony;
    this.decodeWindow = opts.decodeWindow ?? DECODE_WINDOW;
  }

  /**
   * Reads the whole lines of buf[0, end), whose byte 0 is at file offset `base`. Returns where the
   * unread rest begins (a line without its newline yet), or the stop at the first bad line.
   * `leaves`: the lines' leaf hashes already worked out (64 hex digits each, in order), else they are hashed here.
   */
  read(buf: Buffer, end: number, base: number, visit: EntryVisitor, leaves?: string): { next: number; stop?: LineStop } {
    let start = 0;
    let line = 0;
    // Decoding many lines at once is much cheaper than one by one. The window is decoded as latin1 (a
    // character per byte, so offsets agree) and its text used for the lines that are pure ASCII; a line
    // that is not is decoded (and UTF-8-checked) on its own, its neighbours still read from the window.
    let window = NO_WINDOW;
    while (start < end) {
      if (start >= window.end) window = decodeLines(buf, start, end, this.decodeWindow);
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0 || nl >= end) return { next: start };
      // (A window ends just after a newline or at `end`, so a line that starts in it ends in it.)
      const decoded = window.ascii || isAscii(buf.subarray(start, nl)) ? window.text : undefined;
      let e = decoded === undefined || this.ceremony === undefined ? undefined : this.byPosition(buf, start, nl, decoded, window.start, this.ceremony);
      let by: keyof EntryLineReader['readBy'] = 'position';
      if (e === undefined) {
        const text = decoded?.slice(start - window.start, nl - window.start);
        e = text === undefined ? undefined : quickEntry(buf, start, nl, text, this.lastHex);
        by = 'quick';
        if (e === undefined) {
          const parsed = slowEntry(buf, start, nl, text, this.lastHex);
          if (!parsed.ok) return this.stop(base + start, start, { kind: 'malformed', why: parsed.why });
          e = parsed.entry;
          by = 'full';
        }
      }
      if (e.seq !== this.count) return this.stop(base + start, start, { kind: 'seq', entry: e });
      this.ceremony ??= e.ceremony;
      if (e.ceremony !== this.ceremony) return this.stop(base + start, start, { kind: 'ceremony', entry: e, expected: this.ceremony });
      this.count++;
      this.readBy[by]++;
      this.lastHex = leaves === undefined ? leafHexAt(buf, start, nl) : leaves.slice(line * 64, line * 64 + 64);
      line++;
      visit(e, this.lastHex, base + start, nl - start);
      start = nl + 1;
    }
    return { next: start };
  }

  /** The line read by position (entry-positions.ts) when it is the entry expected next, else undefined. */
  private byPosition(buf: Buffer, start: number, nl: number, text: string, textStart: number, ceremony: string): JournalEntry | undefined {
    const x = EXPECTED;
    x.seq = this.count;
    x.ceremony = ceremony;
    x.prev = this.lastHex;
    return this.positions.read(buf, start, nl, text, textStart, x);
  }

  private stop(offset: number, next: number, problem: LineProblem): { next: number; stop: LineStop } {
    return { next, stop: { seq: this.count, offset, problem } };
  }
}

export function readEntryLines(buf: Buffer, opts: ReadOptions = {}): EntryLines {
  const end = opts.end ?? buf.length;
  const entries: JournalEntry[] = [];
  const leaves: Uint8Array[] = [];
  const offsets: number[] = [];
  const r = new EntryLineReader(opts).read(buf, end, 0, (e, leafHex, offset) => {
    entries.push(e);
    leaves.push(Buffer.from(leafHex, 'hex'));
    offsets.push(offset);
  });
  if (r.stop) return { entries, leaves, offsets, stop: r.stop };
  if (r.next < end) return { entries, leaves, offsets, stop: { seq: entries.length, offset: r.next, problem: { kind: 'torn' } } };
  return { entries, leaves, offsets };
}

/**
 * The common case, with no allocation beyond the parse: a line that parses, has an entry's shape and
 * is canonical by a scan of its bytes. Undefined: the line is bad or the scan cannot tell, and
 * slowEntry (entry-codec's parser, the full canonical check) decides and says why.
 */
function quickEntry(buf: Buffer, start: number, nl: number, text: string, knownPrev: string): JournalEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return entryShapeProblem(value, knownPrev) === undefined && scansCanonical(buf, start, nl) ? (value as JournalEntry) : undefined;
}

function slowEntry(buf: Buffer, start: number, nl: number, text: string | undefined, knownPrev: string): ParsedLine {
  return text === undefined ? parseEntryLine(buf.subarray(start, nl), knownPrev) : parseEntryText(text, nl - start, knownPrev);
}

/** Lines [start, end) of the buffer, decoded as latin1 (undefined: one line longer than the window); ascii: all of them pure ASCII. */
interface DecodedLines { start: number; end: number; text: string | undefined; ascii?: boolean }
const NO_WINDOW: DecodedLines = { start: 0, end: 0, text: undefined };

/** Whole lines from `from`, up to about `size` bytes (not past `limit`), decoded at once. */
function decodeLines(buf: Buffer, from: number, limit: number, size: number): DecodedLines {
  let end = Math.min(limit, from + size);
  if (end < limit) {
    const lastNl = buf.lastIndexOf(0x0a, end - 1);
    // A line longer than the window is decoded on its own (parseEntryLine).
    if (lastNl < from) return { start: from, end: buf.indexOf(0x0a, from) + 1 || limit, text: undefined };
    end = lastNl + 1;
  }
  const bytes = buf.subarray(from, end);
  return { start: from, end, text: bytes.toString('latin1'), ascii: isAscii(bytes) };
}
