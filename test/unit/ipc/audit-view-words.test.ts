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
