/** A transcript over what the machine can hold is unusable input: exit 2 with INPUT_TOO_LARGE, never 1. */
import { execFile } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { transcriptSizeLimit } from '../../../electron/core/transcript/verify-entries';
import { tempDir } from '../../helpers/softhsm';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');

describe('keyrite verify on a transcript larger than the machine can hold', () => {
  const tmp = tempDir('keyrite-verify-huge-');
  afterAll(() => tmp.cleanup());

  it('exits 2 with INPUT_TOO_LARGE, before reading it', async () => {
    const dir = path.join(tmp.dir, 'huge');
    mkdirSync(dir);
    // A sparse file: its size is past the limit, yet it takes no disk and is never read.
    const fd = openSync(path.join(dir, 'transcript.jsonl'), 'w');
    ftruncateSync(fd, transcriptSizeLimit() + 1);
    closeSync(fd);
    const r = await run(process.execPath, [BIN, 'verify', dir]).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('more than this machine can verify');
    expect(r.stderr).toContain('[INPUT_TOO_LARGE]');
  });
});
