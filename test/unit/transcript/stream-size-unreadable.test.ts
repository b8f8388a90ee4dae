/**
 * The streaming verifier asks the open transcript for its size (to choose where its leaves are
 * hashed). A file whose size cannot be read is unusable input, INPUT_UNREADABLE naming the file and
 * the system's error, like one that cannot be opened or read; never a bare error, and the file is
 * closed. (The failing fstat is simulated: a real one needs a failing disk.)
 */
import { writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { streamTranscript } from '../../../electron/core/transcript/verify-stream';
import { tempDir } from '../../helpers/softhsm';

const closed: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (file: string, flags?: string): Promise<FileHandle> => {
    const fh = await real.open(file, flags);
    if (file.endsWith('no-size.jsonl')) {
      fh.stat = (() => Promise.reject(Object.assign(new Error('EIO: i/o error, fstat'), { code: 'EIO' }))) as FileHandle['stat'];
      const close = fh.close.bind(fh);
      fh.close = async () => {
        closed.push(file);
        await close();
      };
    }
    return fh;
  };
  return { ...real, open, default: { ...real, open } };
});

const tmp = tempDir('keyrite-stream-size-');
afterAll(() => tmp.cleanup());

it('refuses a transcript whose size cannot be read as INPUT_UNREADABLE with the system error, and closes it', async () => {
  const f = path.join(tmp.dir, 'no-size.jsonl');
  writeFileSync(f, 'x\n');
  await expect(streamTranscript(f, { sizes: new Set(), offsetSeqs: new Set(), onEntry: () => undefined })).rejects.toMatchObject({
    code: 'INPUT_UNREADABLE', message: `${f} cannot be read: EIO: i/o error, fstat`, action: 'Check the path and permissions.',
  });
  expect(closed).toEqual([f]);
});
