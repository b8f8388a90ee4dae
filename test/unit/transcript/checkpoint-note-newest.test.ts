/**
 * checkpoint.note counts as a signed checkpoint when the verifier says which entries no signed
 * checkpoint covers, also when its copy in checkpoints/ is gone. Gone, checkpoint.note is named
 * (CHECKPOINT_LATEST_MISMATCH: checkpoints/ does not hold it); entries it covers are not called
 * unvouched, and entries after it are named from the right entry, with that entry's byte offset.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointFileName } from '../../../electron/core/transcript/checkpoint';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { smallTranscript, type Row, type SmallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-checkpoint-note-newest-');
afterAll(() => tmp.cleanup());
const cpFile = (t: SmallTranscript, size: number) => path.join(t.dir, 'checkpoints', checkpointFileName(size));

describe('checkpoint.note whose copy in checkpoints/ is gone', () => {
  it('covering every entry: CHECKPOINT_LATEST_MISMATCH naming checkpoint.note, no entry called unvouched', async () => {
    // Checkpoints at 3 and 4, and at 5 with checkpoint.note.
    const t = await smallTranscript(tmp.dir, [['step.start', 'a'], ['step.result', 'a', { outcome: 'ok' }], 'checkpoint', ['step.start', 'b'], 'checkpoint', ['step.result', 'b', { outcome: 'ok' }]]);
    rmSync(cpFile(t, 5));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({
      code: 'CHECKPOINT_LATEST_MISMATCH', checkpoint: path.join(t.dir, 'checkpoint.note'),
      message: 'checkpoint.note (size 5) is not the newest checkpoint in checkpoints/ (size 4).',
    });
  });

  it('with entries after it: the first is named unvouched (ENTRIES_NOT_CHECKPOINTED at seq 4, its offset), not the ones checkpoint.note covers', async () => {
    // Checkpoints at 3, and at 4 with checkpoint.note; entries 4 and 5 after them (neither of a kind the checks keep).
    const rows: Row[] = [
      ['step.start', 'a'], ['step.result', 'a', { outcome: 'ok' }], 'checkpoint', ['step.start', 'b'], 'checkpoint', ['step.result', 'b', { outcome: 'ok' }],
      ['deviation', '-', { who: 'Ada', why: 'the printer jammed' }],
    ];
    const t = await smallTranscript(tmp.dir, rows, { noFinalCheckpoint: true });
    rmSync(cpFile(t, 4));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.entries).toBe(6);
    expect(r.failure).toEqual({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: 4, offset: t.offsetOf(4), message: 'Entries from seq 4 to 5 are not covered by any signed checkpoint.' });
  });
});
