import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ErrorData, Result } from '../../../electron/contract/index';
import { bridgeFailure, callKeyrite, requester } from '../../../renderer/src/store/request';
import { fakeBridge } from './fake-bridge';

interface Probe {
  busy: boolean;
  error: ErrorData | null;
  value: string | null;
  stale: boolean;
}

function probe(over: Partial<Probe> = {}) {
  const store = createStore<Probe>()(() => ({ busy: false, error: null, value: null, stale: false, ...over }));
  const seen: Probe[] = [];
  store.subscribe((s) => seen.push(s));
  return { store, seen, request: requester<Probe>(store.setState) };
}

const REFUSED: ErrorData = { code: 'TOKEN_PIN_INCORRECT', message: 'The PIN is wrong.', action: 'Type it again.' };

describe('request: the one call wrapper', () => {
  it('writes a success into the slice in one update, busy flag down, error cleared', async () => {
    fakeBridge({ pickAuditFolder: async () => ({ ok: true, value: { dir: '/media/usb/c1' } }) });
    const { store, seen, request } = probe({ error: REFUSED });
    const ok = await request((api) => api.pickAuditFolder(), { busy: 'busy', error: 'error', onOk: ({ dir }) => ({ value: dir }) });
    expect(ok).toBe(true);
    expect(seen.map((s) => s.busy)).toEqual([true, false]);
    expect(store.getState()).toMatchObject({ busy: false, error: null, value: '/media/usb/c1' });
  });

  it('turns a Result error into the slice\'s error field, with the fields a refusal writes', async () => {
    fakeBridge({ listInventory: async () => ({ ok: false, error: REFUSED }) });
    const { store, request } = probe({ value: 'old' });
    const ok = await request((api) => api.listInventory(), { busy: 'busy', error: 'error', onOk: () => ({ value: 'new' }), onError: () => ({ value: null, stale: true }) });
    expect(ok).toBe(false);
    expect(store.getState()).toEqual({ busy: false, error: REFUSED, value: null, stale: true });
  });

  it('turns a thrown bridge error into a typed BRIDGE_FAILED error, and puts the busy flag down', async () => {
    fakeBridge({ listDevices: async () => { throw new Error('channel closed'); } });
    const { store, request } = probe();
    const ok = await request((api) => api.listDevices(), { busy: 'busy', error: 'error' });
    expect(ok).toBe(false);
    expect(store.getState().busy).toBe(false);
    expect(store.getState().error).toEqual(bridgeFailure(new Error('channel closed')));
    expect(store.getState().error).toMatchObject({ code: 'BRIDGE_FAILED', message: expect.stringContaining('channel closed') as unknown, action: expect.any(String) as unknown });
  });

  it('keeps an earlier error while the request is in flight unless asked to clear it on send', async () => {
    let release!: (r: Result<never>) => void;
    fakeBridge({ listInventory: () => new Promise((r) => { release = r as (r: Result<never>) => void; }) });
    const kept = probe({ error: REFUSED });
    const pending = kept.request((api) => api.listInventory(), { busy: 'busy', error: 'error' });
    expect(kept.store.getState()).toMatchObject({ busy: true, error: REFUSED });
    release({ ok: false, error: REFUSED });
    await pending;

    const cleared = probe({ error: REFUSED });
    const again = cleared.request((api) => api.listInventory(), { busy: 'busy', error: 'error', clearErrorOnSend: true });
    expect(cleared.store.getState()).toMatchObject({ busy: true, error: null });
    release({ ok: false, error: REFUSED });
    await again;
    expect(cleared.store.getState()).toMatchObject({ busy: false, error: REFUSED });
  });

  it('callKeyrite answers BRIDGE_MISSING outside Keyrite and never throws', async () => {
    (globalThis as unknown as { window: object }).window = {};
    const r = await callKeyrite((api) => api.appInfo());
    expect(r).toMatchObject({ ok: false, error: { code: 'BRIDGE_MISSING' } });
    const thrown = await callKeyrite(() => Promise.reject('not an Error'));
    expect(thrown).toEqual({ ok: false, error: bridgeFailure('not an Error') });
  });
});
