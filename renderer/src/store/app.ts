import type { AppInfo, ErrorData } from '../api';
import type { SliceCreator } from './slice';

export type Route = 'home' | 'ceremony' | 'recovery' | 'audit' | 'inventory';
export const ROUTES: readonly Route[] = ['home', 'ceremony', 'recovery', 'audit', 'inventory'];

/** The shell: which screen is shown, the text size, and what main says about this build. */
export interface AppSlice {
  route: Route;
  largeText: boolean;
  appInfo: AppInfo | null;
  appInfoError: ErrorData | null;
  navigate(route: Route): void;
  setLargeText(on: boolean): void;
  loadAppInfo(): Promise<void>;
}

const LARGE_TEXT_KEY = 'keyrite.largeText';

function storedLargeText(): boolean {
  try {
    return window.localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

export const createAppSlice: SliceCreator<AppSlice> = (set, _get, request) => ({
  route: 'home',
  largeText: storedLargeText(),
  appInfo: null,
  appInfoError: null,
  navigate: (route) => set({ route }),
  setLargeText: (on) => {
    try {
      window.localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
    } catch {
      // Storage can be unavailable (opaque origin); the mode still applies for this session.
    }
    set({ largeText: on });
  },
  loadAppInfo: async () => {
    await request((api) => api.appInfo(), { error: 'appInfoError', onOk: (appInfo) => ({ appInfo }) });
  },
});
