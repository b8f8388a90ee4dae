/**
 * USB devices through the `usb` package (WebUSB API). Loaded lazily: a machine without USB, or a
 * sandbox without /sys/bus/usb, gives an empty list and a reason, never a crash.
 */
import { classifyUsbDevice, type KnownDevice, type UsbIdentity } from './vendors';

export interface UsbDeviceView extends KnownDevice {
  vendorId: number;
  productId: number;
  serial?: string;
  /** Bus path, e.g. "1-3.2", to tell two identical devices apart. */
  location?: string;
}

export interface UsbListing {
  devices: UsbDeviceView[];
  /** Set when USB could not be read at all; devices is then empty. */
  unavailable?: string;
}

/** The fields Keyrite reads from the package's UsbDevice. */
interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  manufacturerName?: string | null;
  productName?: string | null;
  serialNumber?: string | null;
  bus?: string;
  configuration?: { interfaces: { alternate?: { interfaceClass: number } | null }[] } | null;
}

interface UsbLike {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', l: (e: { device: UsbDeviceLike }) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', l: (e: { device: UsbDeviceLike }) => void): void;
}

export type UsbLoader = () => Promise<UsbLike>;

const defaultLoader: UsbLoader = async () => (await import('usb')).usb as unknown as UsbLike;

function identity(d: UsbDeviceLike): UsbIdentity {
  let interfaceClasses: number[] = [];
  try {
    interfaceClasses = (d.configuration?.interfaces ?? []).flatMap((i) => (i.alternate ? [i.alternate.interfaceClass] : []));
  } catch {
    // Reading descriptors can need permissions the vendor/product ids do not; classify without them.
  }
  return { vendorId: d.vendorId, productId: d.productId, interfaceClasses, manufacturerName: safe(() => d.manufacturerName), productName: safe(() => d.productName) };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export function toView(d: UsbDeviceLike): UsbDeviceView | undefined {
  const known = classifyUsbDevice(identity(d));
  if (!known) return undefined;
  const serial = safe(() => d.serialNumber) ?? undefined;
  return { ...known, vendorId: d.vendorId, productId: d.productId, ...(serial ? { serial } : {}), ...(d.bus ? { location: d.bus } : {}) };
}

function reason(e: unknown): string {
  return `USB devices cannot be read here (${e instanceof Error ? e.message : String(e)}). Tokens are still found through their PKCS#11 modules.`;
}

/** Key-related USB devices attached now (HSMs, security keys, readers); other devices are left out. */
export async function listUsbDevices(load: UsbLoader = defaultLoader): Promise<UsbListing> {
  try {
    const usb = await load();
    const devices = await usb.getDevices();
    return { devices: devices.flatMap((d) => toView(d) ?? []) };
  } catch (e) {
    return { devices: [], unavailable: reason(e) };
  }
}

export type UsbEvent = { type: 'attached' | 'detached'; device: UsbDeviceView };

/** Calls onEvent for each key-related device attached or detached; stop() removes the listeners. */
export async function watchUsb(onEvent: (e: UsbEvent) => void, load: UsbLoader = defaultLoader): Promise<{ stop(): void; unavailable?: string }> {
  let usb: UsbLike;
  try {
    usb = await load();
    await usb.getDevices();
  } catch (e) {
    return { stop: () => undefined, unavailable: reason(e) };
  }
  const on = (type: UsbEvent['type']) => (e: { device: UsbDeviceLike }) => {
    const device = toView(e.device);
    if (device) onEvent({ type, device });
  };
  const connect = on('attached');
  const disconnect = on('detached');
  usb.addEventListener('connect', connect);
  usb.addEventListener('disconnect', disconnect);
  return {
    stop() {
      usb.removeEventListener('connect', connect);
      usb.removeEventListener('disconnect', disconnect);
    },
  };
}
