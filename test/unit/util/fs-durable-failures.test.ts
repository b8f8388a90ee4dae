/**
 * A publish that fails says why and what to do for that cause, names the file, replaces nothing and
 * leaves no temp file (it may hold a secret). A full or failing disk is not "move a folder aside".
 * The disk faults no test machine can make on demand (ENOSPC, EIO, EROFS, EACCES as root) are injected
 * at fs.promises.open, the one call writeFileAtomic makes the file with; the rest is the real file
 * system.
 */
import { promises as fsp, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../electron/core/util/fs-durable';
import { KeyriteError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-fs-failures-');
afterAll(() => tmp.cleanup());
afterEach(() => vi.restoreAllMocks());
let n = 0;
const fresh = () => {
  const dir = path.join(tmp.dir, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real open, with one of the handle's calls failing with `code`. */
function failOn(call: 'writeFile' | 'sync', code: string): void {
  const realOpen = fsp.open.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const fh: FileHandle = await realOpen(...args);
    fh[call] = () => Promise.reject(errno(code));
    return fh;
  });
}

function failOpen(code: string): void {
  vi.spyOn(fsp, 'open').mockRejectedValue(errno(code));
}

async function publishFails(target: string): Promise<KeyriteError> {
  const err = await writeFileAtomic(target, 'new share words').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KeyriteError);
  return err as KeyriteError;
}

describe('a publish that fails on the disk', () => {
  it('full (ENOSPC while writing): says the disk is full, to free space or use another disk; the old file is whole, no temp file', async () => {
    const dir = fresh();
    const target = path.join(dir, 'backup.json');
    writeFileSync(target, 'old backup');
    failOn('writeFile', 'ENOSPC');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { path: target, errno: 'ENOSPC' } });
    expect(err.message).toContain(target);
    expect(err.message).toContain('the disk is full');
    expect(err.message).toContain('Nothing was replaced');
    expect(err.action).toContain(`Free space on the disk holding ${dir}`);
    expect(err.action).not.toContain('Move aside');
    expect(readFileSync(target, 'utf8')).toBe('old backup');
    expect(readdirSync(dir)).toEqual(['backup.json']);
  });

  it('failing (EIO at fsync): says the disk may be failing and to carry the folder to another disk and verify it', async () => {
    const dir = fresh();
    const target = path.join(dir, 'root-cert.pem');
    failOn('sync', 'EIO');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { path: target, errno: 'EIO' } });
    expect(err.message).toContain('input/output error');
    expect(err.action).toContain(`The disk holding ${dir} may be failing`);
    expect(err.action).toContain('keyrite verify');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('quota used up (EDQUOT): says so, not "disk full" nor "move aside"', async () => {
    const target = path.join(fresh(), 'backup.json');
    failOn('writeFile', 'EDQUOT');
    const err = await publishFails(target);
    expect(err.message).toContain('quota');
    expect(err.action).toContain('quota');
    expect(err.action).not.toContain('Move aside');
  });

  it('read-only (EROFS when making the file): says to remount or choose a writable disk', async () => {
    const dir = fresh();
    const target = path.join(dir, 'public-key.pem');
    failOpen('EROFS');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { path: target, errno: 'EROFS' } });
    expect(err.message).toContain('read-only');
    expect(err.action).toContain(`Remount the disk holding ${dir} read-write`);
  });

  it('no permission (EACCES, EPERM when making the file): says to fix the folder\'s permissions', async () => {
    for (const code of ['EACCES', 'EPERM']) {
      const dir = fresh();
      const target = path.join(dir, 'backup.json');
      failOpen(code);
      const err = await publishFails(target);
      expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { errno: code } });
      expect(err.message).toContain('permission denied');
      expect(err.action).toContain(`Fix the permissions of ${dir}`);
      vi.restoreAllMocks();
    }
  });

  it('an errno with no advice of its own (EMFILE): still typed, names the file and the errno, says to check the disk', async () => {
    const dir = fresh();
    const target = path.join(dir, 'backup.json');
    failOpen('EMFILE');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { path: target, errno: 'EMFILE' } });
    expect(err.message).toContain('the system refused the write (EMFILE)');
    expect(err.action).toContain(`Check that ${dir} is on a working disk`);
  });

  it('a failure that is not an errno passes through as it is', async () => {
    const boom = new Error('not an errno');
    vi.spyOn(fsp, 'open').mockRejectedValue(boom);
    await expect(writeFileAtomic(path.join(fresh(), 'x'), 'y')).rejects.toBe(boom);
  });
});

describe('a publish that fails on what is at the path (real file system)', () => {
  it('a folder where the file goes: says to move it aside', async () => {
    const dir = fresh();
    const target = path.join(dir, 'public-key.pem');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    const err = await publishFails(target);
    expect(err.code).toBe('OUTPUT_WRITE_FAILED');
    expect(['EISDIR', 'ENOTEMPTY', 'EEXIST']).toContain(err.details?.errno);
    expect(err.message).toContain('something else is in the way');
    expect(err.action).toContain(`Move aside whatever is at ${target}`);
    expect(readdirSync(dir)).toEqual(['public-key.pem']);
  });

  it('a folder that does not exist: says to create it or choose one that exists', async () => {
    const dir = path.join(fresh(), 'missing');
    const target = path.join(dir, 'backup.json');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { path: target, errno: 'ENOENT' } });
    expect(err.message).toContain('its folder does not exist');
    expect(err.action).toContain(`Create ${dir}`);
  });

  it('a file where the folder should be (ENOTDIR): says to move it aside', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'shares'), 'a file, not a folder');
    const target = path.join(dir, 'shares', 'Carol.age');
    const err = await publishFails(target);
    expect(err).toMatchObject({ code: 'OUTPUT_WRITE_FAILED', details: { errno: 'ENOTDIR' } });
    expect(err.action).toContain('Move aside');
  });
});
