import type { StateCreator } from 'zustand';
import type { ErrorData, InventoryView } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export interface InventorySlice {
  inventory: InventoryView | null;
  inventoryError: ErrorData | null;
  loadInventory(): Promise<void>;
}

export const createInventorySlice: StateCreator<Store, [], [], InventorySlice> = (set) => ({
  inventory: null,
  inventoryError: null,
  loadInventory: async () => {
    const r = await settle(() => keyrite().listInventory());
    set(r.ok ? { inventory: r.value, inventoryError: null } : { inventoryError: r.error });
  },
});
