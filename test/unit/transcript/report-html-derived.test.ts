/**
 * report.html beside the transcript is derived again from the transcript alone, as the seal rendered
 * it (verify.ts): the auditor's options and the files beside it change the verdict, never the report
 * it is compared with. A --policy that does not match, or a changed file, is INVALID while
 * report.html still matches.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { writeExports } from '../../../electron/core/transcript/exports';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-report-html-derived-');
afterAll(() => tmp.cleanup());

describe('report.html and the auditor\'s policy', () => {
  it('a --policy that does not match fails the verdict (POLICY_MISMATCH) while report.html still matches the transcript', async () => {
    const text = 'policy: strict\n';
    const sealed: Row = ['ceremony.sealed', '-', { entries: 0, outcome: 'completed' }];
    const t = await smallTranscript(tmp.dir, [...okSteps, sealed], { start: { policy: { id: 'p', sha256: createHash('sha256').update(text).digest('hex') } } });
    await writeExports(t.dir, { generatedAt: new Date('2026-01-02T03:04:05Z') });
    const r = await verifyTranscript(t.dir, { policy: 'policy: lax\n' });
    expect(r.valid).toBe(false);
    expect(r.failure).toMatchObject({ code: 'POLICY_MISMATCH', seq: 0 });
    expect(r.files?.find((f) => f.file === 'report.html')?.status).toBe('report-matches');
  });

  it('a changed file fails the verdict (FILE_CHANGED) while report.html, derived from the transcript alone, still matches with --trusted-key', async () => {
    const notes = 'what the room said\n';
    const sealed: Row = ['ceremony.sealed', '-', { entries: 0, outcome: 'completed' }];
    const published: Row = ['file.published', 'a', { file: 'notes.txt', sha256: createHash('sha256').update(notes).digest('hex'), bytes: notes.length }];
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, published, ...okSteps.slice(1), sealed]);
    writeFileSync(path.join(t.dir, 'notes.txt'), notes);
    await writeExports(t.dir, { generatedAt: new Date('2026-01-02T03:04:05Z') });
    const opts = { trustedKeys: [t.transcriptKey.verifierKey] };
    const before = await verifyTranscript(t.dir, opts);
    expect(before.failure).toBeUndefined();
    writeFileSync(path.join(t.dir, 'notes.txt'), 'what the room did not say\n');
    const r = await verifyTranscript(t.dir, opts);
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'notes.txt' });
    expect(r.files?.find((f) => f.file === 'report.html')?.status).toBe('report-matches');
  });
});
