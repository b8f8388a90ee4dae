/**
 * What the journal promises beyond the chain itself: the transcript is 0600 and its folder 0700
 * whatever the umask; a ceremony id is checked before anything is made; appends run one at a time in
 * call order, a refused one does not stop the next, close waits for them; a line is written whole
 * even when the disk takes it in parts; the kill point of an append is after its fsync; a torn end
 * is cut off durably and the chain goes on from it; every failure is a typed error saying what failed.
 */
import { promises as fsp, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { leafHash } from '../../../electron/core/transcript/merkle';
import { tempDir } from '../../helpers/softhsm';

const actor = { role: 'administrator', name: 'Ada' };
let tmp: { dir: string; cleanup: () => void };
let file: string;
beforeEach(() => {
  tmp = tempDir('keyrite-journal-promises-');
  file = path.join(tmp.dir, 'c', 'transcript.jsonl');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  tmp.cleanup();
});

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string; action?: string; details?: Record<string, unknown>; cause?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string };
  }
  throw new Error('expected a refusal');
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Wraps the handles fsp.open returns with `wrap`, and logs each open's path and flags. */
function onHandles(wrap: (fh: FileHandle, name: string) => void): { opens: string[] } {
  const realOpen = fsp.open.bind(fsp);
  const opens: string[] = [];
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    opens.push(`${path.basename(String(args[0]))} ${String(args[1])}`);
    const fh = await realOpen(...args);
    wrap(fh, path.basename(String(args[0])));
    return fh;
  });
  return { opens };
}

describe('modes whatever the umask', () => {
  for (const umask of [0o000, 0o022, 0o277]) {
    it(`the transcript is 0600 and a new folder 0700 under umask ${umask.toString(8).padStart(3, '0')}`, async () => {
      const old = process.umask(umask);
      try {
        const j = await Journal.create(file, { ceremonyId: 'c-1' });
        await j.append({ kind: 'step.start', step: 's1', actor, data: {} });
        await j.close();
      } finally {
        process.umask(old);
      }
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // mkdir's mode is masked by the umask: 0700 & ~0277 = 0500; a folder is never more open than 0700.
      expect(statSync(path.dirname(file)).mode & 0o077).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('"step":"s1"');
    });
  }
});

describe('the ceremony id', () => {
  it('is 1 to 128 letters, digits, dots, dashes or underscores, starting with a letter or digit; nothing is made for a bad one', async () => {
    for (const id of ['a', 'A.b-c_9', '9' + 'x'.repeat(127)]) {
      const f = path.join(tmp.dir, `ok-${id.length}-${id.slice(0, 3)}`, 'transcript.jsonl');
      const j = await Journal.create(f, { ceremonyId: id });
      expect(j.ceremonyId).toBe(id);
      expect((await j.append({ kind: 'k', step: 's', actor, data: {} })).ceremony).toBe(id);
      await j.close();
    }
    for (const id of ['', '.a', '-a', '_a', 'a b', 'a/b', 'a\nb', 'x'.repeat(129), 'é']) {
      const f = path.join(tmp.dir, 'bad', 'transcript.jsonl');
      const err = await errorOf(Journal.create(f, { ceremonyId: id }));
      expect(err.code).toBe('CEREMONY_ID_INVALID');
      expect(err.message).toBe(`Ceremony id "${id}" must be 1 to 128 letters, digits, dots, dashes or underscores.`);
      expect(err.action).toBe('Use the id the ceremony script generated.');
      expect(() => statSync(path.dirname(f))).toThrow();
    }
  });
});

describe('appends', () => {
  it('run one at a time in call order; a refused one does not stop those after it; close waits for them all', async () => {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    const a = j.append({ kind: 'k.a', step: 's', actor, data: {} });
    const bad = j.append({ kind: 'k.bad', step: 's', actor, data: { n: Number.POSITIVE_INFINITY } });
    const b = j.append({ kind: 'k.b', step: 's', actor, data: {} });
    const c = j.append({ kind: 'k.c', step: 's', actor, data: {} });
    const closed = j.close();
    expect((await errorOf(bad)).code).toBe('ENTRY_NOT_JSON');
    const done = await Promise.all([a, b, c]);
    expect(done.map((e) => [e.seq, e.kind])).toEqual([[0, 'k.a'], [1, 'k.b'], [2, 'k.c']]);
    await closed;
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.map((l) => (l ? JSON.parse(l).kind : ''))).toEqual(['k.a', 'k.b', 'k.c', '']);
    expect(JSON.parse(lines[2]!).prev).toBe(hexOf(leafHash(Buffer.from(lines[1]!))));
    expect((await errorOf(j.append({ kind: 'k', step: 's', actor, data: {} })))).toMatchObject({ code: 'JOURNAL_CLOSED', message: 'The transcript is closed.', action: 'Reopen it to continue.' });
    expect(await errorOf(Journal.create(file, { ceremonyId: 'c-1' }))).toMatchObject({
      code: 'JOURNAL_EXISTS', message: `A transcript already exists at ${file}.`,
      action: 'Resume that ceremony, or choose a new output folder: a transcript is never overwritten.',
    });
    await j.close();
  });

  it('write the line whole when the disk takes it in parts, each part at the end of what is written', async () => {
    const positions: number[] = [];
    onHandles((fh, name) => {
      if (name !== 'transcript.jsonl') return;
      const realWrite = fh.write.bind(fh) as (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesWritten: number }>;
      (fh as unknown as { write: unknown }).write = async (b: Buffer, o: number, l: number, p: number) => {
        positions.push(p);
        return realWrite(b, o, Math.min(l, 7), p);
      };
    });
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'step.start', step: 's1', actor, data: { title: 'One' } });
    const first = readFileSync(file, 'utf8');
    await j.append({ kind: 'step.result', step: 's1', actor, data: { outcome: 'ok' } });
    await j.close();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(first)).toBe(true);
    expect(positions.slice(0, 3)).toEqual([0, 7, 14]);
    expect(positions[Math.ceil(first.length / 7)]).toBe(first.length);
    const again = await Journal.open(file);
    expect(again.journal.entries().map((e) => e.kind)).toEqual(['step.start', 'step.result']);
    expect(again.repaired).toBeUndefined();
    await again.journal.close();
  });

  it('give each entry its time: now by default, a Date as ISO 8601, a string as it is', async () => {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    const before = Date.now();
    const now = await j.append({ kind: 'k', step: 's', actor, data: {} });
    expect(Date.parse(now.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(now.time)).toBeLessThanOrEqual(Date.now() + 1);
    expect((await j.append({ kind: 'k', step: 's', actor, data: {}, time: new Date(Date.UTC(2026, 11, 7, 10, 0, 0, 5)) })).time).toBe('2026-12-07T10:00:00.005Z');
    expect((await j.append({ kind: 'k', step: 's', actor, data: {}, time: '2026-12-07T11:00:00Z' })).time).toBe('2026-12-07T11:00:00Z');
    await j.close();
  });

  it('hand back the entry as written, with the actor reduced to role and name', async () => {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    const e = await j.append({ kind: 'k', step: 's', actor: { role: 'witness', name: 'Wendy', extra: 'dropped' } as never, data: { a: [1, 'b'] } });
    expect(e).toEqual({ v: 1, seq: 0, time: e.time, ceremony: 'c-1', kind: 'k', step: 's', actor: { role: 'witness', name: 'Wendy' }, data: { a: [1, 'b'] }, prev: '0'.repeat(64) });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(e);
    expect(j.entries()).toEqual([e]);
    expect(j.size).toBe(1);
    await j.close();
  });

  it('reach their kill point only after the fsync, named by kind and step', async () => {
    const trace = path.join(tmp.dir, 'trace.txt');
    writeFileSync(trace, '');
    vi.stubEnv('KEYRITE_TEST_KILL_TRACE', trace);
    const seenAtSync: string[] = [];
    onHandles((fh, name) => {
      if (name !== 'transcript.jsonl') return;
      const realSync = fh.sync.bind(fh);
      fh.sync = async () => {
        seenAtSync.push(readFileSync(trace, 'utf8'));
        await realSync();
      };
    });
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'step.start', step: 'generate', actor, data: {} });
    await j.append({ kind: 'key.made', step: 'generate', actor, data: {} });
    await j.close();
    expect(readFileSync(trace, 'utf8')).toBe('append:step.start:generate\nappend:key.made:generate\n');
    // create's fsync, then each append's: none had reached its own point yet.
    expect(seenAtSync).toEqual(['', '', 'append:step.start:generate\n']);
  });
});

describe('failures are typed and say what failed', () => {
  it('a transcript that cannot be opened: JOURNAL_OPEN_FAILED naming the file and the system error', async () => {
    const err = await errorOf(Journal.open(path.join(tmp.dir, 'missing.jsonl')));
    expect(err.code).toBe('JOURNAL_OPEN_FAILED');
    expect(err.message).toMatch(new RegExp(`^Could not open the transcript ${path.join(tmp.dir, 'missing.jsonl')}: ENOENT ENOENT: no such file`));
    expect(err.action).toMatch(/^Check that the disk is present, writable and not full\./);
    expect((err.cause as { code?: string }).code).toBe('ENOENT');
  });

  it('a transcript that cannot be created: JOURNAL_CREATE_FAILED; one that cannot be made durable: JOURNAL_FSYNC_FAILED, its handle closed', async () => {
    const closes: string[] = [];
    let failOpen = true;
    let failSync = false;
    const realOpen = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      if (failOpen && String(args[0]).endsWith('.jsonl')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      const fh = await realOpen(...args);
      const realClose = fh.close.bind(fh);
      fh.close = async () => { closes.push(path.basename(String(args[0]))); return realClose(); };
      fh.sync = async () => { if (failSync) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }); };
      return fh;
    });
    const created = await errorOf(Journal.create(file, { ceremonyId: 'c-1' }));
    expect(created).toMatchObject({ code: 'JOURNAL_CREATE_FAILED', message: `Could not create the transcript ${file}: EACCES EACCES: permission denied` });
    // A folder that cannot be made (a file stands in its way) is the same refusal.
    writeFileSync(path.join(tmp.dir, 'blocker'), '');
    const blocked = path.join(tmp.dir, 'blocker', 'c', 'transcript.jsonl');
    expect(await errorOf(Journal.create(blocked, { ceremonyId: 'c-1' }))).toMatchObject({ code: 'JOURNAL_CREATE_FAILED', message: expect.stringContaining(`Could not create the transcript ${blocked}: ENOTDIR`) });
    failOpen = false;
    failSync = true;
    const synced = await errorOf(Journal.create(file, { ceremonyId: 'c-1' }));
    expect(synced).toMatchObject({ code: 'JOURNAL_FSYNC_FAILED', message: `Could not make the new transcript ${file} durable: EIO EIO: i/o error` });
    expect(closes).toContain('transcript.jsonl');
  });

  it('a write error without a code still names the entry and the file', async () => {
    let fail = false;
    onHandles((fh) => {
      const realWrite = fh.write.bind(fh);
      (fh as unknown as { write: unknown }).write = async (...a: unknown[]) => {
        if (fail) throw new Error('disk gone');
        return (realWrite as (...x: unknown[]) => unknown)(...a);
      };
    });
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'k', step: 's', actor, data: {} });
    fail = true;
    const err = await errorOf(j.append({ kind: 'k', step: 's', actor, data: {} }));
    expect(err).toMatchObject({ code: 'JOURNAL_WRITE_FAILED', message: `Writing entry 1 to ${file} failed: disk gone` });
    fail = false;
    const later = await errorOf(j.append({ kind: 'k', step: 's', actor, data: {} }));
    expect(later).toMatchObject({
      code: 'JOURNAL_FAILED', message: `The transcript stopped accepting entries after a write failure: Writing entry 1 to ${file} failed: disk gone`,
      action: expect.stringMatching(/^Stop the ceremony\./), cause: err,
    });
    expect(j.size).toBe(1);
    await j.close();
  });
});

describe('opening', () => {
  it('an empty transcript needs the ceremony id (JOURNAL_EMPTY without it), and takes the one given', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    const err = await errorOf(Journal.open(file));
    expect(err).toMatchObject({ code: 'JOURNAL_EMPTY', message: `The transcript ${file} has no entries, so its ceremony id is unknown.`, action: 'Start the ceremony again in a new folder, or pass the ceremony id when opening.' });
    const { journal } = await Journal.open(file, { ceremonyId: 'c-9' });
    expect(journal.ceremonyId).toBe('c-9');
    expect(journal.size).toBe(0);
    expect((await journal.append({ kind: 'k', step: 's', actor, data: {} }))).toMatchObject({ seq: 0, ceremony: 'c-9', prev: '0'.repeat(64) });
    await journal.close();
  });

  it('a torn end is cut off and fsynced before the journal is handed back, and the chain goes on from the cut', async () => {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'k.a', step: 's', actor, data: {} });
    await j.append({ kind: 'k.b', step: 's', actor, data: {} });
    await j.close();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good + '{"actor":');
    const log: string[] = [];
    onHandles((fh) => {
      const realTruncate = fh.truncate.bind(fh);
      const realSync = fh.sync.bind(fh);
      fh.truncate = async (n?: number) => { log.push(`truncate ${n}`); return realTruncate(n); };
      fh.sync = async () => { log.push('sync'); return realSync(); };
    });
    const { journal, repaired } = await Journal.open(file, { ceremonyId: 'c-1' });
    expect(log).toEqual([`truncate ${Buffer.byteLength(good)}`, 'sync']);
    expect(repaired).toEqual({
      truncatedBytes: 9,
      message: `The last record of ${file} was torn (9 bytes at offset ${Buffer.byteLength(good)}, no newline), as left by a crash during a write; it was removed. Entries 0..1 are intact.`,
    });
    const e = await journal.append({ kind: 'k.c', step: 's', actor, data: {} });
    expect(e.seq).toBe(2);
    await journal.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(readFileSync(file, 'utf8').startsWith(good)).toBe(true);
    expect(lines.map((l) => (l ? JSON.parse(l).kind : ''))).toEqual(['k.a', 'k.b', 'k.c', '']);
    expect(e.prev).toBe(hexOf(leafHash(Buffer.from(lines[1]!))));
    const again = await Journal.open(file);
    expect(again.repaired).toBeUndefined();
    expect(hexOf(again.journal.root())).toBe(hexOf(journal.root()));
    await again.journal.close();
  });

  it('a transcript that is only a torn record: its ceremony id is unknown unless given', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"actor":{"name":"Ada"');
    expect((await errorOf(Journal.open(file))).code).toBe('JOURNAL_EMPTY');
    const { journal, repaired } = await Journal.open(file, { ceremonyId: 'c-1' });
    expect(repaired).toMatchObject({ truncatedBytes: 22, message: expect.stringContaining('(22 bytes at offset 0, no newline)') });
    expect(readFileSync(file, 'utf8')).toBe('');
    await journal.close();
  });

  it('a handle is closed when opening is refused', async () => {
    const closes: string[] = [];
    onHandles((fh, name) => {
      const realClose = fh.close.bind(fh);
      fh.close = async () => { closes.push(name); return realClose(); };
    });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect((await errorOf(Journal.open(file))).code).toBe('JOURNAL_EMPTY');
    expect(closes).toEqual(['transcript.jsonl']);
  });
});

describe('a damaged transcript', () => {
  /** Three entries of c-1; returns the file's lines (without the last empty one) and each line's offset. */
  async function threeLines(): Promise<{ lines: string[]; offsets: number[] }> {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    for (const k of ['k.a', 'k.b', 'k.c']) await j.append({ kind: k, step: 's', actor, data: {} });
    await j.close();
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, 3);
    return { lines, offsets: [0, lines[0]!.length + 1, lines[0]!.length + lines[1]!.length + 2] };
  }
  const rewrite = (lines: string[]) => writeFileSync(file, lines.join('\n') + '\n');

  it('is refused at the first bad entry, saying what is wrong with it', async () => {
    const { lines, offsets } = await threeLines();
    const cases: [string[], number, string][] = [
      [[lines[0]!, lines[1]!.replace('"seq":1', '"seq":5'), lines[2]!], 1, 'seq is 5, expected 1'],
      [[lines[0]!, lines[1]!, lines[2]!.replace('"prev":"', '"prev":"0').replace(/"prev":"(.{64}).",/, '"prev":"$1",')], 2, 'prev does not match the hash of the entry before it'],
      [[lines[0]!, '{"not":"an entry"}', lines[2]!], 1, 'fields are [not], expected [actor, ceremony, data, kind, prev, seq, step, time, v]'],
    ];
    for (const [bad, seq, what] of cases) {
      rewrite(bad);
      const err = await errorOf(Journal.open(file));
      expect(err).toMatchObject({
        code: 'JOURNAL_CORRUPT', details: { seq, offset: offsets[seq] },
        message: `The transcript is damaged at byte ${offsets[seq]} (entry seq ${seq}): ${what}.`,
        action: 'Do not continue with this transcript. Keep the file as evidence and run `keyrite verify` on the ceremony folder.',
      });
    }
  });

  it('with an entry of another ceremony: its link is checked first, then its ceremony id', async () => {
    const { lines, offsets } = await threeLines();
    // Another ceremony's entry 1 whose prev is right: refused for its ceremony id.
    rewrite([lines[0]!, lines[1]!.replace('"ceremony":"c-1"', '"ceremony":"c-2"'), lines[2]!]);
    expect(await errorOf(Journal.open(file))).toMatchObject({ details: { seq: 1, offset: offsets[1] }, message: expect.stringMatching(/: ceremony id "c-2" differs from "c-1"\.$/) });
    // The same with a broken link as well: the link is named.
    const broken = lines[1]!.replace('"ceremony":"c-1"', '"ceremony":"c-2"').replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${'1'.repeat(64)}"`);
    rewrite([lines[0]!, broken, lines[2]!]);
    expect(await errorOf(Journal.open(file))).toMatchObject({ details: { seq: 1, offset: offsets[1] }, message: expect.stringMatching(/: prev does not match the hash of the entry before it\.$/) });
    // The whole transcript, opened for another ceremony.
    rewrite(lines);
    await expect(Journal.open(file, { ceremonyId: 'c-9' })).rejects.toMatchObject({
      code: 'JOURNAL_CEREMONY_MISMATCH', message: `The transcript ${file} belongs to ceremony "c-1", not "c-9".`,
      action: 'Resume in the folder of this ceremony, or choose a new output folder; a transcript holds one ceremony only.',
    });
  });
});
