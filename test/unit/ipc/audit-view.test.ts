import { describe, expect, it } from 'vitest';
import { summariseEntry, timelineFrom, toAuditReport } from '../../../electron/core/ipc/audit-view';
import type { VerificationReport } from '../../../electron/core/transcript/verify-types';

const line = (seq: number, kind: string, data: object = {}) =>
  JSON.stringify({ v: 1, seq, time: '2026-01-01T00:00:00.000Z', ceremony: 'c1', kind, step: 'gen', actor: { role: 'witness', name: 'Wendy' }, data, prev: '0'.repeat(64) });

function report(over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    valid: true, dir: '/x/c1', ceremonyId: 'c1', entries: 4, warnings: [], steps: { expected: ['gen'], completed: ['gen'] },
    checkpoints: [{ file: 'checkpoints/000004.note', size: 4, root: 'ab', signedBy: ['keyrite-transcript'], unknownSigners: [] }],
    signers: [{ name: 'keyrite-transcript', keyHash: '01', key: 'k', role: 'transcript', source: 'entry 0', trustedByAuditor: false, checkpointsSigned: 1 }],
    participants: [], unknownSigners: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: true,
    ...over,
  };
}

const lines = [line(0, 'ceremony.start', { script: { title: 'Root <b>' }, rehearsal: true }), line(1, 'step.attest', { witness: 'Wendy', statement: 'I watched' }), line(2, 'key.generated', { label: 'root', algorithm: 'ec-p384' }), 'not json'];

describe('audit view', () => {
  it('marks entries intact before the first failure, failed at it, not checked after it', () => {
    const t = timelineFrom(lines, { code: 'ENTRY_CHAIN', message: 'Entry 1 was changed.', seq: 1 });
    expect(t.map((e) => e.status)).toEqual(['ok', 'failed', 'unchecked', 'unchecked']);
    expect(t[1]?.problem?.code).toBe('ENTRY_CHAIN');
    expect(t[1]?.problem?.action).toBeTruthy();
    expect(t[3]?.summary).toBe('Unreadable line');
  });

  it('says in words what each entry records', () => {
    expect(summariseEntry('step.attest', 'gen', { witness: 'Wendy', statement: 'I watched' })).toBe('Wendy attested: I watched');
    expect(summariseEntry('key.generated', 'gen', { label: 'root', algorithm: 'ec-p384' })).toBe('Key generated on the token: root (ec-p384)');
    expect(summariseEntry('session.opened', 'login', {})).toBe('Session opened');
  });

  it('reports a valid transcript as verified with its checkpoints and signer roles', () => {
    const r = toAuditReport(report(), lines.slice(0, 3));
    expect(r.verdict).toBe('verified');
    expect(r.firstFailure).toBeUndefined();
    expect(r.ceremony.rehearsal).toBe(true);
    expect(r.checkpoints[0]?.signatures).toEqual([{ name: 'keyrite-transcript', role: 'transcript', status: 'pass' }]);
    expect(r.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('reports an entry failure with later stages not reached and recorded policy facts not trusted', () => {
    const r = toAuditReport(report({ valid: false, failure: { code: 'ENTRY_CHAIN', message: 'Entry 1 was changed.', seq: 1 }, checkpoints: [] }), lines);
    expect(r.verdict).toBe('failed');
    expect(r.firstFailure?.seq).toBe(1);
    expect(r.checks.find((c) => c.id === 'chain')?.status).toBe('fail');
    expect(r.checks.find((c) => c.id === 'checkpoints')?.status).toBe('skipped');
    expect(r.checkpointsNote).toContain('Not checked');
    expect(r.policy.every((c) => c.status === 'skipped' || c.status === 'fail')).toBe(true);
  });
});

describe('audit view after a transcript key handover', () => {
  it('calls the key in force "Transcript key" and names the retired file key with its handover entry', () => {
    const r = toAuditReport(report({
      signers: [
        { name: 'keyrite.transcript/c1', keyHash: '01', key: 'file-key', role: 'transcript', source: 'entry 0', trustedByAuditor: false, checkpointsSigned: 3 },
        { name: 'keyrite.transcript/c1', keyHash: '02', key: 'token-key', role: 'transcript', source: 'entry 15', trustedByAuditor: false, checkpointsSigned: 8 },
      ],
      transcriptKeys: [
        { key: 'file-key', source: 'file', fromSeq: 0, untilSeq: 15, inForce: false },
        { key: 'token-key', source: 'token', fromSeq: 15, inForce: true },
      ],
    }), lines.slice(0, 3));
    const transcriptFacts = r.keyFacts.filter((f) => f.label.startsWith('Transcript key'));
    expect(transcriptFacts).toEqual([
      expect.objectContaining({ label: 'Transcript key (retired: handed over at entry 15)', value: 'file-key' }),
      expect.objectContaining({ label: 'Transcript key', value: 'token-key' }),
    ]);
  });
});
