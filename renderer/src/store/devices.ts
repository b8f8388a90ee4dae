import type { DevicesView, ErrorData } from '../api';
import type { SliceCreator } from './slice';

/** Tokens, card readers and USB devices main sees, and whether a network is up. */
export interface DevicesSlice {
  devices: DevicesView | null;
  devicesError: ErrorData | null;
  devicesLoading: boolean;
  refreshDevices(): Promise<void>;
  /** Applies a `devices/changed` event from main. */
  applyDevices(view: DevicesView): void;
}

export const createDevicesSlice: SliceCreator<DevicesSlice> = (set, _get, request) => ({
  devices: null,
  devicesError: null,
  devicesLoading: false,
  refreshDevices: async () => {
    await request((api) => api.listDevices(), { busy: 'devicesLoading', error: 'devicesError', onOk: (devices) => ({ devices }) });
  },
  applyDevices: (view) => set({ devices: view, devicesError: null }),
});
