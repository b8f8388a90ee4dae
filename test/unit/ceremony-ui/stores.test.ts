import { describe, expect, it } from 'vitest';
import type { CeremonyView, RevealedShare } from '../../../electron/contract/ceremony';
import type { EventMap, Result } from '../../../electron/contract/index';
import { createCeremonyStore, type CeremonyApi } from '../../../renderer/src/store/ceremony';
import { createShareStore } from '../../../renderer/src/store/ceremony-share';
import { wrongWordNumber } from '../../../renderer/src/features/recovery/share-errors';

const SHARE: RevealedShare = { custodian: 'Carol', words: ['abandon', 'ability'], qrSvg: '<svg/>', fingerprint: '0000-1111-2222', delivery: 'paper' };

/** A reply the test releases when it chooses, to order events the way a slow token would. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('share store (hold to show)', () => {
  it('keeps the words only between press and release', async () => {
    const store = createShareStore({ revealShare: async () => ({ ok: true, value: SHARE }) });
    await store.getState().reveal('Carol');
    expect(store.getState().share?.words).toEqual(['abandon', 'ability']);
    store.getState().hide();
    expect(store.getState().share).toBeNull();
    expect(store.getState().holding).toBe(false);
  });

  it('drops a reply that arrives after the button was released', async () => {
    const reply = deferred<Result<RevealedShare>>();
    const store = createShareStore({ revealShare: () => reply.promise });
    const pending = store.getState().reveal('Carol');
    expect(store.getState().holding).toBe(true);
    store.getState().hide();
    reply.resolve({ ok: true, value: SHARE });
    await pending;
    expect(store.getState().share).toBeNull();
  });

  it('shows why a share cannot be shown', async () => {
    const store = createShareStore({ revealShare: async () => ({ ok: false, error: { code: 'SHARE_NOT_OFFERED', message: "It is not Dan's turn." } }) });
    await store.getState().reveal('Dan');
    expect(store.getState().share).toBeNull();
    expect(store.getState().error?.code).toBe('SHARE_NOT_OFFERED');
  });
});

function view(over: Partial<CeremonyView> = {}): CeremonyView {
  return {
    runId: 'r1', ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', rehearsal: true, outDir: '/tmp/x',
    participants: [{ name: 'Alice', role: 'administrator' }], steps: [], current: 0,
    need: { kind: 'confirm', who: 'Alice' }, error: null, deviations: [], handedOff: [], ...over,
  };
}

function fakeApi(overrides: Partial<CeremonyApi> = {}) {
  const listeners = new Map<string, (p: unknown) => void>();
  const submitted: unknown[] = [];
  const api: CeremonyApi = {
    validateCeremonyScript: async () => ({ ok: true, value: { ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', participants: [], stepCount: 1 } }),
    loadCeremony: async () => ({ ok: true, value: view() }),
    ceremonyView: async () => ({ ok: true, value: null }),
    submitCeremonyInput: async (input) => { submitted.push(input); return { ok: true, value: view({ need: { kind: 'done' } }) }; },
    recordDeviation: async () => ({ ok: true, value: view() }),
    closeCeremony: async () => ({ ok: true, value: null }),
    on: ((channel: string, l: (p: unknown) => void) => { listeners.set(channel, l); return () => listeners.delete(channel); }) as CeremonyApi['on'],
    ...overrides,
  };
  const push = <E extends keyof EventMap>(c: E, p: EventMap[E]) => listeners.get(c)?.(p);
  return { api, push, submitted };
}

describe('ceremony store (mirror of main)', () => {
  it('checks a picked script with its policy and starts only a checked script', async () => {
    const seen: unknown[] = [];
    const { api } = fakeApi({ validateCeremonyScript: async (req) => { seen.push(req); return { ok: true, value: { ceremonyId: 'c1', title: 'T', purpose: 'P', type: 'root-keygen', participants: [], stepCount: 9 } }; } });
    const store = createCeremonyStore(api);
    expect(await store.getState().start()).toBe(false);
    await store.getState().pickScript({ fileName: 'root.yaml', text: 'x' });
    await store.getState().pickPolicy({ fileName: 'policy.yaml', text: 'p' });
    expect(seen.at(-1)).toEqual({ fileName: 'root.yaml', text: 'x', policyText: 'p' });
    expect(store.getState().summary?.stepCount).toBe(9);
    expect(await store.getState().start()).toBe(true);
    expect(store.getState().view?.runId).toBe('r1');
    expect(store.getState().script).toBeNull();
  });

  it('keeps a located script refusal as data for the issue table', async () => {
    const issues = [{ path: 'backup.k', line: 31, column: 6, message: 'k cannot exceed n', code: 'INVALID_VALUE' }];
    const { api } = fakeApi({ validateCeremonyScript: async () => ({ ok: false, error: { code: 'SCRIPT_INVALID', message: 'bad', details: { issues } } }) });
    const store = createCeremonyStore(api);
    await store.getState().pickScript({ fileName: 'root.yaml', text: 'x' });
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error?.details?.issues).toEqual(issues);
  });

  it('takes the view main answers with, and follows its pushes', async () => {
    const { api, push, submitted } = fakeApi();
    const store = createCeremonyStore(api);
    const off = store.getState().connect();
    push('ceremony/changed', { view: view({ need: { kind: 'running', message: 'Generating' } }) });
    expect(store.getState().view?.need.kind).toBe('running');
    push('ceremony/progress', { runId: 'r1', step: 'generate', message: 'half', fraction: 0.5 });
    expect(store.getState().progress?.fraction).toBe(0.5);
    push('ceremony/progress', { runId: 'other', step: 'x', message: 'not ours', fraction: 0.9 });
    expect(store.getState().progress?.message).toBe('half');
    expect(await store.getState().submit({ kind: 'confirm', who: 'Alice' })).toBe(true);
    expect(submitted).toEqual([{ kind: 'confirm', who: 'Alice' }]);
    expect(store.getState().view?.need.kind).toBe('done');
    off();
  });

  it('turns a broken bridge into an error the screen can show', async () => {
    const { api } = fakeApi({ submitCeremonyInput: async () => { throw new Error('bridge gone'); } });
    const store = createCeremonyStore(api);
    expect(await store.getState().submit({ kind: 'pin', pin: '1234' })).toBe(false);
    expect(store.getState().error?.code).toBe('IPC_FAILED');
    expect(JSON.stringify(store.getState())).not.toContain('1234');
    expect(store.getState().busy).toBe(false);
  });
});

describe('wrongWordNumber', () => {
  it('reads the 1-based word the shares core names', () => {
    expect(wrongWordNumber({ code: 'SHARE_CHECKSUM', message: '', details: { wordIndex: 7 } })).toBe(7);
    expect(wrongWordNumber({ code: 'SHARE_DUPLICATE', message: '', details: { index: 1 } })).toBeNull();
    expect(wrongWordNumber(null)).toBeNull();
  });
});
