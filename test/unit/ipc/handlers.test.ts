import { describe, expect, it } from 'vitest';
import type { InvokeChannel } from '../../../electron/contract/index';
import type { AuditReport } from '../../../electron/contract/views';
import { createHandlerTable, invokeChannel, type HandlerDeps } from '../../../electron/core/ipc/handlers';
import type { SlotView } from '../../../electron/core/token/types';
import { KeyriteError } from '../../../electron/core/util/errors';

const slot: SlotView = { slotId: '1', description: 'slot', manufacturer: 'SoftHSM project', hardwareSlot: false, removable: false, tokenPresent: false };

function deps(over: Partial<HandlerDeps> = {}): HandlerDeps {
  return {
    dataDir: '/nonexistent/keyrite-data',
    app: { version: '1.2.3', platform: 'linux', rehearsal: true },
    tokens: { listSlots: async () => [slot] },
    ...over,
  };
}

const BASE_CHANNELS: InvokeChannel[] = [
  'app/info', 'tokens/list', 'devices/list', 'ceremonies/recent', 'audit/pick-folder', 'audit/verify', 'audit/export-report', 'inventory/list',
];

describe('handler table', () => {
  it('has a handler for every platform channel', () => {
    const table = createHandlerTable(deps());
    for (const c of BASE_CHANNELS) expect(typeof table[c]).toBe('function');
  });

  it('answers app/info with the app facts, the data folder and whether folders can be picked', async () => {
    const table = createHandlerTable(deps());
    expect(await table['app/info']()).toEqual({
      ok: true,
      value: { version: '1.2.3', platform: 'linux', rehearsal: true, dataDir: '/nonexistent/keyrite-data', canPickFolders: false },
    });
  });

  it('returns a token failure as data with its code and action, never as a throw', async () => {
    const table = createHandlerTable(deps({
      tokens: { listSlots: async () => { throw new KeyriteError('TOKEN_MODULE_LOAD_FAILED', 'The module could not be loaded.', { action: 'Check the path.' }); } },
    }));
    const r = await table['tokens/list']();
    expect(r).toEqual({ ok: false, error: { code: 'TOKEN_MODULE_LOAD_FAILED', message: 'The module could not be loaded.', action: 'Check the path.' } });
  });

  it('lists tokens even when USB cannot be enumerated, and says USB is unavailable', async () => {
    const table = createHandlerTable(deps({ usb: { list: async () => { throw new Error('LIBUSB_ERROR_ACCESS'); } } }));
    expect(await table['devices/list']()).toEqual({ ok: true, value: { slots: [slot], usb: [], usbAvailable: false } });
  });

  it('says what the air-gap probe sees with the devices, so Home can say the laptop is not air-gapped', async () => {
    const finding = { kind: 'wireless' as const, name: 'wlan0', detail: 'wireless interface (operstate down)' };
    const table = createHandlerTable(deps({ airGapProbe: async () => [finding] }));
    expect(await table['devices/list']()).toMatchObject({ ok: true, value: { network: { findings: [finding] } } });
  });

  it('answers SERVICE_UNAVAILABLE with an action for a service this build lacks', async () => {
    const table = createHandlerTable(deps());
    for (const r of [await table['audit/verify']({ dir: '/tmp/x' }), await table['inventory/list'](), await table['audit/pick-folder']()]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('SERVICE_UNAVAILABLE');
        expect(r.error.action).toBeTruthy();
      }
    }
  });

  it('validates the request before the service sees it', async () => {
    const seen: string[] = [];
    const audit = {
      verify: async (dir: string) => {
        seen.push(dir);
        return { dir } as AuditReport;
      },
      exportReport: async () => '/tmp/report.html',
    };
    const table = createHandlerTable(deps({ audit }));
    const bad = await invokeChannel(table, 'audit/verify', { dir: 'relative/path' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('REQUEST_INVALID');
    expect(seen).toEqual([]);
    const good = await invokeChannel(table, 'audit/verify', { dir: '/abs/path' });
    expect(good).toEqual({ ok: true, value: { dir: '/abs/path' } });
  });

  it('refuses an unknown channel as data', async () => {
    const table = createHandlerTable(deps());
    for (const c of ['nope/never', '__proto__', 42]) {
      const r = await invokeChannel(table, c, undefined);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('CHANNEL_UNKNOWN');
    }
  });

  it('turns an unexpected throw into INTERNAL with an action', async () => {
    const table = createHandlerTable(deps({ tokens: { listSlots: async () => { throw new TypeError('boom'); } } }));
    const r = await table['tokens/list']();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.action).toBeTruthy();
    }
  });
});
