import { beforeEach, describe, expect, it } from 'vitest';
import type { CeremonyView, RevealedShare } from '../../../electron/contract/index';
import type { KeyriteApi, Result } from '../../../electron/contract/index';
import { resetStore, useStore } from '../../../renderer/src/store/index';
import { wrongWordNumber } from '../../../renderer/src/features/recovery/share-errors';
import { fakeBridge } from '../renderer/fake-bridge';

const SHARE: RevealedShare = { custodian: 'Carol', words: ['abandon', 'ability'], qrSvg: '<svg/>', fingerprint: '0000-1111-2222', delivery: 'paper' };

/** A reply the test releases when it chooses, to order events the way a slow token would. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

beforeEach(() => resetStore());

describe('share reveal slice (hold to show)', () => {
  it('keeps the words only between press and release', async () => {
    fakeBridge({ revealShare: async () => ({ ok: true, value: SHARE }) });
    await useStore.getState().revealShare('Carol');
    expect(useStore.getState().revealedShare?.words).toEqual(['abandon', 'ability']);
    useStore.getState().hideShare();
    expect(useStore.getState().revealedShare).toBeNull();
    expect(useStore.getState().shareHeld).toBe(false);
  });

  it('drops a reply that arrives after the button was released', async () => {
    const reply = deferred<Result<RevealedShare>>();
    fakeBridge({ revealShare: () => reply.promise });
    const pending = useStore.getState().revealShare('Carol');
    expect(useStore.getState().shareHeld).toBe(true);
    useStore.getState().hideShare();
    reply.resolve({ ok: true, value: SHARE });
    await pending;
    expect(useStore.getState().revealedShare).toBeNull();
  });

  it('shows why a share cannot be shown', async () => {
    fakeBridge({ revealShare: async () => ({ ok: false, error: { code: 'SHARE_NOT_OFFERED', message: "It is not Dan's turn." } }) });
    await useStore.getState().revealShare('Dan');
    expect(useStore.getState().revealedShare).toBeNull();
    expect(useStore.getState().revealError?.code).toBe('SHARE_NOT_OFFERED');
  });
});

function view(over: Partial<CeremonyView> = {}): CeremonyView {
  return {
    runId: 'r1', ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', rehearsal: true, outDir: '/tmp/x',
    participants: [{ name: 'Alice', role: 'administrator' }], steps: [], current: 0,
    need: { kind: 'confirm', who: 'Alice' }, error: null, deviations: [], handedOff: [], ...over,
  };
}

function ceremonyBridge(overrides: Partial<KeyriteApi> = {}) {
  const submitted: unknown[] = [];
  const { push } = fakeBridge({
    validateCeremonyScript: async () => ({ ok: true, value: { ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', participants: [], stepCount: 1, needsPriorRun: false } }),
    loadCeremony: async () => ({ ok: true, value: view() }),
    ceremonyView: async () => ({ ok: true, value: null }),
    submitCeremonyInput: async (input) => { submitted.push(input); return { ok: true, value: view({ need: { kind: 'done' } }) }; },
    recordDeviation: async () => ({ ok: true, value: view() }),
    closeCeremony: async () => ({ ok: true, value: null }),
    ...overrides,
  });
  return { push, submitted };
}

describe('ceremony run slice (mirror of main)', () => {
  it('checks a picked script with its policy and starts only a checked script', async () => {
    const seen: unknown[] = [];
    ceremonyBridge({ validateCeremonyScript: async (req) => { seen.push(req); return { ok: true, value: { ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', participants: [], stepCount: 9, needsPriorRun: false } }; } });
    expect(await useStore.getState().startRun()).toBe(false);
    await useStore.getState().pickScript({ fileName: 'root.yaml', text: 'x' });
    await useStore.getState().pickPolicy({ fileName: 'policy.yaml', text: 'p' });
    expect(seen.at(-1)).toEqual({ fileName: 'root.yaml', text: 'x', policyText: 'p' });
    expect(useStore.getState().scriptSummary?.stepCount).toBe(9);
    expect(await useStore.getState().startRun()).toBe(true);
    expect(useStore.getState().runView?.runId).toBe('r1');
    expect(useStore.getState().pickedScript).toBeNull();
  });

  it('keeps a located script refusal as data for the issue table', async () => {
    const issues = [{ path: 'backup.k', line: 31, column: 6, message: 'k cannot exceed n', code: 'INVALID_VALUE' }];
    ceremonyBridge({ validateCeremonyScript: async () => ({ ok: false, error: { code: 'SCRIPT_INVALID', message: 'bad', details: { issues } } }) });
    await useStore.getState().pickScript({ fileName: 'root.yaml', text: 'x' });
    expect(useStore.getState().scriptSummary).toBeNull();
    expect(useStore.getState().runError?.details?.issues).toEqual(issues);
  });

  it('takes the view main answers with, and follows its pushes', async () => {
    const { push, submitted } = ceremonyBridge();
    const off = useStore.getState().connectRun();
    push('ceremony/changed', { view: view({ need: { kind: 'running', message: 'Generating' } }) });
    expect(useStore.getState().runView?.need.kind).toBe('running');
    push('ceremony/progress', { runId: 'r1', step: 'generate', message: 'half', fraction: 0.5 });
    expect(useStore.getState().runProgress?.fraction).toBe(0.5);
    push('ceremony/progress', { runId: 'other', step: 'x', message: 'not ours', fraction: 0.9 });
    expect(useStore.getState().runProgress?.message).toBe('half');
    expect(await useStore.getState().submitInput({ kind: 'confirm', who: 'Alice' })).toBe(true);
    expect(submitted).toEqual([{ kind: 'confirm', who: 'Alice' }]);
    expect(useStore.getState().runView?.need.kind).toBe('done');
    off();
  });

  it('turns a broken bridge into an error the screen can show', async () => {
    ceremonyBridge({ submitCeremonyInput: async () => { throw new Error('bridge gone'); } });
    expect(await useStore.getState().submitInput({ kind: 'pin', pin: '1234' })).toBe(false);
    expect(useStore.getState().runError?.code).toBe('BRIDGE_FAILED');
    expect(JSON.stringify(useStore.getState())).not.toContain('1234');
    expect(useStore.getState().runBusy).toBe(false);
  });
});

describe('wrongWordNumber', () => {
  it('reads the 1-based word the shares core names', () => {
    expect(wrongWordNumber({ code: 'SHARE_CHECKSUM', message: '', details: { wordIndex: 7 } })).toBe(7);
    expect(wrongWordNumber({ code: 'SHARE_DUPLICATE', message: '', details: { index: 1 } })).toBeNull();
    expect(wrongWordNumber(null)).toBeNull();
  });
});
