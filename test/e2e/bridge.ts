/**
 * Binds a handler table into a Playwright page as window.keyrite, the same shape the preload
 * exposes in Electron (electron/preload/api.ts): one named method per API_METHODS entry, and `on`
 * for EVENT_CHANNELS. Requests go through page.exposeBinding to the real handler table in Node.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { API_METHODS, EVENT_CHANNELS, type EventChannel, type EventMap, type HandlerTable } from '../../electron/contract/index';
import { invokeChannel } from '../../electron/core/ipc/handlers';

const INVOKE_BINDING = '__keyriteInvoke';
const EMIT_FUNCTION = '__keyriteEmit';

interface BridgeShape {
  methods: Record<string, string>;
  channels: readonly string[];
  invokeName: string;
  emitName: string;
}

// Runs in the page before any of its scripts: must be self-contained (it is serialised).
function installBridge(shape: BridgeShape): void {
  const w = window as unknown as Record<string, unknown>;
  const invoke = (channel: string, req?: unknown) => (w[shape.invokeName] as (c: string, r: unknown) => Promise<unknown>)(channel, req);
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(shape.methods)) {
    api[method] = (req?: unknown) => invoke(channel, req);
  }
  api.on = (channel: string, listener: (p: unknown) => void) => {
    if (!shape.channels.includes(channel)) throw new Error(`Unknown event channel: ${channel}`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function.');
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    return () => {
      set.delete(listener);
    };
  };
  Object.defineProperty(window, shape.emitName, {
    value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload)),
  });
  Object.defineProperty(window, 'keyrite', { value: Object.freeze(api), enumerable: true });
}

export type Emit = <E extends EventChannel>(channel: E, payload: EventMap[E]) => Promise<void>;

export interface BoundBridge {
  /** Pushes an event to the page, as main's webContents.send does. */
  emit: Emit;
  /** Every channel the page called, in order (never the requests: they may hold PINs). */
  calls: string[];
}

export async function bindKeyrite(target: Page | BrowserContext, page: Page, table: HandlerTable): Promise<BoundBridge> {
  const calls: string[] = [];
  await target.exposeBinding(INVOKE_BINDING, async (_source, channel: unknown, req: unknown) => {
    calls.push(String(channel));
    return invokeChannel(table, channel, req);
  });
  await target.addInitScript(installBridge, {
    methods: { ...API_METHODS },
    channels: [...EVENT_CHANNELS],
    invokeName: INVOKE_BINDING,
    emitName: EMIT_FUNCTION,
  } satisfies BridgeShape);
  const emit: Emit = async (channel, payload) => {
    await page.evaluate(
      ([name, c, p]) => (window as unknown as Record<string, (c: string, p: unknown) => void>)[name]?.(c, p),
      [EMIT_FUNCTION, channel, payload] as const,
    );
  };
  return { emit, calls };
}
