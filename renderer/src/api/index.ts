/**
 * The renderer's typed client of the preload API (window.keyrite). Calls go through
 * store/request.ts (`callKeyrite`, and each slice's `requester`), which also catches a broken bridge.
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
