/**
 * What a crash can leave in a ceremony folder, and how the next run clears it: temp files of an
 * interrupted publish are shredded (not in the rehearsal token's store), a transcript key caught
 * mid-destruction is finished off, and a run that died before ceremony.start starts over with its
 * unrecorded key destroyed. Files and folders get their modes whatever the umask.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePrivateDir, PUBLIC_FILE_MODE, removeLeftoverTemps, writeFileAtomic } from '../../../electron/core/util/fs-durable';
import { destroyTranscriptKey, generateKeyNoteFile, TRANSCRIPT_KEY_FILE } from '../../../electron/core/ceremony/transcript-key-file';
import { openRunJournal } from '../../../electron/core/ceremony/run-journal';
import { Journal } from '../../../electron/core/transcript/journal';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-fs-durable-');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => path.join(tmp.dir, `case-${n++}`);
const mode = (p: string) => statSync(p).mode & 0o777;

describe('modes', () => {
  let old = 0;
  beforeEach(() => { old = process.umask(0); });
  afterEach(() => { process.umask(old); });

  it('are 0700 for folders and 0600 for files by default, 0644 only when asked for, under umask 000', async () => {
    const dir = path.join(fresh(), 'a', 'b');
    await makePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    await writeFileAtomic(path.join(dir, 'backup.json'), '{}');
    await writeFileAtomic(path.join(dir, 'public-key.pem'), 'pem', { mode: PUBLIC_FILE_MODE });
    expect(mode(path.join(dir, 'backup.json'))).toBe(0o600);
    expect(mode(path.join(dir, 'public-key.pem'))).toBe(0o644);
    const j = await Journal.create(path.join(fresh(), 'transcript.jsonl'), { ceremonyId: 'c1' });
    expect(mode(j.file)).toBe(0o600);
    expect(mode(path.dirname(j.file))).toBe(0o700);
    await j.close();
  });
});

describe('a failed publish', () => {
  it('leaves no temp file behind (it may hold a secret)', async () => {
    const dir = fresh();
    mkdirSync(path.join(dir, 'target'), { recursive: true });
    // Renaming a file over a non-empty folder fails after the temp file is written.
    writeFileSync(path.join(dir, 'target', 'x'), '');
    await expect(writeFileAtomic(path.join(dir, 'target'), 'share words')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });
});

describe('a resumed run', () => {
  it('shreds leftover temp files in the folder and its subfolders, but not in the token store', async () => {
    const dir = fresh();
    for (const d of ['shares', 'checkpoints', 'token/tokens']) mkdirSync(path.join(dir, d), { recursive: true });
    const temps = ['.backup.json.0123456789ab.tmp', 'shares/.Carol.txt.abcdefabcdef.tmp', 'checkpoints/.000012.note.00aa00aa00aa.tmp'];
    for (const t of temps) writeFileSync(path.join(dir, t), 'secret share words');
    writeFileSync(path.join(dir, 'token/tokens/.x.0123456789ab.tmp'), 'softhsm');
    writeFileSync(path.join(dir, 'notes.tmp'), 'not ours');
    const removed = await removeLeftoverTemps(dir, ['token']);
    expect(removed.map((p) => path.relative(dir, p)).sort()).toEqual([...temps].sort());
    for (const t of temps) expect(existsSync(path.join(dir, t))).toBe(false);
    expect(existsSync(path.join(dir, 'token/tokens/.x.0123456789ab.tmp'))).toBe(true);
    expect(existsSync(path.join(dir, 'notes.tmp'))).toBe(true);
  });

  it('that died before ceremony.start starts over: the unrecorded transcript key is destroyed', async () => {
    const dir = fresh();
    const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: 'c2' });
    await j.close();
    await generateKeyNoteFile(dir, 'c2');
    writeFileSync(path.join(dir, '.transcript-key.secret.0123456789ab.tmp'), 'PRIVATE+KEY+keyrite.transcript/c2+old');
    const opened = await openRunJournal(dir, 'c2');
    expect(opened.resumed).toBe(false);
    expect(opened.journal.size).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['transcript.jsonl']);
    await opened.journal.close();
  });

  it('with entries resumes, and finishes a key destruction a crash interrupted', async () => {
    const dir = fresh();
    const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: 'c3' });
    await j.append({ kind: 'ceremony.start', step: '-', actor: { role: 'system', name: 'keyrite' }, data: {} as never });
    await j.close();
    writeFileSync(path.join(dir, `${TRANSCRIPT_KEY_FILE}.destroying`), 'overwritten or not');
    const opened = await openRunJournal(dir, 'c3');
    expect(opened.resumed).toBe(true);
    expect(opened.journal.size).toBe(1);
    expect(readdirSync(dir)).toEqual(['transcript.jsonl']);
    await opened.journal.close();
  });
});

describe('destroying the transcript key', () => {
  it('moves it aside before overwriting, so its own name never holds a damaged key, and is idempotent', async () => {
    const dir = fresh();
    await generateKeyNoteFile(dir, 'c4');
    const key = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE), 'utf8');
    expect(key).toMatch(/^PRIVATE\+KEY\+keyrite\.transcript\/c4\+/);
    expect(mode(path.join(dir, TRANSCRIPT_KEY_FILE))).toBe(0o600);
    await expect(generateKeyNoteFile(dir, 'c4')).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(await destroyTranscriptKey(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(await destroyTranscriptKey(dir)).toBe(false);
  });
});
