import type { StateCreator } from 'zustand';
import type { DevicesView, ErrorData } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export interface DevicesSlice {
  devices: DevicesView | null;
  devicesError: ErrorData | null;
  devicesLoading: boolean;
  refreshDevices(): Promise<void>;
  /** Applies a `devices/changed` event from main. */
  applyDevices(view: DevicesView): void;
}

export const createDevicesSlice: StateCreator<Store, [], [], DevicesSlice> = (set) => ({
  devices: null,
  devicesError: null,
  devicesLoading: false,
  refreshDevices: async () => {
    set({ devicesLoading: true });
    const r = await settle(() => keyrite().listDevices());
    set(r.ok ? { devices: r.value, devicesError: null, devicesLoading: false } : { devicesError: r.error, devicesLoading: false });
  },
  applyDevices: (view) => set({ devices: view, devicesError: null }),
});
