import { describe, expect, it } from 'vitest';
import { API_METHODS, EVENT_CHANNELS } from '../../../electron/contract';
import { buildKeyriteApi, ipcTransport, type IpcRendererLike } from '../../../electron/preload/api';

function fakeIpc(): IpcRendererLike & { invoked: unknown[][]; listeners: Map<string, Set<(e: unknown, ...a: unknown[]) => void>> } {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const invoked: unknown[][] = [];
  return {
    invoked,
    listeners,
    invoke: async (channel, ...args) => {
      invoked.push([channel, ...args]);
      return { ok: true, value: channel };
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(l);
    },
    removeListener: (channel, l) => {
      listeners.get(channel)?.delete(l);
    },
  };
}

function api(ipc = fakeIpc()): { api: Record<string, unknown>; ipc: ReturnType<typeof fakeIpc> } {
  const t = ipcTransport(ipc);
  return { api: buildKeyriteApi(t.send, t.subscribe) as unknown as Record<string, unknown>, ipc };
}

describe('window.keyrite', () => {
  it('has exactly one named method per contract channel, plus on', () => {
    const { api: k } = api();
    expect(Object.keys(k).sort()).toEqual([...Object.keys(API_METHODS), 'on'].sort());
    for (const key of ['invoke', 'send', 'ipcRenderer', 'sendSync', 'postMessage']) expect(k[key]).toBeUndefined();
    expect(Object.isFrozen(k)).toBe(true);
  });

  it('sends each method to its own channel with at most one argument', async () => {
    const { api: k, ipc } = api();
    for (const [method, channel] of Object.entries(API_METHODS)) {
      const fn = k[method] as (...a: unknown[]) => Promise<unknown>;
      await expect(fn()).resolves.toEqual({ ok: true, value: channel });
    }
    const first = Object.keys(API_METHODS)[0] as string;
    await (k[first] as (...a: unknown[]) => Promise<unknown>)({ dir: '/x' }, 'smuggled');
    expect(ipc.invoked.at(-1)).toEqual([API_METHODS[first as keyof typeof API_METHODS], { dir: '/x' }]);
  });

  it('subscribes only to the contract event channels and hands the page the payload alone', () => {
    const { api: k, ipc } = api();
    const on = k.on as (c: string, l: (p: unknown) => void) => () => void;
    expect(() => on('ceremony/reveal-secret', () => undefined)).toThrow(/Unknown event channel/);
    expect(() => on(API_METHODS.appInfo, () => undefined)).toThrow(/Unknown event channel/);
    const channel = EVENT_CHANNELS[0] as string;
    const got: unknown[][] = [];
    const off = on(channel, (...args) => got.push(args));
    for (const l of ipc.listeners.get(channel) ?? []) l({ sender: 'ipc-event-with-sender' }, { slots: [] });
    expect(got).toEqual([[{ slots: [] }]]);
    off();
    expect(ipc.listeners.get(channel)?.size).toBe(0);
  });
});
