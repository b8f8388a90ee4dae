/**
 * Known USB vendor/product ids of HSMs, security keys and smart-card readers. An exact
 * (vendor, product) match names the device; a vendor-only match names the maker; a CCID interface
 * (USB class 0x0B) marks any other smart-card reader. Ids are from the vendors' udev rules and the
 * usb.ids database. Network and PCIe HSMs (Luna Network, nShield Connect, Utimaco CryptoServer LAN,
 * AWS CloudHSM) are not USB devices and appear only in the PKCS#11 slot view.
 */

export type DeviceKind = 'hsm' | 'security-key' | 'smart-card-token' | 'smart-card-reader' | 'other';

export interface KnownDevice {
  vendor: string;
  product: string;
  kind: DeviceKind;
  /** KNOWN_MODULES id (electron/core/token/modules.ts) that talks to it. */
  module?: string;
}

interface VendorEntry {
  vendor: string;
  /** What an unlisted product of this vendor most likely is. */
  defaultKind: DeviceKind;
  module?: string;
  products: Record<number, { product: string; kind?: DeviceKind; module?: string }>;
}

export const USB_VENDORS: Record<number, VendorEntry> = {
  0x1050: {
    vendor: 'Yubico', defaultKind: 'security-key', module: 'ykcs11',
    products: {
      0x0030: { product: 'YubiHSM 2', kind: 'hsm', module: 'yubihsm2' },
      0x0404: { product: 'YubiKey 4/5 (CCID)' },
      0x0405: { product: 'YubiKey 4/5 (OTP+CCID)' },
      0x0406: { product: 'YubiKey 4/5 (FIDO+CCID)' },
      0x0407: { product: 'YubiKey 4/5 (OTP+FIDO+CCID)' },
    },
  },
  0x20a0: {
    vendor: 'Nitrokey', defaultKind: 'security-key', module: 'opensc',
    products: {
      0x4230: { product: 'Nitrokey HSM 2', kind: 'hsm' },
      0x42b2: { product: 'Nitrokey 3' },
      0x4108: { product: 'Nitrokey Pro' },
      0x4211: { product: 'Nitrokey Start' },
    },
  },
  0x0529: {
    vendor: 'Thales (SafeNet)', defaultKind: 'smart-card-token',
    products: {
      0x0600: { product: 'SafeNet eToken Pro' },
      0x0620: { product: 'SafeNet eToken 5110' },
    },
  },
  0x08e6: {
    vendor: 'Thales (Gemalto)', defaultKind: 'smart-card-reader', module: 'opensc',
    products: {
      0x3437: { product: 'Gemalto GemPC Twin reader' },
      0x3438: { product: 'Gemalto GemPC Key reader' },
      0x34ec: { product: 'Gemalto IDBridge CT30 reader' },
    },
  },
  0x096e: {
    vendor: 'Feitian', defaultKind: 'smart-card-token', module: 'opensc',
    products: { 0x0807: { product: 'Feitian ePass2003' } },
  },
  0x072f: {
    vendor: 'ACS', defaultKind: 'smart-card-reader', module: 'opensc',
    products: { 0x9000: { product: 'ACS ACR38 reader' }, 0x2200: { product: 'ACS ACR122U reader' }, 0xb100: { product: 'ACS ACR39U reader' } },
  },
  0x04e6: {
    vendor: 'Identiv (SCM)', defaultKind: 'smart-card-reader', module: 'opensc',
    products: { 0x5116: { product: 'Identiv SCR3310 reader' }, 0x5410: { product: 'Identiv SCR35xx reader' } },
  },
  0x076b: {
    vendor: 'HID Omnikey', defaultKind: 'smart-card-reader', module: 'opensc',
    products: { 0x3021: { product: 'HID Omnikey 3121 reader' }, 0x3031: { product: 'HID Omnikey 3x21 reader' }, 0x5022: { product: 'HID Omnikey 5022 reader' } },
  },
  0x046a: {
    vendor: 'Cherry', defaultKind: 'other', module: 'opensc',
    products: { 0x0010: { product: 'Cherry SmartBoard keyboard reader', kind: 'smart-card-reader' }, 0x003e: { product: 'Cherry SmartTerminal ST-2xxx reader', kind: 'smart-card-reader' } },
  },
};

const CCID_CLASS = 0x0b;

export interface UsbIdentity {
  vendorId: number;
  productId: number;
  /** USB interface classes the device offers (0x0B = smart card / CCID). */
  interfaceClasses?: number[];
  manufacturerName?: string | null;
  productName?: string | null;
}

/** Undefined for devices that have nothing to do with keys (mice, hubs, ...). */
export function classifyUsbDevice(d: UsbIdentity): KnownDevice | undefined {
  const entry = USB_VENDORS[d.vendorId];
  const ccid = (d.interfaceClasses ?? []).includes(CCID_CLASS);
  if (entry) {
    const p = entry.products[d.productId];
    const kind = p?.kind ?? (entry.defaultKind === 'other' && ccid ? 'smart-card-reader' : entry.defaultKind);
    if (kind === 'other' && !p) return undefined;
    const module = p?.module ?? entry.module;
    const product = p?.product ?? d.productName ?? `${entry.vendor} device ${hex4(d.productId)}`;
    return { vendor: entry.vendor, product, kind, ...(module ? { module } : {}) };
  }
  if (ccid) {
    return { vendor: d.manufacturerName ?? `vendor ${hex4(d.vendorId)}`, product: d.productName ?? `smart-card reader ${hex4(d.productId)}`, kind: 'smart-card-reader', module: 'opensc' };
  }
  return undefined;
}

export function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
