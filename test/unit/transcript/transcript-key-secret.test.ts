/**
 * The transcript key file (transcript-key.secret) holds a note signing key in the ceremony folder:
 * it is written straight to its own name (create-exclusive, 0600 whatever the umask, fsynced, folder
 * fsynced), never through a temp file; destroying it is crash-safe: the key is moved aside and the
 * folder fsynced before a byte is overwritten, so a crash leaves the whole key under its own name (not
 * begun) or under the aside name, where a rerun or a resumed run (finishKeyDestruction) shreds it.
 * Crashes are stood in for by failing file operations at the point a power cut would stop them.
 */
import { existsSync, promises as fsp, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { destroyTranscriptKey, finishKeyDestruction, generateKeyNoteFile, TRANSCRIPT_KEY_FILE } from '../../../electron/core/ceremony/transcript-key-file';
import { keyFileSigner, parseVerifierKey } from '../../../electron/core/transcript/note-keys';
import { tempDir } from '../../helpers/softhsm';

const ASIDE = `${TRANSCRIPT_KEY_FILE}.destroying`;
let tmp: { dir: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir('keyrite-tkey-'); });
afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

/** Logs every open (name and flags), rename, unlink and fsync of the file system calls the key code makes. */
function watchFs() {
  const log: string[] = [];
  const realOpen = fsp.open.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const name = path.basename(String(args[0]));
    log.push(`open ${name} ${String(args[1])}`);
    const fh = await realOpen(...args);
    const realSync = fh.sync.bind(fh);
    fh.sync = async () => { log.push(`sync ${name}`); return realSync(); };
    return fh;
  });
  const realRename = fsp.rename.bind(fsp);
  vi.spyOn(fsp, 'rename').mockImplementation(async (a, b) => { log.push(`rename ${path.basename(String(a))} ${path.basename(String(b))}`); return realRename(a, b); });
  const realUnlink = fsp.unlink.bind(fsp);
  vi.spyOn(fsp, 'unlink').mockImplementation(async (a) => { log.push(`unlink ${path.basename(String(a))}`); return realUnlink(a); });
  return log;
}

describe('writing the transcript key', () => {
  it('goes straight to its own name, create-exclusive, fsynced with its folder; no temp file ever holds it', async () => {
    const dir = path.join(tmp.dir, 'ceremony');
    const log = watchFs();
    const verifierKey = await generateKeyNoteFile(dir, 'root-2026');
    expect(log).toEqual([`open ${TRANSCRIPT_KEY_FILE} wx`, `sync ${TRANSCRIPT_KEY_FILE}`, 'open ceremony r', 'sync ceremony']);
    expect(readdirSync(dir)).toEqual([TRANSCRIPT_KEY_FILE]);
    const signerKey = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE), 'utf8');
    expect(signerKey.endsWith('\n')).toBe(true);
    expect(keyFileSigner(signerKey).verifierKey).toBe(verifierKey);
    expect(parseVerifierKey(verifierKey).name).toBe('keyrite.transcript/root-2026');
  });

  it('is 0600 in a 0700 folder under any umask', async () => {
    for (const umask of [0o000, 0o277]) {
      const dir = path.join(tmp.dir, `u${umask}`);
      const old = process.umask(umask);
      try {
        await generateKeyNoteFile(dir, 'c');
      } finally {
        process.umask(old);
      }
      expect(statSync(path.join(dir, TRANSCRIPT_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o077).toBe(0);
    }
  });
});

describe('destroying the transcript key', () => {
  it('moves the key aside and fsyncs the folder before overwriting it, then fsyncs, unlinks and fsyncs the folder', async () => {
    const dir = path.join(tmp.dir, 'c');
    await generateKeyNoteFile(dir, 'c');
    const key = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE));
    const log = watchFs();
    // What the aside file holds when the shredder opens it: the whole key, and nothing under the key's own name.
    const seen: { own: boolean; aside: Buffer }[] = [];
    const open = vi.mocked(fsp.open).getMockImplementation()!;
    vi.mocked(fsp.open).mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      if (path.basename(String(args[0])) === ASIDE) seen.push({ own: existsSync(path.join(dir, TRANSCRIPT_KEY_FILE)), aside: readFileSync(path.join(dir, ASIDE)) });
      return open(...args);
    });
    expect(await destroyTranscriptKey(dir)).toBe(true);
    expect(log).toEqual([`rename ${TRANSCRIPT_KEY_FILE} ${ASIDE}`, 'open c r', 'sync c', `open ${ASIDE} r+`, `sync ${ASIDE}`, `unlink ${ASIDE}`, 'open c r', 'sync c']);
    expect(seen).toEqual([{ own: false, aside: key }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a crash before the overwrite leaves the whole key aside, never a damaged one under its own name; a rerun or a resume shreds it', async () => {
    for (const finish of ['again', 'resume'] as const) {
      const dir = path.join(tmp.dir, finish);
      await generateKeyNoteFile(dir, 'c');
      const key = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE));
      const realOpen = fsp.open.bind(fsp);
      const spy = vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
        if (String(args[0]).endsWith(ASIDE)) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        return realOpen(...args);
      });
      await expect(destroyTranscriptKey(dir)).rejects.toMatchObject({
        code: 'TRANSCRIPT_KEY_DESTROY_FAILED', message: expect.stringContaining('EIO'), action: expect.stringContaining('shred -u'),
      });
      spy.mockRestore();
      expect(readdirSync(dir)).toEqual([ASIDE]);
      expect(readFileSync(path.join(dir, ASIDE))).toEqual(key);
      if (finish === 'again') expect(await destroyTranscriptKey(dir)).toBe(true);
      else await finishKeyDestruction(dir);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('a crash after the overwrite leaves only random bytes aside, which a resume removes', async () => {
    const dir = path.join(tmp.dir, 'c');
    await generateKeyNoteFile(dir, 'c');
    const key = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE));
    const spy = vi.spyOn(fsp, 'unlink').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(destroyTranscriptKey(dir)).rejects.toMatchObject({ code: 'TRANSCRIPT_KEY_DESTROY_FAILED' });
    spy.mockRestore();
    const left = readFileSync(path.join(dir, ASIDE));
    expect(left).toHaveLength(key.length);
    expect(left.equals(key)).toBe(false);
    expect(left.includes(Buffer.from('PRIVATE+KEY'))).toBe(false);
    await finishKeyDestruction(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a resume leaves a key under its own name alone (its destruction had not begun), and is harmless with nothing to finish', async () => {
    const dir = path.join(tmp.dir, 'c');
    await generateKeyNoteFile(dir, 'c');
    const key = readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE));
    await finishKeyDestruction(dir);
    expect(readFileSync(path.join(dir, TRANSCRIPT_KEY_FILE))).toEqual(key);
    expect(await destroyTranscriptKey(dir)).toBe(true);
    await finishKeyDestruction(dir);
    expect(await destroyTranscriptKey(dir)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
