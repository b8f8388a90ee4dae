import { describe, expect, it } from 'vitest';
import type { CeremonyStepView, CeremonyView } from '../../../electron/contract/index';
import { resultToAcknowledge } from '../../../renderer/src/store/step-results';

function step(index: number, action: string, status: CeremonyStepView['status'], attest: string[] = []): CeremonyStepView {
  return { id: `s${index}`, index, action, instruction: '', status, irreversible: false, attest, attested: [], facts: status === 'done' ? [{ label: 'Result', value: 'x' }] : [] };
}

function view(steps: CeremonyStepView[], current: number | null, runId = 'r1'): CeremonyView {
  return { runId, ceremonyId: 'c', title: 't', purpose: 'p', type: 'root-keygen', rehearsal: true, outDir: '/x', participants: [], steps, current, need: { kind: 'confirm', who: null }, error: null, deviations: [], handedOff: [] };
}

describe('resultToAcknowledge', () => {
  const before = view([step(0, 'read-proof', 'current'), step(1, 'export-public-key', 'pending')], 0);

  it('holds a step that just finished with nobody attesting it', () => {
    expect(resultToAcknowledge(before, view([step(0, 'read-proof', 'done'), step(1, 'export-public-key', 'current')], 1), null)).toBe(0);
  });

  it('does not hold a step the witnesses attested (they saw its result), nor a manual confirm', () => {
    const attested = view([step(0, 'generate-key', 'current', ['Wendy']), step(1, 'read-proof', 'pending')], 0);
    expect(resultToAcknowledge(attested, view([step(0, 'generate-key', 'done', ['Wendy']), step(1, 'read-proof', 'current')], 1), null)).toBeNull();
    const manual = view([step(0, 'confirm', 'current'), step(1, 'air-gap-check', 'pending')], 0);
    expect(resultToAcknowledge(manual, view([step(0, 'confirm', 'done'), step(1, 'air-gap-check', 'current')], 1), null)).toBeNull();
  });

  it('asks nothing for steps done before this window saw the run (reload, resume, another run)', () => {
    const after = view([step(0, 'read-proof', 'done'), step(1, 'export-public-key', 'current')], 1);
    expect(resultToAcknowledge(null, after, null)).toBeNull();
    expect(resultToAcknowledge(before, { ...after, runId: 'r2' }, null)).toBeNull();
  });

  it('keeps a pending acknowledgement when nothing new finished', () => {
    const after = view([step(0, 'read-proof', 'done'), step(1, 'export-public-key', 'current')], 1);
    expect(resultToAcknowledge(after, after, 0)).toBe(0);
  });
});
