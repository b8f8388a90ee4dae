/**
 * What the audit screen says, through toAuditReport (what audit/verify returns) and summariseEntry:
 * one readable line per journal entry kind, with the words it falls back on when the entry leaves a
 * field out; the policy checks (policy hash, witnesses, deviations, failed steps) passing or
 * warning with what was recorded; the key facts an auditor compares with the signed paper report.
 */
import { describe, expect, it } from 'vitest';
import { summariseEntry, toAuditReport } from '../../../electron/core/ipc/audit-view';
import type { VerificationReport } from '../../../electron/core/transcript/verify-types';

function report(over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    valid: true, dir: '/x/c1', ceremonyId: 'c1', entries: 4, warnings: [], steps: { expected: ['gen'], completed: ['gen'] },
    checkpoints: [], signers: [], participants: [], unknownSigners: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: true,
    ...over,
  };
}

describe('one line per entry', () => {
  it('says what each kind records, from its data', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['ceremony.start', { script: { title: 'Root 2026' } }, 'Ceremony started: Root 2026'],
      ['step.start', { title: 'Generate' }, 'Step gen started: Generate'],
      ['step.intent', { operation: 'generate the key', label: 'root' }, 'About to generate the key (root)'],
      ['step.result', { outcome: 'ok' }, 'Step gen completed'],
      ['step.result', { outcome: 'failed' }, 'Step gen failed'],
      ['deviation', { who: 'Alice', why: 'printer jammed' }, 'Deviation recorded by Alice: printer jammed'],
      ['key.locked', { label: 'root', proof: { extractable: false } }, 'Key locked in the token: root (extractable: false)'],
      ['backup.created', { k: 3, n: 5 }, 'Backup made: 3 of 5 shares'],
      ['share.verified', { custodian: 'Carol', ok: true }, 'Share of Carol verified'],
      ['share.verified', { custodian: 'Carol', ok: false }, 'Share of Carol failed verification'],
      ['certificate.issued', { subject: 'CN=Root' }, 'Certificate issued: CN=Root'],
      ['ceremony.sealed', { outcome: 'aborted' }, 'Ceremony sealed (aborted)'],
      ['step.done', {}, 'Step gen done'],
      ['share.shown', { custodian: 'Dan' }, 'Share shown to Dan'],
      ['file.published', {}, 'File published'],
      ['audit_trail-entry', {}, 'Audit trail entry'],
      ['...', {}, 'Entry'],
    ];
    for (const [kind, data, line] of cases) expect(summariseEntry(kind, 'gen', data), kind).toBe(line);
  });

  it('falls back on plain words when the entry leaves a field out', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['ceremony.start', {}, 'Ceremony started: untitled'],
      ['step.start', {}, 'Step gen started'],
      ['step.intent', {}, 'About to act'],
      ['step.result', {}, 'Step gen ended'],
      ['step.attest', { statement: 'I watched' }, 'A witness attested: I watched'],
      ['deviation', { why: 'late' }, 'Deviation recorded by someone: late'],
      ['ceremony.sealed', {}, 'Ceremony sealed (completed)'],
      ['share.shown', {}, 'Share shown to a custodian'],
      ['backup.created', { k: '3', n: true }, 'Backup made: 3 of true shares'],
      ['certificate.issued', { subject: { cn: 'x' } }, 'Certificate issued: '],
    ];
    for (const [kind, data, line] of cases) expect(summariseEntry(kind, 'gen', data), kind).toBe(line);
  });
});

describe('the policy checks', () => {
  it('pass with what was recorded', () => {
    const r = toAuditReport(report({
      policySha256: 'ab'.repeat(32),
      witnesses: [{ name: 'Wendy', attestations: [{ seq: 2, step: 'gen', statement: 'I watched' }], checkpointsCosigned: 3 }, { name: 'Walter', attestations: [], checkpointsCosigned: 1 }],
    }), []);
    expect(r.policy).toEqual([
      { id: 'policy', title: 'Policy recorded at the start', status: 'pass', detail: `Policy SHA-256 ${'ab'.repeat(32)}` },
      { id: 'witnesses', title: 'Witnessed', status: 'pass', detail: 'Wendy: 1 attestations, 3 cosigned checkpoints; Walter: 0 attestations, 1 cosigned checkpoints' },
      { id: 'deviations', title: 'Deviations from the script', status: 'pass', detail: 'None recorded.' },
      { id: 'exceptions', title: 'Failed or skipped steps', status: 'pass', detail: 'None recorded.' },
    ]);
  });

  it('warn, saying what happened, when nothing was recorded or something went off script', () => {
    const r = toAuditReport(report({
      deviations: [{ seq: 5, step: 'gen', who: 'Alice', why: 'printer jammed' }, { seq: 9, step: 'seal', who: 'Bob', why: 'late' }],
      exceptions: [{ seq: 6, step: 'backup', kind: 'step.result', detail: 'skipped' }],
    }), []);
    expect(r.policy).toEqual([
      { id: 'policy', title: 'Policy recorded at the start', status: 'warn', detail: 'No policy hash recorded: the default policy applied.' },
      { id: 'witnesses', title: 'Witnessed', status: 'warn', detail: 'No witness attested a step.' },
      { id: 'deviations', title: 'Deviations from the script', status: 'warn', detail: 'Entry 5, step gen: Alice: printer jammed; Entry 9, step seal: Bob: late' },
      { id: 'exceptions', title: 'Failed or skipped steps', status: 'warn', detail: 'Entry 6, step backup: skipped' },
    ]);
  });

  it('fail on a policy that is not the recorded one, and keep that failure visible in an invalid report', () => {
    const r = toAuditReport(report({ valid: false, policySha256: 'ab'.repeat(32), failure: { code: 'POLICY_MISMATCH', message: 'The policy given is not the one recorded.' } }), []);
    expect(r.policy[0]).toEqual({ id: 'policy', title: 'Policy recorded at the start', status: 'fail', detail: 'The policy given is not the one recorded.' });
    expect(r.policy[1]).toEqual({ id: 'witnesses', title: 'Witnessed', status: 'skipped', detail: 'Recorded, not trusted: No witness attested a step.' });
  });
});

describe('the key facts', () => {
  it('list the ceremony, script, entries, root, keys, certificates and every signer with its role', () => {
    const r = toAuditReport(report({
      script: { id: 's', title: 'Root 2026', type: 'root-keygen', sha256: '00' }, root: 'cd'.repeat(32),
      keys: [{ seq: 3, label: 'root', id: '01', algorithm: 'ec-p384', fingerprint: 'ff', fingerprintWords: ['aardvark', 'absurd'], fingerprintMatches: false, proof: {}, spki: '', token: { label: 'hsm', serial: '42' } }] as never,
      certificates: [{ seq: 4, subject: 'CN=Root', serial: '01', sha256: '00' }],
      signers: [
        { name: 'keyrite.root/c1', keyHash: '02', key: 'root-key', role: 'root', source: 'entry 3', trustedByAuditor: false, checkpointsSigned: 1 },
        { name: 'witness/wendy', keyHash: '03', key: 'wendy-key', role: 'witness', source: 'script', trustedByAuditor: false, checkpointsSigned: 1 },
        { name: 'auditor', keyHash: '04', key: 'auditor-key', role: 'trusted', source: 'given', trustedByAuditor: true, checkpointsSigned: 1 },
        { name: 'keyrite.transcript/c1', keyHash: '01', key: 'transcript-key', role: 'transcript', source: 'entry 0', trustedByAuditor: true, checkpointsSigned: 2 },
      ] as never,
    }), []);
    // [label, value, shown in monospace]
    expect(r.keyFacts.map((f) => [f.label, f.value, f.mono === true])).toEqual([
      ['Ceremony', 'c1', true],
      ['Script', 'Root 2026 (root-keygen)', false],
      ['Entries', '4', false],
      ['Merkle root', 'cd'.repeat(32), true],
      ['Key', 'root · ec-p384 · CKA_ID 01', false],
      ['Fingerprint (SHA-256)', 'ff', true],
      ['Fingerprint words', 'aardvark absurd', false],
      ['Fingerprint check', 'The recorded fingerprint does not match the recorded public key.', false],
      ['Token', 'hsm (serial 42)', false],
      ['Certificate', 'CN=Root · serial 01', false],
      ['Root key (note signer)', 'root-key', true],
      ['Witness key (witness/wendy)', 'wendy-key', true],
      ['Trusted key (auditor), given by you', 'auditor-key', true],
      ['Transcript key, given by you', 'transcript-key', true],
    ]);
  });
});

describe('the integrity checks and the timeline', () => {
  const entry = (seq: number, kind: string, data: object = {}) => JSON.stringify({ seq, kind, step: 'gen', actor: { role: 'witness', name: 'Wendy' }, data });

  it('say what was checked when everything holds', () => {
    const r = toAuditReport(report({
      entries: 4, checkpoints: [{ file: 'checkpoints/000004.note', size: 4, root: 'ab', signedBy: ['t', 'w'], unknownSigners: ['x'] }], unknownSigners: ['x'],
      signers: [{ name: 't', role: 'transcript' }, { name: 'w', role: 'witness' }] as never, steps: { expected: ['a', 'b'], completed: ['a', 'b'] }, warnings: ['clock skew'],
    }), [entry(0, 'ceremony.start', { rehearsal: false })]);
    expect(r.checks).toEqual([
      { id: 'chain', title: 'Hash chain of entries', status: 'pass', detail: '4 entries, each linked to the one before.' },
      { id: 'checkpoints', title: 'Checkpoints match the entries', status: 'pass', detail: '1 checkpoints over the Merkle tree of the entries.' },
      { id: 'signatures', title: 'Signatures', status: 'pass', detail: '2 signers; 1 unknown signature.' },
      { id: 'steps', title: 'Every script step ran, in order', status: 'pass', detail: '2 of 2 steps completed.' },
      { id: 'sealed', title: 'Ceremony sealed', status: 'pass', detail: 'The transcript ends with its sealing entry.' },
      { id: 'warning-0', title: 'Warning', status: 'warn', detail: 'clock skew' },
    ]);
    expect(r.checkpoints[0]).toEqual({
      size: 4, file: 'checkpoints/000004.note', status: 'pass',
      signatures: [
        { name: 't', role: 'transcript', status: 'pass' }, { name: 'w', role: 'witness', status: 'pass' },
        { name: 'x', role: 'unknown key', status: 'warn', detail: 'Signed by a key the transcript does not name.' },
      ],
    });
    expect(r.checkpointsNote).toBe('');
    expect(r.ceremony).toEqual({ id: 'c1', title: 'c1', type: 'ceremony', rehearsal: false });
    expect(toAuditReport(report({ checkpoints: [] }), []).checkpointsNote).toBe('This transcript has no checkpoint.');
    expect(toAuditReport(report({ sealed: false }), []).checks.find((c) => c.id === 'sealed')?.status).toBe('warn');
  });

  it('put a checkpoint failure on its check and its checkpoint, with the failure\'s details at its entry', () => {
    const failure = { code: 'CHECKPOINT_ROOT', message: 'Checkpoint 4 does not match the entries.', seq: 1, checkpoint: 'checkpoints/000004.note', expected: 'aa', actual: 'bb' } as const;
    const r = toAuditReport(report({
      valid: false, failure, ceremonyId: undefined, dir: '/x/folder-name',
      checkpoints: [{ file: 'checkpoints/000002.note', size: 2, root: 'ab', signedBy: ['mystery'], unknownSigners: [] }, { file: 'checkpoints/000004.note', size: 4, root: 'cd', signedBy: [], unknownSigners: [] }],
    }), [entry(0, 'ceremony.start'), entry(1, 'step.start'), '42', entry(3, 'step.done')]);
    expect(r.headline).toBe('Checkpoint 4 does not match the entries.');
    expect(r.ceremony).toEqual({ id: 'unknown', title: 'folder-name', type: 'ceremony', rehearsal: false });
    expect(r.checks.find((c) => c.id === 'checkpoints')).toEqual({ id: 'checkpoints', title: 'Checkpoints match the entries', status: 'fail', detail: 'Checkpoint 4 does not match the entries.' });
    expect(r.checks.find((c) => c.id === 'chain')?.status).toBe('pass');
    expect(r.checkpoints.map((c) => [c.status, c.detail])).toEqual([['pass', undefined], ['fail', 'Checkpoint 4 does not match the entries.']]);
    expect(r.checkpoints[0]!.signatures).toEqual([{ name: 'mystery', role: 'signer', status: 'pass' }]);
    const problem = { code: 'CHECKPOINT_ROOT', message: failure.message, action: 'The entries do not match what the checkpoint signed: the transcript was changed after signing.', details: { seq: 1, checkpoint: 'checkpoints/000004.note', expected: 'aa', actual: 'bb' } };
    expect(r.entries[1]).toEqual({ seq: 1, time: '', kind: 'step.start', step: 'gen', actor: { role: 'witness', name: 'Wendy' }, summary: 'Step gen started', status: 'failed', problem });
    expect(r.entries[2]).toMatchObject({ kind: 'unreadable', step: '-', actor: { role: 'unknown', name: 'unknown' }, summary: 'Unreadable line', status: 'unchecked' });
    expect(r.entries[0]!.problem).toBeUndefined();
    expect(r.firstFailure).toEqual({ seq: 1, error: problem });
    const plain = toAuditReport(report({ valid: false, failure: { code: 'STEPS_INCOMPLETE', message: 'Step b did not run.' } }), []);
    expect(plain.checks.find((c) => c.id === 'steps')).toMatchObject({ status: 'fail', detail: 'Step b did not run.' });
    expect(plain.checks.find((c) => c.id === 'checkpoints')).toMatchObject({ status: 'pass' });
    expect(toAuditReport(report({ valid: false, failure: { code: 'WEIRD', message: 'x', seq: 0 } as never }), [entry(0, 'ceremony.start')]).entries[0]!.problem).toEqual({
      code: 'WEIRD', message: 'x', details: { seq: 0 }, action: 'Treat this transcript as untrusted until the failure is explained. Compare it with its archived copy.',
    });
  });
});
