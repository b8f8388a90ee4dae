/**
 * Builds window.keyrite from the contract: one named method per API_METHODS entry and `on` for
 * the EVENT_CHANNELS only. The renderer never gets ipcRenderer or a generic invoke, so a
 * compromised page can call nothing but the named operations main already validates.
 */
import { API_METHODS, EVENT_CHANNELS } from '../contract/api-methods';
import type { EventChannel, EventMap, KeyriteApi } from '../contract';

export type Invoke = (channel: string, request?: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

export function buildKeyriteApi(invoke: Invoke, subscribe: Subscribe): KeyriteApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(API_METHODS)) {
    // One argument at most: extra arguments from the page are not forwarded.
    api[method] = (request?: unknown) => (request === undefined ? invoke(channel) : invoke(channel, request));
  }
  api.on = <E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): (() => void) => {
    if (!(EVENT_CHANNELS as readonly string[]).includes(channel)) throw new Error(`Unknown event channel: ${String(channel)}`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function.');
    return subscribe(channel, (payload) => listener(payload as EventMap[E]));
  };
  return Object.freeze(api) as KeyriteApi;
}

/** The parts of ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The transport buildKeyriteApi wraps; it stays inside the preload and is never exposed to the page. */
export function ipcTransport(ipc: IpcRendererLike): { send: Invoke; subscribe: Subscribe } {
  return {
    send: (ch, request) => (request === undefined ? ipc.invoke(ch) : ipc.invoke(ch, request)),
    subscribe: (channel, listener) => {
      // The IPC event object (with its sender) never reaches the page: only the payload does.
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(channel, wrapped);
      return () => {
        ipc.removeListener(channel, wrapped);
      };
    },
  };
}
