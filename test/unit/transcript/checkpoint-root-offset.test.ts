/**
 * A checkpoint whose signed root the entries no longer hash to names the entry to look at by seq and
 * by byte offset in transcript.jsonl, whatever kind that entry is (the streaming verifier keeps the
 * offsets of every checkpoint size and of the entry before each, not only of the kinds it keeps whole).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { checkpointBody, originFor } from '../../../electron/core/transcript/checkpoint';
import { keyFileSigner, signNote } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-checkpoint-root-offset-');
afterAll(() => tmp.cleanup());

it('a second checkpoint of the first size with another root names the last entry it covers, a step.result, at its byte offset', async () => {
  // Checkpoints at 3 (after step a's result, entry 2) and at 5 (the end).
  const rows: Row[] = [...okSteps.slice(0, 2), 'checkpoint', ...okSteps.slice(2)];
  const t = await smallTranscript(tmp.dir, rows);
  const forged = path.join(t.dir, 'checkpoints', 'zz-copy.note');
  writeFileSync(forged, await signNote(checkpointBody(originFor(t.ceremonyId), 3, new Uint8Array(32).fill(7)), [keyFileSigner(t.transcriptKey.signerKey)]));
  const r = await verifyTranscript(t.dir, { files: false });
  expect(r.valid).toBe(false);
  expect(r.failure).toMatchObject({ code: 'CHECKPOINT_ROOT', checkpoint: forged, seq: 2, offset: t.offsetOf(2), expected: '07'.repeat(32) });
  expect((JSON.parse(t.lines()[2] as string) as { kind: string }).kind).toBe('step.result');
  expect(readFileSync(t.dir + '/transcript.jsonl', 'utf8').slice(t.offsetOf(2)).startsWith(t.lines()[2] as string)).toBe(true);
});
