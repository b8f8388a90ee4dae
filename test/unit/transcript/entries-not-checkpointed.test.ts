/**
 * Entries nothing signed vouches for are fatal: entries after the last signed checkpoint (the
 * uncheckpointed tail), a transcript with no checkpoint at all, and a folder whose checkpoint.note
 * is gone. (End to end through `keyrite verify`: test/integration/transcript/verify-files.test.ts.)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-not-checkpointed-');
afterAll(() => tmp.cleanup());

describe('entries no signed checkpoint covers', () => {
  it('entries after the last signed checkpoint are INVALID, naming the first of them', async () => {
    const t = await smallTranscript(tmp.dir, [...okSteps.slice(0, 2), 'checkpoint', ...okSteps.slice(2)], { noFinalCheckpoint: true });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: 3, offset: t.offsetOf(3), message: 'Entries from seq 3 to 4 are not covered by any signed checkpoint.' });
  });

  it('one entry past the checkpoint is enough', async () => {
    const t = await smallTranscript(tmp.dir, [...okSteps.slice(0, 3), 'checkpoint', okSteps[3] as Row], { noFinalCheckpoint: true });
    expect((await verifyTranscript(t.dir, { files: false })).failure).toMatchObject({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: 4, message: 'Entries from seq 4 to 4 are not covered by any signed checkpoint.' });
  });

  it('a transcript with no checkpoint at all is INVALID', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { noFinalCheckpoint: true });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'CHECKPOINT_MISSING', message: 'There is no signed checkpoint: nothing vouches for the entries.' });
    expect(r.ceremonyId).toBe(t.ceremonyId);
  });

  it('a folder whose checkpoint.note was removed is INVALID, even with every checkpoint in checkpoints/', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    rmSync(path.join(t.dir, 'checkpoint.note'));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'CHECKPOINT_MISSING', message: 'checkpoint.note (the latest checkpoint) is missing.' });
  });

  it('an empty transcript is INVALID: nothing started', async () => {
    const dir = path.join(tmp.dir, 'empty');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'transcript.jsonl'), '');
    const r = await verifyTranscript(dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'START_MISSING', seq: 0, offset: 0, message: 'The transcript is empty.' });
    // Nothing read, nothing reported.
    expect(r).toMatchObject({
      entries: 0, participants: [], steps: { expected: [], completed: [] }, checkpoints: [], signers: [], unknownSigners: [], transcriptKeys: [],
      keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: false, attestations: [], checkUps: [],
    });
    expect(r.warnings).toEqual(['No --trusted-key given: signatures were checked against keys recorded in the transcript itself. Compare the transcript key below with the one on the signed paper report.']);
    expect(r).not.toHaveProperty('started');
    expect(r.ceremonyId).toBeUndefined();
  });
});
