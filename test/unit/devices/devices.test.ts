import { describe, expect, it } from 'vitest';
import { classifyUsbDevice } from '../../../electron/core/devices/vendors';
import { listUsbDevices, watchUsb, type UsbDeviceView } from '../../../electron/core/devices/usb-watch';
import { combineDevices, diffTokens, presentTokens, type PresentToken } from '../../../electron/core/devices/combine';
import { watchTokens, type TokenWatchEvent } from '../../../electron/core/devices/watch-tokens';
import type { SlotView, TokenFlags } from '../../../electron/core/token/types';

const flags = (o: Partial<TokenFlags> = {}): TokenFlags => ({
  loginRequired: true, tokenInitialized: true, rng: true, writeProtected: false, userPinInitialized: true, userPinCountLow: false, userPinFinalTry: false,
  userPinLocked: false, userPinToBeChanged: false, soPinCountLow: false, soPinFinalTry: false, soPinLocked: false, soPinToBeChanged: false, ...o,
});
const slot = (id: string, token?: { label: string; serial: string; manufacturer: string; model: string; rehearsal?: boolean; initialized?: boolean }): SlotView => ({
  slotId: id, description: '', manufacturer: '', hardwareSlot: true, removable: true, tokenPresent: token !== undefined,
  ...(token ? { token: { label: token.label, serial: token.serial, model: token.model, manufacturer: token.manufacturer, flags: flags({ tokenInitialized: token.initialized ?? true }), mechanisms: [], algorithms: [], rehearsal: token.rehearsal ?? false } } : {}),
});

describe('USB classification', () => {
  it('names known HSMs, keys and readers by vendor/product id', () => {
    expect(classifyUsbDevice({ vendorId: 0x1050, productId: 0x0030 })).toEqual({ vendor: 'Yubico', product: 'YubiHSM 2', kind: 'hsm', module: 'yubihsm2' });
    expect(classifyUsbDevice({ vendorId: 0x1050, productId: 0x0407 })).toMatchObject({ kind: 'security-key', module: 'ykcs11' });
    expect(classifyUsbDevice({ vendorId: 0x20a0, productId: 0x4230 })).toMatchObject({ product: 'Nitrokey HSM 2', kind: 'hsm' });
    expect(classifyUsbDevice({ vendorId: 0x076b, productId: 0x3021 })).toMatchObject({ vendor: 'HID Omnikey', kind: 'smart-card-reader' });
    expect(classifyUsbDevice({ vendorId: 0x0529, productId: 0x0620 })).toMatchObject({ vendor: 'Thales (SafeNet)', kind: 'smart-card-token' });
    for (const vid of [0x08e6, 0x096e, 0x072f, 0x04e6]) expect(classifyUsbDevice({ vendorId: vid, productId: 0xffff }), vid.toString(16)).toBeDefined();
  });

  it('falls back to the vendor for an unlisted product, and to CCID for an unknown reader; ignores other devices', () => {
    expect(classifyUsbDevice({ vendorId: 0x20a0, productId: 0x9999, productName: 'Nitrokey Next' })).toMatchObject({ vendor: 'Nitrokey', product: 'Nitrokey Next', kind: 'security-key' });
    expect(classifyUsbDevice({ vendorId: 0x1234, productId: 0x0001, interfaceClasses: [0x03, 0x0b], productName: 'Reader X' })).toMatchObject({ kind: 'smart-card-reader', product: 'Reader X' });
    expect(classifyUsbDevice({ vendorId: 0x046d, productId: 0xc077, interfaceClasses: [0x03] })).toBeUndefined();
    expect(classifyUsbDevice({ vendorId: 0x046a, productId: 0x0011, interfaceClasses: [0x03] })).toBeUndefined();
    expect(classifyUsbDevice({ vendorId: 0x046a, productId: 0x0011, interfaceClasses: [0x0b] })).toMatchObject({ vendor: 'Cherry', kind: 'smart-card-reader' });
  });

  it('gives an empty list and a reason when USB cannot be read, never a crash', async () => {
    const broken = async () => {
      throw new Error('/sys/bus/usb/devices/ not found');
    };
    expect(await listUsbDevices(broken)).toEqual({ devices: [], unavailable: expect.stringContaining('/sys/bus/usb/devices/ not found') });
    const w = await watchUsb(() => undefined, broken);
    expect(w.unavailable).toMatch(/cannot be read/);
    w.stop();
  });

  it('lists only key-related devices and reports attach/detach through the package\'s events', async () => {
    const listeners = new Map<string, (e: { device: { vendorId: number; productId: number } }) => void>();
    const fake = {
      getDevices: async () => [{ vendorId: 0x1050, productId: 0x0030, serialNumber: '0012345', bus: '1-2' }, { vendorId: 0x046d, productId: 0xc077 }],
      addEventListener: (t: string, l: (e: { device: { vendorId: number; productId: number } }) => void) => listeners.set(t, l),
      removeEventListener: (t: string) => listeners.delete(t),
    };
    const listed = await listUsbDevices(async () => fake);
    expect(listed.devices).toEqual([{ vendor: 'Yubico', product: 'YubiHSM 2', kind: 'hsm', module: 'yubihsm2', vendorId: 0x1050, productId: 0x30, serial: '0012345', location: '1-2' }]);
    const events: string[] = [];
    const w = await watchUsb((e) => events.push(`${e.type} ${e.device.product}`), async () => fake);
    listeners.get('connect')?.({ device: { vendorId: 0x20a0, productId: 0x4230 } });
    listeners.get('connect')?.({ device: { vendorId: 0x046d, productId: 0xc077 } });
    listeners.get('disconnect')?.({ device: { vendorId: 0x20a0, productId: 0x4230 } });
    expect(events).toEqual(['attached Nitrokey HSM 2', 'detached Nitrokey HSM 2']);
    w.stop();
    expect(listeners.size).toBe(0);
  });
});

describe('combined device view and token diffs', () => {
  const hsm: UsbDeviceView = { vendor: 'Yubico', product: 'YubiHSM 2', kind: 'hsm', module: 'yubihsm2', vendorId: 0x1050, productId: 0x30 };
  const reader: UsbDeviceView = { vendor: 'HID Omnikey', product: 'HID Omnikey 3121 reader', kind: 'smart-card-reader', vendorId: 0x076b, productId: 0x3021 };

  it('says which token sits in which device, and lists tokens without a USB device on their own', () => {
    const tokens = [
      ...presentTokens('/usr/lib/pkcs11/yubihsm_pkcs11.so', [slot('0', { label: 'root-2026', serial: '0012345', manufacturer: 'Yubico (www.yubico.com)', model: 'YubiHSM' })]),
      ...presentTokens('/usr/lib/softhsm/libsofthsm2.so', [slot('1', { label: 'rehearsal', serial: 'ab', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', rehearsal: true }), slot('2', { label: '', serial: '', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', initialized: false }), slot('3')]),
    ];
    const view = combineDevices({ devices: [hsm, reader] }, tokens);
    expect(view.entries.map((e) => e.summary)).toEqual([
      'YubiHSM 2 attached; token root-2026 present',
      'HID Omnikey 3121 reader attached; no token present',
      'token rehearsal present (rehearsal token, SoftHSM2)',
    ]);
    expect(view.usbUnavailable).toBeUndefined();
    expect(combineDevices({ devices: [], unavailable: 'no USB' }, []).usbUnavailable).toBe('no USB');
  });

  it('diffs token sets by module, serial and label', () => {
    const t = (label: string, serial = label): PresentToken => ({ module: 'm', slotId: '0', label, serial, model: '', manufacturer: '', rehearsal: false });
    expect(diffTokens([t('a'), t('b')], [t('b'), t('c')])).toEqual({ inserted: [t('c')], removed: [t('a')] });
    expect(diffTokens([t('a')], [t('a')])).toEqual({ inserted: [], removed: [] });
    expect(diffTokens([t('a', '1')], [t('a', '2')])).toEqual({ inserted: [t('a', '2')], removed: [t('a', '1')] });
  });

  it('watchTokens reports the first view, then only insertions and removals, and keeps polling through errors', async () => {
    const views: SlotView[][] = [
      [slot('0', { label: 'a', serial: '1', manufacturer: 'x', model: 'y' })],
      [slot('0', { label: 'a', serial: '1', manufacturer: 'x', model: 'y' })],
      [],
      [slot('5', { label: 'b', serial: '2', manufacturer: 'x', model: 'y' })],
    ];
    let n = 0;
    const errors: unknown[] = [];
    const events: TokenWatchEvent[] = [];
    const client = {
      moduleInfo: async () => ({ path: '/m.so', library: '', manufacturer: '', cryptokiVersion: '2.40' }),
      listSlots: async () => {
        n += 1;
        if (n === 2) throw new Error('host restarting');
        return views[Math.min(n - 1, views.length - 1)] ?? [];
      },
    };
    await new Promise<void>((resolve) => {
      const w = watchTokens(client, 1, (e) => {
        events.push(e);
        if (events.length === 3) {
          w.stop();
          resolve();
        }
      }, { onError: (e) => errors.push(e) });
    });
    expect(events.map((e) => [e.inserted.map((t) => t.label), e.removed.map((t) => t.label)])).toEqual([[['a'], []], [[], ['a']], [['b'], []]]);
    expect(events[0]?.tokens[0]).toMatchObject({ module: '/m.so', label: 'a', serial: '1' });
    expect(errors).toHaveLength(1);
  });
});
