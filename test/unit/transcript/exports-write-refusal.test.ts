/**
 * An export that cannot be written is a typed refusal naming the file (OUTPUT_WRITE_FAILED), never a
 * bare errno that reaches the screen as INTERNAL; and nothing else is touched: no temp file is left.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PUBLIC_KEY_FILE, writeExports } from '../../../electron/core/transcript/exports';
import { tempDir } from '../../helpers/softhsm';
import { keyRow, p384, signedFolder } from './files-fixture';

const tmp = tempDir('keyrite-exports-refusal-');
afterAll(() => tmp.cleanup());

it('a folder where public-key.pem goes: OUTPUT_WRITE_FAILED naming that path, what to do, and no temp file left', async () => {
  const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)]);
  mkdirSync(path.join(dir, PUBLIC_KEY_FILE, 'inside'), { recursive: true });
  const err = await writeExports(dir).catch((e: unknown) => e);
  expect(err).toMatchObject({
    code: 'OUTPUT_WRITE_FAILED',
    message: expect.stringContaining(path.join(dir, PUBLIC_KEY_FILE)),
    action: expect.stringContaining('Move aside'),
    details: { path: path.join(dir, PUBLIC_KEY_FILE) },
  });
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
