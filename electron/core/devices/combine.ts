/**
 * One view of the room: USB devices matched with the PKCS#11 slots, so the app can say
 * "YubiHSM 2 attached; token root-2026 present", and the diff between two slot views.
 */
import type { SlotView } from '../token/types';
import type { UsbDeviceView } from './usb-watch';

export interface PresentToken {
  /** Module path the slot was read through. */
  module: string;
  slotId: string;
  label: string;
  serial: string;
  model: string;
  manufacturer: string;
  rehearsal: boolean;
}

export interface DeviceEntry {
  usb?: UsbDeviceView;
  tokens: PresentToken[];
  /** One line for a person: "YubiHSM 2 attached; token root-2026 present". */
  summary: string;
}

export interface DevicesView {
  entries: DeviceEntry[];
  usbUnavailable?: string;
}

export function presentTokens(module: string, slots: SlotView[]): PresentToken[] {
  return slots.flatMap((s) =>
    s.tokenPresent && s.token && s.token.flags.tokenInitialized
      ? [{ module, slotId: s.slotId, label: s.token.label, serial: s.token.serial, model: s.token.model, manufacturer: s.token.manufacturer, rehearsal: s.token.rehearsal }]
      : [],
  );
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A token belongs to a USB device when the token's maker or model names the device's vendor or product. */
function belongsTo(t: PresentToken, d: UsbDeviceView): boolean {
  const text = norm(`${t.manufacturer} ${t.model}`);
  const vendorWords = d.vendor.split(/[\s()]+/).map(norm).filter((w) => w.length >= 3);
  const productHead = norm(d.product.split(' ').slice(0, 2).join(' '));
  return vendorWords.some((w) => text.includes(w)) || (productHead.length >= 4 && text.includes(productHead));
}

function tokenText(tokens: PresentToken[]): string {
  if (tokens.length === 0) return 'no token present';
  return tokens.map((t) => `token ${t.label} present`).join('; ');
}

export function combineDevices(usb: { devices: UsbDeviceView[]; unavailable?: string }, tokens: PresentToken[]): DevicesView {
  const left = new Set(tokens);
  const entries: DeviceEntry[] = usb.devices.map((d) => {
    const mine = tokens.filter((t) => left.has(t) && belongsTo(t, d));
    for (const t of mine) left.delete(t);
    return { usb: d, tokens: mine, summary: `${d.product} attached; ${tokenText(mine)}` };
  });
  for (const t of left) {
    const what = t.rehearsal ? ' (rehearsal token, SoftHSM2)' : ` (${t.manufacturer} ${t.model})`;
    entries.push({ tokens: [t], summary: `token ${t.label} present${what}` });
  }
  return usb.unavailable ? { entries, usbUnavailable: usb.unavailable } : { entries };
}

export interface TokenChange {
  inserted: PresentToken[];
  removed: PresentToken[];
}

const key = (t: PresentToken): string => `${t.module}\n${t.serial}\n${t.label}`;

export function diffTokens(before: PresentToken[], after: PresentToken[]): TokenChange {
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  return { inserted: after.filter((t) => !was.has(key(t))), removed: before.filter((t) => !now.has(key(t))) };
}
