import type { CeremonySummary, ErrorData, InventoryView } from '../api';
import type { SliceCreator } from './slice';

/**
 * What this machine's ceremony folders hold, each list read from main when a screen asks: the runs
 * (newest first: the home screen and the run pickers) and the key inventory built from their
 * transcripts (every key the ceremonies made, its state and what falls due).
 */
export interface RecordsSlice {
  recentCeremonies: CeremonySummary[] | null;
  recentCeremoniesError: ErrorData | null;
  inventory: InventoryView | null;
  inventoryError: ErrorData | null;
  loadRecentCeremonies(): Promise<void>;
  loadInventory(): Promise<void>;
}

export const createRecordsSlice: SliceCreator<RecordsSlice> = (set, _get, request) => ({
  recentCeremonies: null,
  recentCeremoniesError: null,
  inventory: null,
  inventoryError: null,
  loadRecentCeremonies: async () => {
    await request((api) => api.recentCeremonies(), { error: 'recentCeremoniesError', onOk: (recentCeremonies) => ({ recentCeremonies }) });
  },
  loadInventory: async () => {
    await request((api) => api.listInventory(), { error: 'inventoryError', onOk: (inventory) => ({ inventory }) });
  },
});
