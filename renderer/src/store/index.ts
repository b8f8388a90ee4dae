/**
 * One zustand store made of slices (zustand's slices pattern). Each slice owns its fields and the
 * actions that change them; an action never reaches into another slice. The ceremony UI keeps its
 * own store in ./ceremony*.ts, because main owns ceremony state and that store only mirrors it.
 */
import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app';
import { createAuditSlice, type AuditSlice } from './audit';
import { createCeremoniesSlice, type CeremoniesSlice } from './ceremonies';
import { createDevicesSlice, type DevicesSlice } from './devices';
import { createInventorySlice, type InventorySlice } from './inventory';

export type Store = AppSlice & DevicesSlice & CeremoniesSlice & AuditSlice & InventorySlice;

export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createDevicesSlice(...a),
  ...createCeremoniesSlice(...a),
  ...createAuditSlice(...a),
  ...createInventorySlice(...a),
}));

const initialState = useStore.getState();

/** Puts the store back as it started (tests, and leaving a screen that must forget). */
export function resetStore(): void {
  useStore.setState(initialState, true);
}

export type { Route } from './app';
export { ROUTES } from './app';
