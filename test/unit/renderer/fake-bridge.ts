/**
 * A stand-in for the preload API where the renderer looks for it (window.keyrite): the methods a
 * test gives, plus `on` that keeps listeners so the test can push events as main would.
 */
import type { EventMap, KeyriteApi } from '../../../electron/contract/index';

export function fakeBridge(methods: Partial<KeyriteApi>) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const on = ((channel: string, listener: (payload: unknown) => void) => {
    listeners.set(channel, listener);
    return () => listeners.delete(channel);
  }) as KeyriteApi['on'];
  (globalThis as unknown as { window: { keyrite: Partial<KeyriteApi> } }).window = { keyrite: { ...methods, on } };
  const push = <E extends keyof EventMap>(channel: E, payload: EventMap[E]) => listeners.get(channel)?.(payload);
  return { push };
}
