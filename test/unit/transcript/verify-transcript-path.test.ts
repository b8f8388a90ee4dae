/**
 * `keyrite verify` takes the ceremony folder or its transcript.jsonl itself: given the file, the
 * folder holding it is the ceremony's (its size limit: verify-report.test.ts).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-verify-transcript-path-');
afterAll(() => tmp.cleanup());

describe('verifying a transcript.jsonl given as a file', () => {
  it('judges the ceremony of the folder holding it', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const r = await verifyTranscript(path.join(t.dir, 'transcript.jsonl'), { files: false });
    expect(r).toMatchObject({ valid: true, dir: t.dir, ceremonyId: t.ceremonyId, entries: 5 });
  });
});
