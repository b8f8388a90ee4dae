/**
 * The ceremony journal: transcript.jsonl, one RFC 8785 canonical JSON entry per line, each holding
 * the RFC 6962 leaf hash of the one before it. append() returns only once the line is fsynced, so
 * a step the screen shows as done survives a crash or a power cut.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { fsyncDir, makePrivateDir, PRIVATE_FILE_MODE } from '../util/fs-durable';
import { killPoint } from '../util/kill-point';
import { CompactRange, leafHash } from './merkle';
import { readEntryLines } from './entry-lines';
import type { AppendInput, EntryKind, JournalEntry } from './entry-kinds';
import { encodeEntry, ZERO_HASH, hex } from './entry-codec';

export interface OpenResult {
  journal: Journal;
  /** Set when a torn final record (a crash mid-append) was cut off. */
  repaired?: { truncatedBytes: number; message: string };
}

export class Journal {
  private readonly list: JournalEntry[] = [];
  private readonly leaves: Uint8Array[] = [];
  private readonly range = new CompactRange();
  private bytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: KeyriteError | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    readonly ceremonyId: string,
    private fh: FileHandle,
  ) {}

  /** Creates a new, empty journal. An existing file is never overwritten. */
  static async create(file: string, opts: { ceremonyId: string }): Promise<Journal> {
    checkCeremonyId(opts.ceremonyId);
    const dir = path.dirname(file);
    let fh: FileHandle;
    try {
      await makePrivateDir(dir);
      fh = await fsp.open(file, 'wx', PRIVATE_FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeyriteError('JOURNAL_EXISTS', `A transcript already exists at ${file}.`, {
          action: 'Resume that ceremony, or choose a new output folder: a transcript is never overwritten.',
        });
      }
      throw ioError('JOURNAL_CREATE_FAILED', `Could not create the transcript ${file}`, e);
    }
    try {
      await fh.chmod(PRIVATE_FILE_MODE);
      await fh.sync();
      await fsyncDir(dir);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw ioError('JOURNAL_FSYNC_FAILED', `Could not make the new transcript ${file} durable`, e);
    }
    return new Journal(file, opts.ceremonyId, fh);
  }

  /**
   * Opens an existing journal for appending, checking every entry. A final record without its
   * newline is a torn write from a crash: it is cut off and reported. Any other damage is fatal.
   * `ceremonyId`, when given, must be the journal's own (JOURNAL_CEREMONY_MISMATCH otherwise); it is
   * needed for a journal that has no entry yet.
   */
  static async open(file: string, opts: { ceremonyId?: string } = {}): Promise<OpenResult> {
    let fh: FileHandle;
    try {
      fh = await fsp.open(file, 'r+');
    } catch (e) {
      throw ioError('JOURNAL_OPEN_FAILED', `Could not open the transcript ${file}`, e);
    }
    try {
      const buf = await fh.readFile();
      const end = buf.lastIndexOf(0x0a) + 1;
      let repaired: OpenResult['repaired'];
      const parsed = scan(buf, end);
      const ceremonyId = parsed.entries[0]?.ceremony ?? opts.ceremonyId;
      // Appending this ceremony's entries to another's transcript would chain two ceremonies together.
      if (opts.ceremonyId !== undefined && ceremonyId !== opts.ceremonyId) {
        throw new KeyriteError('JOURNAL_CEREMONY_MISMATCH', `The transcript ${file} belongs to ceremony "${ceremonyId}", not "${opts.ceremonyId}".`, {
          action: 'Resume in the folder of this ceremony, or choose a new output folder; a transcript holds one ceremony only.',
          details: { found: ceremonyId, expected: opts.ceremonyId },
        });
      }
      if (ceremonyId === undefined) {
        throw new KeyriteError('JOURNAL_EMPTY', `The transcript ${file} has no entries, so its ceremony id is unknown.`, {
          action: 'Start the ceremony again in a new folder, or pass the ceremony id when opening.',
        });
      }
      if (end < buf.length) {
        const truncatedBytes = buf.length - end;
        await fh.truncate(end);
        await fh.sync();
        repaired = {
          truncatedBytes,
          message: `The last record of ${file} was torn (${truncatedBytes} bytes at offset ${end}, no newline), as left by a crash during a write; it was removed. Entries 0..${parsed.entries.length - 1} are intact.`,
        };
      }
      const j = new Journal(file, ceremonyId, fh);
      for (let i = 0; i < parsed.entries.length; i++) j.push(parsed.entries[i] as JournalEntry, parsed.leaves[i] as Uint8Array);
      j.bytes = end;
      return repaired ? { journal: j, repaired } : { journal: j };
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
  }

  get size(): number {
    return this.list.length;
  }

  entries(): readonly JournalEntry[] {
    return this.list;
  }

  leafHashes(): Uint8Array[] {
    return this.leaves.slice();
  }

  /** Merkle tree hash of all entries so far. */
  root(): Uint8Array {
    return this.range.root();
  }

  /** Appends one entry; resolves after the line is on disk. Appends run one at a time, in call order. */
  append<K extends EntryKind>(input: AppendInput<K>): Promise<JournalEntry> {
    // Refused at the call, not when its turn comes: an append made before close() is written.
    if (this.closed) return Promise.reject(new KeyriteError('JOURNAL_CLOSED', 'The transcript is closed.', { action: 'Reopen it to continue.' }));
    const next = this.queue.then(() => this.appendNow(input));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async appendNow(input: AppendInput): Promise<JournalEntry> {
    if (this.failure) {
      throw new KeyriteError('JOURNAL_FAILED', `The transcript stopped accepting entries after a write failure: ${this.failure.message}`, {
        action: 'Stop the ceremony. Check the disk, then reopen the transcript to resume; the failed step is not repeated automatically.',
        cause: this.failure,
      });
    }
    const time = input.time === undefined ? new Date() : input.time;
    const entry: JournalEntry = {
      v: 1,
      seq: this.list.length,
      time: typeof time === 'string' ? time : time.toISOString(),
      ceremony: this.ceremonyId,
      kind: input.kind,
      step: input.step,
      actor: { role: input.actor.role, name: input.actor.name },
      data: input.data,
      prev: this.leaves.length === 0 ? ZERO_HASH : hex(this.leaves[this.leaves.length - 1] as Uint8Array),
    };
    const line = encodeEntry(entry);
    const bytes = Buffer.from(line + '\n', 'utf8');
    try {
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await this.fh.write(bytes, off, bytes.length - off, this.bytes + off);
        off += bytesWritten;
      }
      await this.fh.sync();
    } catch (e) {
      // After a failed fsync the kernel may have dropped the dirty pages and cleared the error, so a
      // retry could "succeed" without the data ever reaching the disk. Never retry: stop here.
      this.failure = ioError('JOURNAL_WRITE_FAILED', `Writing entry ${entry.seq} to ${this.file} failed`, e);
      throw this.failure;
    }
    this.bytes += bytes.length;
    const parsed = JSON.parse(line) as JournalEntry;
    this.push(parsed, leafHash(Buffer.from(line, 'utf8')));
    killPoint(`append:${entry.kind}:${entry.step}`);
    return parsed;
  }

  private push(entry: JournalEntry, leaf: Uint8Array): void {
    this.list.push(entry);
    this.leaves.push(leaf);
    this.range.append(leaf);
  }

  /** Closes the file once the appends already made are written; later appends are refused (JOURNAL_CLOSED). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.fh.close();
  }
}

function checkCeremonyId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)) {
    throw new KeyriteError('CEREMONY_ID_INVALID', `Ceremony id "${id}" must be 1 to 128 letters, digits, dots, dashes or underscores.`, {
      action: 'Use the id the ceremony script generated.',
    });
  }
}

function ioError(code: string, what: string, e: unknown): KeyriteError {
  const err = e as NodeJS.ErrnoException;
  return new KeyriteError(code, `${what}: ${[err.code, err.message ?? String(e)].filter(Boolean).join(' ')}`, {
    action: 'Check that the disk is present, writable and not full. Do not continue the ceremony until the transcript can be written.',
    cause: e,
  });
}

/** Parses and checks the complete lines of buf[0, end); throws JOURNAL_CORRUPT at the first bad one. */
function scan(buf: Buffer, end: number): { entries: JournalEntry[]; leaves: Uint8Array[] } {
  const { entries, leaves, offsets, stop } = readEntryLines(buf, { end });
  const problem = (seq: number, offset: number, what: string) =>
    new KeyriteError('JOURNAL_CORRUPT', `The transcript is damaged at byte ${offset} (entry seq ${seq}): ${what}.`, {
      action: 'Do not continue with this transcript. Keep the file as evidence and run `keyrite verify` on the ceremony folder.',
      details: { offset, seq },
    });
  const BROKEN_LINK = 'prev does not match the hash of the entry before it';
  let prev = ZERO_HASH;
  for (let i = 0; i < entries.length; i++) {
    if ((entries[i] as JournalEntry).prev !== prev) throw problem(i, offsets[i] as number, BROKEN_LINK);
    prev = hex(leaves[i] as Uint8Array);
  }
  if (!stop) return { entries, leaves };
  const p = stop.problem;
  // An entry's link is checked before its ceremony id.
  if (p.kind === 'ceremony' && p.entry.prev !== prev) throw problem(stop.seq, stop.offset, BROKEN_LINK);
  throw problem(stop.seq, stop.offset, p.kind === 'malformed' ? p.why
    : p.kind === 'seq' ? `seq is ${p.entry.seq}, expected ${stop.seq}`
    : p.kind === 'ceremony' ? `ceremony id "${p.entry.ceremony}" differs from "${p.expected}"`
    : 'its line has no newline');
}
