/**
 * The audit screen's account of the files beside a transcript (issue 13: VALID binds every file),
 * through toAuditReport as audit/verify returns it: a changed file fails the files check, naming
 * the file and why; a missing one makes it a warning and adds to the headline that not every file
 * was checked; every file as the ceremony wrote it passes, counting the files checked. Each file's
 * row says what was found and the entry it is held to.
 */
import { describe, expect, it } from 'vitest';
import { toAuditReport } from '../../../electron/core/ipc/audit-view';
import type { FileFact, VerificationReport } from '../../../electron/core/transcript/verify-types';

function report(files: FileFact[] | undefined): VerificationReport {
  return {
    valid: true, dir: '/x/c1', ceremonyId: 'c1', entries: 40, warnings: [], steps: { expected: [], completed: [] }, checkpoints: [], signers: [],
    participants: [], unknownSigners: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: true,
    ...(files ? { files } : {}),
  };
}

const bound: FileFact = { file: 'backup.json', status: 'bound', entry: { seq: 31, kind: 'file.published' }, detail: 'SHA-256 as recorded' };
const checked: FileFact = { file: 'public-key.pem', status: 'content-checked', entry: { seq: 12, kind: 'key.generated' }, detail: 'the recorded SPKI' };
const working: FileFact = { file: 'transcript.jsonl', status: 'transcript', detail: 'the journal itself' };
const missing = (file: string): FileFact => ({ file, status: 'not-present', entry: { seq: 33, kind: 'file.published' }, detail: 'not in the folder' });
const changed = (file: string, detail: string): FileFact => ({ file, status: 'changed', entry: { seq: 31, kind: 'file.published' }, detail });
const filesCheck = (r: ReturnType<typeof toAuditReport>) => r.checks.find((c) => c.id === 'files');

describe('the files beside the transcript, on the audit screen', () => {
  it('every file as written: passes, counting the files checked, and the headline adds nothing', () => {
    const r = toAuditReport(report([bound, checked, working]), []);
    expect(filesCheck(r)).toEqual({ id: 'files', title: 'Files beside the transcript', status: 'pass', detail: 'Every file the transcript names is present and is the one the ceremony wrote (2 files).' });
    expect(r.headline).toBe('All 40 entries are intact and every checkpoint verifies.');
    expect(filesCheck(toAuditReport(report([bound, working]), []))?.detail).toMatch(/\(1 file\)\.$/);
    expect(filesCheck(toAuditReport(report([bound, { ...bound, file: 'root-cert.pem' }, working]), []))?.detail).toMatch(/\(2 files\)\.$/);
  });

  it('a changed file fails the check, naming each changed file and what is wrong', () => {
    const r = toAuditReport(report([bound, changed('backup.json', 'SHA-256 differs from entry 31'), changed('root-cert.pem', 'not signed by the root key'), missing('share-carol.age')]), []);
    expect(filesCheck(r)).toEqual({ id: 'files', title: 'Files beside the transcript', status: 'fail', detail: 'backup.json: SHA-256 differs from entry 31; root-cert.pem: not signed by the root key.' });
  });

  it('a missing file is a warning naming it, and the headline says not every file was checked', () => {
    const one = toAuditReport(report([bound, missing('share-carol.age')]), []);
    expect(filesCheck(one)).toEqual({ id: 'files', title: 'Files beside the transcript', status: 'warn', detail: 'Not all checked: 1 file the transcript names is not in the folder (share-carol.age).' });
    expect(one.headline).toBe('All 40 entries are intact and every checkpoint verifies. Not every file was checked: 1 file the transcript names is not present.');
    const two = toAuditReport(report([missing('a.pem'), bound, missing('b.pem')]), []);
    expect(filesCheck(two)?.detail).toBe('Not all checked: 2 files the transcript names are not in the folder (a.pem, b.pem).');
    expect(two.headline).toMatch(/ Not every file was checked: 2 files the transcript names are not present\.$/);
  });

  it('lists each file with what was found and the entry it is held to; no list and no check when the verifier gave none', () => {
    const r = toAuditReport(report([bound, changed('root-cert.pem', 'differs'), missing('a.pem'), working]), []);
    expect(r.files).toEqual([
      { file: 'backup.json', status: 'pass', label: 'Bound', detail: 'SHA-256 as recorded', entry: 'entry 31 (file.published)' },
      { file: 'root-cert.pem', status: 'fail', label: 'Changed', detail: 'differs', entry: 'entry 31 (file.published)' },
      { file: 'a.pem', status: 'warn', label: 'Not present, not checked', detail: 'not in the folder', entry: 'entry 33 (file.published)' },
      { file: 'transcript.jsonl', status: 'pass', label: 'Transcript', detail: 'the journal itself' },
    ]);
    const none = toAuditReport(report(undefined), []);
    expect(none.files).toBeUndefined();
    expect(filesCheck(none)).toBeUndefined();
    expect(none.headline).toBe('All 40 entries are intact and every checkpoint verifies.');
  });
});
