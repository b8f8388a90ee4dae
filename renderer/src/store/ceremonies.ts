import type { StateCreator } from 'zustand';
import type { CeremonySummary, ErrorData } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export interface CeremoniesSlice {
  recent: CeremonySummary[] | null;
  recentError: ErrorData | null;
  loadRecent(): Promise<void>;
}

export const createCeremoniesSlice: StateCreator<Store, [], [], CeremoniesSlice> = (set) => ({
  recent: null,
  recentError: null,
  loadRecent: async () => {
    const r = await settle(() => keyrite().recentCeremonies());
    set(r.ok ? { recent: r.value, recentError: null } : { recentError: r.error });
  },
});
