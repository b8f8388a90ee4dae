/**
 * The renderer's typed client of the preload API (window.keyrite). Screens and store slices call
 * `keyrite().method(...)` and get a Result back; nothing here throws for a failed call.
 * When the bridge is missing (page opened outside Keyrite), every call answers BRIDGE_MISSING.
 */
import type { ApiMethod, ErrorData, EventChannel, EventMap, KeyriteApi, Result } from '../../../electron/contract/index';
import { API_METHODS } from '../../../electron/contract/index';

export type * from '../../../electron/contract/index';

declare global {
  interface Window {
    keyrite?: KeyriteApi;
  }
}

export const BRIDGE_MISSING: ErrorData = {
  code: 'BRIDGE_MISSING',
  message: 'This window is not connected to Keyrite, so it cannot reach tokens or transcripts.',
  action: 'Close this window and start Keyrite again (npm start).',
};

function missingBridge(): KeyriteApi {
  const fail = async (): Promise<Result<never>> => ({ ok: false, error: BRIDGE_MISSING });
  const methods = Object.fromEntries((Object.keys(API_METHODS) as ApiMethod[]).map((m) => [m, fail]));
  return { ...methods, on: () => () => undefined } as unknown as KeyriteApi;
}

export function hasBridge(): boolean {
  return typeof window !== 'undefined' && window.keyrite !== undefined;
}

export function keyrite(): KeyriteApi {
  return window.keyrite ?? missingBridge();
}

export function onEvent<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
  return keyrite().on(channel, listener);
}

/** Turns an unexpected throw (a broken bridge) into the same error data as a failed Result. */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (e) {
    return { ok: false, error: { code: 'BRIDGE_FAILED', message: e instanceof Error ? e.message : String(e), action: 'Restart Keyrite. If it happens again, report it.' } };
  }
}
