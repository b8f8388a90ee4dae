/**
 * Binds a handler table into a Playwright page as window.keyrite, the same shape the preload
 * exposes in Electron (electron/preload/api.ts): one named method per API_METHODS entry, and `on`
 * for EVENT_CHANNELS. Requests go through page.exposeBinding to the real handler table in Node,
 * through the same dispatcher as Electron main's listeners (electron/core/ipc/dispatch.ts).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { API_METHODS, EVENT_CHANNELS, type EventChannel, type EventMap, type HandlerTable } from '../../electron/contract/index';
import { invokeChannel } from '../../electron/core/ipc/dispatch';

const INVOKE_BINDING = '__keyriteInvoke';
const EMIT_FUNCTION = '__keyriteEmit';

interface BridgeShape {
  methods: Record<string, string>;
  channels: readonly string[];
  invokeName: string;
  emitName: string;
}

// Runs in the page before any of its scripts. Kept as plain JavaScript source, not a serialised
// function: TypeScript loaders (tsx adds __name helpers) would leak references the page lacks.
const INSTALL_BRIDGE = `(shape) => {
  const invoke = (channel, req) => window[shape.invokeName](channel, req);
  const listeners = new Map();
  const api = {};
  for (const [method, channel] of Object.entries(shape.methods)) {
    api[method] = (req) => invoke(channel, req);
  }
  api.on = (channel, listener) => {
    if (!shape.channels.includes(channel)) throw new Error('Unknown event channel: ' + channel);
    if (typeof listener !== 'function') throw new Error('The listener must be a function.');
    const set = listeners.get(channel) || new Set();
    set.add(listener);
    listeners.set(channel, set);
    return () => { set.delete(listener); };
  };
  Object.defineProperty(window, shape.emitName, {
    value: (channel, payload) => { const set = listeners.get(channel); if (set) set.forEach((l) => l(payload)); },
  });
  Object.defineProperty(window, 'keyrite', { value: Object.freeze(api), enumerable: true });
}`;

export type Emit = <E extends EventChannel>(channel: E, payload: EventMap[E]) => Promise<void>;

export interface BoundBridge {
  /** Pushes an event to the page, as main's webContents.send does. */
  emit: Emit;
  /** Every channel the page called, in order (never the requests: they may hold PINs). */
  calls: string[];
}

/**
 * Binds to a page, or to a whole context (every page it opens). Bind before the page loads the app:
 * the bridge is installed by an init script, as the preload runs before the renderer.
 */
export async function bindKeyrite(target: Page | BrowserContext, table: HandlerTable): Promise<BoundBridge> {
  const calls: string[] = [];
  await target.exposeBinding(INVOKE_BINDING, async (_source, channel: unknown, req: unknown) => {
    calls.push(String(channel));
    return invokeChannel(table, channel, req);
  });
  const shape: BridgeShape = { methods: { ...API_METHODS }, channels: [...EVENT_CHANNELS], invokeName: INVOKE_BINDING, emitName: EMIT_FUNCTION };
  await target.addInitScript({ content: `(${INSTALL_BRIDGE})(${JSON.stringify(shape)});` });
  const pages = (): Page[] => ('pages' in target ? target.pages() : [target]);
  const emit: Emit = async (channel, payload) => {
    for (const page of pages()) {
      await page.evaluate(`window[${JSON.stringify(EMIT_FUNCTION)}](${JSON.stringify(channel)}, ${JSON.stringify(payload)})`);
    }
  };
  return { emit, calls };
}
