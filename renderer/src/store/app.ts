import type { StateCreator } from 'zustand';
import type { AppInfo, ErrorData } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export type Route = 'home' | 'ceremony' | 'recovery' | 'audit' | 'inventory';
export const ROUTES: readonly Route[] = ['home', 'ceremony', 'recovery', 'audit', 'inventory'];

export interface AppSlice {
  route: Route;
  largeText: boolean;
  info: AppInfo | null;
  infoError: ErrorData | null;
  navigate(route: Route): void;
  setLargeText(on: boolean): void;
  loadInfo(): Promise<void>;
}

const LARGE_TEXT_KEY = 'keyrite.largeText';

function storedLargeText(): boolean {
  try {
    return window.localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

export const createAppSlice: StateCreator<Store, [], [], AppSlice> = (set) => ({
  route: 'home',
  largeText: storedLargeText(),
  info: null,
  infoError: null,
  navigate: (route) => set({ route }),
  setLargeText: (on) => {
    try {
      window.localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
    } catch {
      // Storage can be unavailable (opaque origin); the mode still applies for this session.
    }
    set({ largeText: on });
  },
  loadInfo: async () => {
    const r = await settle(() => keyrite().appInfo());
    set(r.ok ? { info: r.value, infoError: null } : { infoError: r.error });
  },
});
