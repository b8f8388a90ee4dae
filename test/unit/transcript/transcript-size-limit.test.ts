/**
 * The size a machine can verify (verify-entries.ts transcriptSizeLimit) is a limit, not a bar: a
 * transcript of exactly that size is read and judged (here: its first line is not an entry, so it
 * is INVALID naming entry 0), and only a larger one is refused as unusable input before it is read
 * (verify-report.test.ts holds the refusal).
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { transcriptSizeLimit } from '../../../electron/core/transcript/verify-entries';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-transcript-size-limit-');
afterAll(() => tmp.cleanup());

it('a transcript of exactly the limit is verified, not refused: INVALID at its first bad line', async () => {
  const dir = path.join(tmp.dir, 'at-limit');
  mkdirSync(dir);
  const file = path.join(dir, 'transcript.jsonl');
  // A sparse file: one bad line, then holes up to the limit (no disk used; the reader stops at the bad line).
  const fd = openSync(file, 'w');
  writeSync(fd, 'not an entry\n');
  ftruncateSync(fd, transcriptSizeLimit());
  closeSync(fd);
  const r = await verifyTranscript(dir, { files: false });
  expect(r.valid).toBe(false);
  expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0 });
});
