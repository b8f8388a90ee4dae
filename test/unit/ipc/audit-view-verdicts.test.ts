/**
 * What the Audit screen says about a verifier report (toAuditReport, what audit/verify returns):
 * - each failure code fails the check it belongs to, and an entry failure marks every later check
 *   "not reached" rather than passing it; a failure code of no check fails none of them;
 * - the action shown at a failed entry is the one for its code; the failure's details keep what it
 *   recorded (seq 0 and empty texts included) and nothing else;
 * - the backup shares: verified by every custodian passes, fewer warns, each share named with its
 *   medium and outcome; in an invalid transcript they are shown as recorded, not trusted;
 * - the timeline goes by position and marks a line that is not a JSON object unreadable;
 * - the ceremony is a rehearsal only when its first line says rehearsal: true;
 * - readJournalLines gives the journal's lines (none for a missing journal).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournalLines, timelineFrom, toAuditReport } from '../../../electron/core/ipc/audit-view';
import type { ShareFact, VerificationReport, VerifyFailure, VerifyFailureCode } from '../../../electron/core/transcript/verify-types';

function report(over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    valid: true, dir: '/x/c1', ceremonyId: 'c1', entries: 4, warnings: [], steps: { expected: ['gen'], completed: ['gen'] },
    checkpoints: [], signers: [], participants: [], unknownSigners: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: true,
    ...over,
  };
}
const failed = (code: string, over: Partial<VerifyFailure> = {}) => report({ valid: false, failure: { code: code as VerifyFailureCode, message: `failed: ${code}`, ...over } });
const statuses = (r: ReturnType<typeof toAuditReport>) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

const ENTRY = ['ENTRY_TORN', 'ENTRY_MALFORMED', 'ENTRY_SEQ', 'ENTRY_CHAIN', 'ENTRY_CEREMONY', 'START_MISSING'];
const CHECKPOINT = ['CHECKPOINT_MISSING', 'CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN', 'CHECKPOINT_BEYOND_END', 'CHECKPOINT_ROOT', 'CHECKPOINT_INCONSISTENT', 'CHECKPOINT_LATEST_MISMATCH', 'ENTRIES_NOT_CHECKPOINTED'];
const SIGNATURE = ['CHECKPOINT_SIGNATURE_INVALID', 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', 'ROOT_KEY_NOT_PROVEN', 'TRUSTED_KEY_NOT_USED'];
const STEP = ['STEP_UNKNOWN', 'STEP_OUT_OF_ORDER', 'STEPS_INCOMPLETE', 'INTENT_WITHOUT_RESULT'];
const NOT_REACHED = 'Not reached: the entries failed first.';

describe('each failure fails its own check', () => {
  it('an entry failure fails the hash chain; every later check is not reached, sealing included', () => {
    for (const code of ENTRY) {
      const r = toAuditReport(failed(code), []);
      expect(r.checks.slice(0, 5), code).toEqual([
        { id: 'chain', title: 'Hash chain of entries', status: 'fail', detail: `failed: ${code}` },
        { id: 'checkpoints', title: 'Checkpoints match the entries', status: 'skipped', detail: NOT_REACHED },
        { id: 'signatures', title: 'Signatures', status: 'skipped', detail: NOT_REACHED },
        { id: 'steps', title: 'Every script step ran, in order', status: 'skipped', detail: NOT_REACHED },
        { id: 'sealed', title: 'Ceremony sealed', status: 'skipped', detail: NOT_REACHED },
      ]);
      expect(r.checkpointsNote, code).toBe('Not checked: the entries failed first.');
    }
  });

  it('a checkpoint, signature or step failure fails that check alone; the entries held', () => {
    const groups: [string[], string][] = [[CHECKPOINT, 'checkpoints'], [SIGNATURE, 'signatures'], [STEP, 'steps']];
    for (const [codes, id] of groups) {
      for (const code of codes) {
        const r = toAuditReport(failed(code), []);
        const expected = { chain: 'pass', checkpoints: 'pass', signatures: 'pass', steps: 'pass', sealed: 'pass', [id]: 'fail' };
        expect(statuses(r), code).toEqual(expected);
        expect(r.checks.find((c) => c.id === id)?.detail, code).toBe(`failed: ${code}`);
        expect(r.checks.find((c) => c.id === 'chain')?.detail, code).toBe('4 entries, each linked to the one before.');
        expect(r.checkpointsNote, code).toBe('This transcript has no checkpoint.');
      }
    }
  });

  it('a failure of no integrity check (a policy mismatch, a changed file) fails none of them, and the verdict is still failed', () => {
    for (const code of ['POLICY_MISMATCH', 'FILE_CHANGED', 'KEY_FINGERPRINT_MISMATCH', 'ATTESTER_NOT_IN_SCRIPT']) {
      const r = toAuditReport(failed(code), []);
      expect(statuses(r), code).toEqual({ chain: 'pass', checkpoints: 'pass', signatures: 'pass', steps: 'pass', sealed: 'pass' });
      expect(r.verdict, code).toBe('failed');
      expect(r.headline, code).toBe(`failed: ${code}`);
    }
  });

  it('an unsealed transcript whose entries failed says sealing was not reached, not that it is unsealed', () => {
    const r = toAuditReport({ ...failed('ENTRY_CHAIN'), sealed: false }, []);
    expect(r.checks.find((c) => c.id === 'sealed')).toEqual({ id: 'sealed', title: 'Ceremony sealed', status: 'skipped', detail: NOT_REACHED });
    expect(toAuditReport(report({ sealed: false }), []).checks.find((c) => c.id === 'sealed')).toEqual({
      id: 'sealed', title: 'Ceremony sealed', status: 'warn', detail: 'The transcript has no sealing entry: the ceremony did not finish, or it is still running.',
    });
  });

  it('counts unknown signatures in words that agree with the number', () => {
    const detail = (unknown: string[]) => toAuditReport(report({ unknownSigners: unknown }), []).checks.find((c) => c.id === 'signatures')?.detail;
    expect(detail([])).toBe('0 signers; 0 unknown signatures.');
    expect(detail(['x'])).toBe('0 signers; 1 unknown signature.');
    expect(detail(['x', 'y'])).toBe('0 signers; 2 unknown signatures.');
  });

  it('the headline of a failed report without a message says it did not verify', () => {
    expect(toAuditReport(report({ valid: false }), []).headline).toBe('The transcript did not verify.');
    expect(toAuditReport(report({ entries: 7 }), []).headline).toBe('All 7 entries are intact and every checkpoint verifies.');
  });
});

describe('the failure shown at its entry', () => {
  const lines = ['{"kind":"ceremony.start"}', '{"kind":"step.start"}'];
  const problemAt = (f: VerifyFailure) => toAuditReport(report({ valid: false, failure: f }), lines).entries.find((e) => e.status === 'failed')?.problem;

  it('says what to do for its code', () => {
    const actions: [string, string][] = [
      ['ENTRY_CHAIN', 'This entry was changed, removed or reordered after it was written. Compare it with the archived copy of the transcript.'],
      ['ENTRY_MALFORMED', 'This line is not a valid entry. Compare the transcript with its archived copy.'],
      ['ENTRY_TORN', 'The last line was cut off (a crash while writing). The ceremony may resume from the entry before it.'],
      ['ENTRY_SEQ', 'An entry is missing or duplicated here. Compare the transcript with its archived copy.'],
      ['CHECKPOINT_ROOT', 'The entries do not match what the checkpoint signed: the transcript was changed after signing.'],
      ['CHECKPOINT_SIGNATURE_INVALID', 'A signature does not verify. Treat this transcript as untrusted until explained.'],
      ['STEP_OUT_OF_ORDER', 'Treat this transcript as untrusted until the failure is explained. Compare it with its archived copy.'],
    ];
    for (const [code, action] of actions) expect(problemAt({ code: code as VerifyFailureCode, message: 'm', seq: 1 })?.action, code).toBe(action);
  });

  it('keeps in its details what the failure recorded, seq 0 and empty texts included, and nothing it did not', () => {
    const r = toAuditReport(report({ valid: false, failure: { code: 'ENTRY_CHAIN', message: 'm', seq: 0, expected: '', actual: '' } }), lines);
    expect(r.entries[0]!.problem?.details).toEqual({ seq: 0, expected: '', actual: '' });
    expect(r.firstFailure).toEqual({ seq: 0, error: { code: 'ENTRY_CHAIN', message: 'm', action: expect.any(String), details: { seq: 0, expected: '', actual: '' } } });
    expect(r.entries.map((e) => e.status)).toEqual(['failed', 'unchecked']);
    expect(problemAt({ code: 'CHECKPOINT_ROOT', message: 'm', seq: 1, checkpoint: '' })?.details).toEqual({ seq: 1, checkpoint: '' });
    // Not even as an undefined field: the renderer lists every key of the details.
    expect(Object.keys(problemAt({ code: 'ENTRY_SEQ', message: 'm', seq: 1 })!.details!)).toEqual(['seq']);
    expect(Object.keys(r.entries[0]!.problem!.details!)).toEqual(['seq', 'expected', 'actual']);
  });

  it('a failure at no entry marks every entry intact and gives no first failure', () => {
    const r = toAuditReport(failed('STEPS_INCOMPLETE'), lines);
    expect(r.entries.map((e) => [e.status, e.problem])).toEqual([['ok', undefined], ['ok', undefined]]);
    expect(r.firstFailure).toBeUndefined();
  });
});

describe('the backup shares', () => {
  const split = (verified: ShareFact['verified'], over: Partial<ShareFact> = {}): ShareFact => ({
    seq: 5, splitId: 'sp1', k: 2, n: 3, delivered: [], verified,
    shares: [{ custodian: 'Carol', index: 1, fingerprint: 'aa' }, { custodian: 'Dan', index: 2, fingerprint: 'bb', medium: 'file' }, { custodian: 'Erin', index: 3, fingerprint: 'cc', medium: 'token' }],
    ...over,
  });
  const sharesCheck = (r: ReturnType<typeof toAuditReport>) => r.policy.find((c) => c.id.startsWith('shares-'));

  it('pass when every custodian verified their share, naming each with its medium and how it was checked', () => {
    const r = toAuditReport(report({ shares: [split([
      { custodian: 'Carol', index: 1, ok: true, method: 'words' }, { custodian: 'Dan', index: 2, ok: false }, { custodian: 'Dan', index: 2, ok: true, method: 'file' }, { custodian: 'Erin', index: 3, ok: true, method: 'token' },
    ])] }), []);
    expect(sharesCheck(r)).toEqual({
      id: 'shares-sp1', title: 'Backup shares (2 of 3)', status: 'pass',
      detail: '3 of 3 shares verified by their custodians: #1 Carol (paper): verified (words re-entered); #2 Dan (file): verified (file opened with the passphrase; 1 failed check before); #3 Erin (token): verified (opened on the custodian\'s token).',
    });
  });

  it('warn when a share was not verified or was rejected, counting only the verified ones', () => {
    const r = toAuditReport(report({ shares: [split([{ custodian: 'Carol', index: 1, ok: true, method: 'words' }, { custodian: 'Dan', index: 2, ok: false }])] }), []);
    expect(sharesCheck(r)).toEqual({
      id: 'shares-sp1', title: 'Backup shares (2 of 3)', status: 'warn',
      detail: '1 of 3 shares verified by their custodians: #1 Carol (paper): verified (words re-entered); #2 Dan (file): REJECTED at verification; #3 Erin (token): not verified.',
    });
  });

  it('list each split of the transcript (a redone backup too) under its own id', () => {
    const r = toAuditReport(report({ shares: [split([]), split([], { splitId: 'sp2', k: 3, n: 3 })] }), []);
    expect(r.policy.filter((c) => c.id.startsWith('shares-')).map((c) => [c.id, c.title, c.status])).toEqual([['shares-sp1', 'Backup shares (2 of 3)', 'warn'], ['shares-sp2', 'Backup shares (3 of 3)', 'warn']]);
  });

  it('in a transcript that failed, are shown as recorded, not trusted', () => {
    const all = [{ custodian: 'Carol', index: 1, ok: true }, { custodian: 'Dan', index: 2, ok: true }, { custodian: 'Erin', index: 3, ok: true }];
    const r = toAuditReport({ ...failed('ENTRY_CHAIN'), shares: [split(all)] }, []);
    expect(sharesCheck(r)).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^Recorded, not trusted: 3 of 3 shares verified/) });
  });
});

describe('the failed or skipped steps', () => {
  it('list each one recorded, with its entry and step', () => {
    const r = toAuditReport(report({ exceptions: [{ seq: 6, step: 'backup', kind: 'step.result', detail: 'skipped' }, { seq: 9, step: 'verify', kind: 'share-rejected', detail: 'Share 2 of Dan did not verify.' }] }), []);
    expect(r.policy.find((c) => c.id === 'exceptions')).toEqual({
      id: 'exceptions', title: 'Failed or skipped steps', status: 'warn', detail: 'Entry 6, step backup: skipped; Entry 9, step verify: Share 2 of Dan did not verify.',
    });
  });
});

describe('an entry kind without its own sentence', () => {
  it('is named by its words, however its separators run', () => {
    expect(toAuditReport(report(), ['{"kind":"file..published"}', '{"kind":"-_custody.-share_"}']).entries.map((e) => e.summary)).toEqual(['File published', 'Custody share']);
  });
});

describe('the timeline', () => {
  it('reads every line by its position, a line that is not a JSON object as unreadable', () => {
    const t = timelineFrom(['{"seq":7,"kind":"step.start","step":"gen","time":5,"actor":{"role":true}}', 'null', '42', '"text"', '[1]'], undefined);
    expect(t.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(t[0]).toEqual({ seq: 0, time: '5', kind: 'step.start', step: 'gen', actor: { role: 'true', name: 'unknown' }, summary: 'Step gen started', status: 'ok' });
    expect(t.slice(1, 4).map((e) => [e.kind, e.summary])).toEqual([['unreadable', 'Unreadable line'], ['unreadable', 'Unreadable line'], ['unreadable', 'Unreadable line']]);
    // An array is an object to JSON: read as an entry without fields.
    expect(t[4]).toMatchObject({ kind: 'unreadable', summary: 'Unreadable' });
  });
});

describe('a rehearsal', () => {
  it('is one whose first line says rehearsal: true, and only that', () => {
    const start = (data: unknown) => JSON.stringify({ kind: 'ceremony.start', data });
    expect(toAuditReport(report(), [start({ rehearsal: true })]).ceremony.rehearsal).toBe(true);
    expect(toAuditReport(report(), [start({ rehearsal: 'true' })]).ceremony.rehearsal).toBe(false);
    expect(toAuditReport(report(), [start({})]).ceremony.rehearsal).toBe(false);
    expect(toAuditReport(report(), [start(null)]).ceremony.rehearsal).toBe(false);
    expect(toAuditReport(report(), ['{"kind":"ceremony.start","data":{"rehearsal":tru', start({ rehearsal: true })]).ceremony.rehearsal).toBe(false);
    expect(toAuditReport(report(), ['', start({ rehearsal: true })]).ceremony.rehearsal).toBe(false);
    expect(toAuditReport(report(), []).ceremony.rehearsal).toBe(false);
  });

  it('the ceremony is named by its script, else its id, else its folder', () => {
    expect(toAuditReport(report({ script: { id: 's', title: 'Root 2026', type: 'root-keygen', sha256: '00' } }), []).ceremony).toEqual({ id: 'c1', title: 'Root 2026', type: 'root-keygen', rehearsal: false });
    expect(toAuditReport(report(), []).ceremony.title).toBe('c1');
    expect(toAuditReport(report({ ceremonyId: undefined, dir: '/x/folder' }), []).ceremony).toEqual({ id: 'unknown', title: 'folder', type: 'ceremony', rehearsal: false });
  });
});

describe('readJournalLines', () => {
  it('gives each line of transcript.jsonl, without the empty one after the last newline, and none for a missing journal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-journal-lines-'));
    try {
      expect(await readJournalLines(dir)).toEqual([]);
      writeFileSync(path.join(dir, 'transcript.jsonl'), '{"seq":0}\n\n{"seq":2}\n');
      expect(await readJournalLines(dir)).toEqual(['{"seq":0}', '', '{"seq":2}']);
      writeFileSync(path.join(dir, 'transcript.jsonl'), '{"seq":0}\n{"seq":1');
      expect(await readJournalLines(dir)).toEqual(['{"seq":0}', '{"seq":1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the key facts', () => {
  it('leave out what the report does not have, and name a retired key without a recorded handover entry', () => {
    const r = toAuditReport(report({
      ceremonyId: undefined, entries: 2,
      keys: [{ seq: 3, label: 'root', id: '01', algorithm: 'ec-p384', fingerprint: 'ff', fingerprintWords: ['a'], fingerprintMatches: true, proof: {}, spki: '' }],
      signers: [{ name: 't', keyHash: '01', key: 'old-key', role: 'transcript', source: 'entry 0', trustedByAuditor: false, checkpointsSigned: 1 }],
      transcriptKeys: [{ key: 'old-key', source: 'file', fromSeq: 0, inForce: false }],
    }), []);
    expect(r.keyFacts.map((f) => [f.label, f.value])).toEqual([
      ['Entries', '2'], ['Key', 'root · ec-p384 · CKA_ID 01'], ['Fingerprint (SHA-256)', 'ff'], ['Fingerprint words', 'a'],
      ['Transcript key (retired: handed over at entry ?)', 'old-key'],
    ]);
  });
});
