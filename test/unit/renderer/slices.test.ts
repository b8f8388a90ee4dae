import { beforeEach, describe, expect, it } from 'vitest';
import type { CeremonyStepView, CeremonyView, RecoveryView } from '../../../electron/contract/index';
import type { ErrorData } from '../../../electron/contract/index';
import { resetStore, stepError, useStore } from '../../../renderer/src/store/index';
import { fakeBridge } from './fake-bridge';

// The logic that moved from the ceremony UI's own stores into slices of the one store.
beforeEach(() => resetStore());

const REFUSED: ErrorData = { code: 'SHARE_CHECKSUM', message: 'Word 7 is wrong.', details: { wordIndex: 7 } };

function session(accepted: number): RecoveryView {
  const shares = Array.from({ length: accepted }, (_, i) => ({ ordinal: i + 1, fingerprint: `f${i}`, custodian: null, x: i + 1 }));
  return { sessionId: 's', ceremonyId: 'c1', keyLabel: 'root', k: 2, n: 3, wordCount: 37, accepted: shares, complete: accepted >= 2, facts: [] };
}

describe('recovery slice', () => {
  it('counts accepted shares so the entry form clears, keeps the session on a refusal, and forgets it on close', async () => {
    let next: 'accept' | 'refuse' = 'accept';
    let accepted = 0;
    fakeBridge({
      startRecovery: async () => ({ ok: true, value: session(0) }),
      addRecoveryShare: async () => (next === 'accept' ? { ok: true, value: session(++accepted) } : { ok: false, error: REFUSED }),
      closeRecovery: async () => ({ ok: true, value: null }),
    });
    expect(await useStore.getState().startRecovery('backup.json', '{}')).toBe(true);
    expect(useStore.getState()).toMatchObject({ acceptedShareCount: 0, recoveryBusy: false, recoveryError: null });
    expect(await useStore.getState().addRecoveryShare({ kind: 'words', words: ['a'] })).toBe(true);
    expect(useStore.getState().acceptedShareCount).toBe(1);

    next = 'refuse';
    expect(await useStore.getState().addRecoveryShare({ kind: 'words', words: ['b'] })).toBe(false);
    expect(useStore.getState()).toMatchObject({ acceptedShareCount: 1, recoveryBusy: false, recoveryError: REFUSED });
    expect(useStore.getState().recoveryView?.accepted).toHaveLength(1);

    // Sent again, the earlier refusal is cleared at once, not when main answers.
    next = 'accept';
    const again = useStore.getState().addRecoveryShare({ kind: 'words', words: ['c'] });
    expect(useStore.getState()).toMatchObject({ recoveryBusy: true, recoveryError: null });
    await again;
    expect(useStore.getState().acceptedShareCount).toBe(2);

    await useStore.getState().closeRecovery();
    expect(useStore.getState()).toMatchObject({ recoveryView: null, acceptedShareCount: 0 });
  });
});

describe('audit slice', () => {
  it('a closed folder dialog changes nothing, not even an earlier error', async () => {
    const earlier: ErrorData = { code: 'INPUT_NOT_FOUND', message: 'missing' };
    let dir: string | null = null;
    fakeBridge({ pickAuditFolder: async () => ({ ok: true, value: { dir } }) });
    useStore.setState({ auditDir: '/c/0', auditError: earlier });
    await useStore.getState().pickAuditFolder();
    expect(useStore.getState()).toMatchObject({ auditDir: '/c/0', auditError: earlier });
    dir = '/c/1';
    await useStore.getState().pickAuditFolder();
    expect(useStore.getState()).toMatchObject({ auditDir: '/c/1', auditError: null });
  });
});

function step(index: number, status: CeremonyStepView['status']): CeremonyStepView {
  return { id: `s${index}`, index, action: 'read-proof', instruction: '', status, irreversible: false, attest: [], attested: [], facts: status === 'done' ? [{ label: 'Result', value: 'x' }] : [] };
}

function run(steps: CeremonyStepView[], current: number | null): CeremonyView {
  return { runId: 'r1', ceremonyId: 'c', title: 't', purpose: 'p', type: 'root-keygen', rehearsal: true, outDir: '/x', participants: [], steps, current, need: { kind: 'confirm', who: null }, error: null, deviations: [], handedOff: [] };
}

describe('ceremony run and step results', () => {
  it('holds a just-finished step with the view that finished it, and forgets both when the run is closed', async () => {
    const before = run([step(0, 'current'), step(1, 'pending')], 0);
    const after = run([step(0, 'done'), step(1, 'current')], 1);
    fakeBridge({ submitCeremonyInput: async () => ({ ok: true, value: after }), closeCeremony: async () => ({ ok: true, value: null }) });
    const seen: { view: CeremonyView | null; held: number | null }[] = [];
    useStore.setState({ runView: before });
    const unsubscribe = useStore.subscribe((s) => seen.push({ view: s.runView, held: s.heldResultStep }));
    await useStore.getState().submitInput({ kind: 'confirm', who: 'Alice' });
    unsubscribe();
    // Never a render of the next step without its predecessor's result held.
    expect(seen.filter((s) => s.view === after).every((s) => s.held === 0)).toBe(true);
    expect(useStore.getState()).toMatchObject({ runView: after, heldResultStep: 0, runBusy: false });

    useStore.getState().reviewStep(0);
    useStore.getState().acknowledgeResult();
    expect(useStore.getState()).toMatchObject({ heldResultStep: null, reviewedStep: 0 });
    await useStore.getState().closeRun();
    expect(useStore.getState()).toMatchObject({ runView: null, heldResultStep: null, reviewedStep: null });
  });

  it('the step error is the failed request, else the runner\'s own refusal', () => {
    const refusal: ErrorData = { code: 'INPUT_NOT_EXPECTED', message: 'not now' };
    useStore.setState({ runView: { ...run([], 0), error: refusal } });
    expect(stepError(useStore.getState())).toBe(refusal);
    useStore.setState({ runError: REFUSED });
    expect(stepError(useStore.getState())).toBe(REFUSED);
  });
});
