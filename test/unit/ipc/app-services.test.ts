/**
 * What the handler table takes from the app: the token client a custodian's share is opened with
 * (the app's module, else the card module that holds the token; every client started for it closed
 * after, whatever happens), run folder names, and the platform channels with each optional service
 * present or absent (absent: SERVICE_UNAVAILABLE saying what to do instead). Token clients are
 * in-memory fakes that record what was asked of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvokeChannel, Result } from '../../../electron/contract/index';
import type { AuditReport, InventoryView } from '../../../electron/contract/views';
import { runFolderName, withTokenApi } from '../../../electron/core/ipc/ceremony-services';
import { createHandlerTable, type HandlerDeps } from '../../../electron/core/ipc/handlers';
import type { SlotView, TokenApi } from '../../../electron/core/token/types';
import { refusalOf } from '../../helpers/keyrite-error';

type Client = TokenApi & { close: () => Promise<void> };

/** A module's client listing one token (or none), recording its life. */
function client(name: string, serial: string | null, log: string[]): Client {
  const slots: SlotView[] = serial === null ? [] : [{ slotId: '1', description: name, manufacturer: name, hardwareSlot: true, removable: true, tokenPresent: true, token: { serial, label: `${name} token` } as SlotView['token'] }];
  return { name, listSlots: async () => slots, close: async () => void log.push(`close ${name}`) } as unknown as Client;
}

describe('withTokenApi', () => {
  it('says shares on a token cannot be opened without a token module, and what to do', async () => {
    await expect(withTokenApi(undefined, '0a1b', async () => 'opened')).rejects.toMatchObject({
      code: 'TOKEN_MODULE_UNAVAILABLE', message: 'Shares on a token cannot be opened here: no token module is configured.',
      action: expect.stringMatching(/KEYRITE_PKCS11_MODULE.*or enter the share's words\.$/),
    });
  });

  it('uses the app\'s own client as it is when it is one, without closing it', async () => {
    const log: string[] = [];
    const own = client('app', '0a1b', log);
    expect(await withTokenApi({ tokens: own, rehearsal: false }, '0a1b', async (t) => t)).toBe(own);
    expect(log).toEqual([]);
  });

  it('starts the app module\'s client with its path and environment, uses it when it holds the token, and closes it', async () => {
    const log: string[] = [];
    const started: unknown[] = [];
    const factory = async (o: { modulePath: string; env: Record<string, string> }) => {
      started.push(o);
      return client(o.modulePath, '0a1b', log);
    };
    const used = await withTokenApi({ tokens: factory, rehearsal: false, modulePath: '/opt/hsm/libvendor.so', tokenEnv: { VENDOR_CONF: '/etc/v.conf' } }, '0a1b', async (t) => (t as unknown as { name: string }).name);
    expect(used).toBe('/opt/hsm/libvendor.so');
    expect(started).toEqual([{ modulePath: '/opt/hsm/libvendor.so', env: { VENDOR_CONF: '/etc/v.conf' } }]);
    expect(log).toEqual(['close /opt/hsm/libvendor.so']);
  });

  it('looks in the card modules for a token the app\'s module lacks, and closes both clients, also when opening fails', async () => {
    const log: string[] = [];
    const started: unknown[] = [];
    const factory = async (o: { modulePath: string; env: Record<string, string> }) => {
      started.push(o);
      return client(o.modulePath || 'app', o.modulePath === '/usr/lib/opensc-pkcs11.so' ? '0a1b' : null, log);
    };
    const services = { tokens: factory, rehearsal: false, cardModules: [{ name: 'OpenSC', path: '/usr/lib/opensc-pkcs11.so', env: { OPENSC_CONF: '/x' } }] };
    expect(await withTokenApi(services, '0a1b', async (t) => (t as unknown as { name: string }).name)).toBe('/usr/lib/opensc-pkcs11.so');
    expect(started).toEqual([{ modulePath: '', env: {} }, { modulePath: '/usr/lib/opensc-pkcs11.so', env: { OPENSC_CONF: '/x' } }]);
    expect(log).toEqual(['close /usr/lib/opensc-pkcs11.so', 'close app']);
    log.length = 0;
    await expect(withTokenApi(services, '0a1b', async () => { throw new Error('wrong PIN'); })).rejects.toThrow('wrong PIN');
    expect(log).toEqual(['close /usr/lib/opensc-pkcs11.so', 'close app']);
    log.length = 0;
    await expect(withTokenApi(services, 'ffff', async () => 'never')).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND', details: { serial: 'ffff' } });
    expect(log).toEqual(['close /usr/lib/opensc-pkcs11.so', 'close app']);
  });
});

describe('withTokenApi without card modules', () => {
  it('searches only the app\'s module, and copes with a client that has nothing to close', async () => {
    const started: unknown[] = [];
    const factory = async (o: { modulePath: string; env: Record<string, string> }) => {
      started.push(o);
      return { listSlots: async () => [] } as unknown as TokenApi;
    };
    await expect(withTokenApi({ tokens: factory, rehearsal: false, modulePath: '/opt/hsm/libvendor.so' }, '0a1b', async () => 'never')).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND', message: expect.stringContaining('No token with serial 0a1b is present on libvendor.so.'),
    });
    expect(started).toHaveLength(1);
  });
});

describe('runFolderName', () => {
  it('is the ceremony id and the UTC time to the second, in a form that sorts and names a folder', () => {
    expect(runFolderName('root-2026', new Date('2026-03-04T05:06:07.891Z'))).toBe('root-2026-20260304T050607Z');
  });
});

const slot: SlotView = { slotId: '1', description: 'slot', manufacturer: 'SoftHSM project', hardwareSlot: false, removable: false, tokenPresent: false };

function table(over: Partial<HandlerDeps> = {}) {
  const t = createHandlerTable({ dataDir: '/nonexistent/keyrite-data', app: { version: '1.2.3', platform: 'linux', rehearsal: false }, tokens: { listSlots: async () => [slot] }, ...over });
  return (channel: InvokeChannel, req?: unknown) => (t[channel] as (r?: unknown) => Promise<Result<unknown>>)(req);
}

describe('the platform channels', () => {
  it('answer SERVICE_UNAVAILABLE naming what is missing and what to do instead', async () => {
    const call = table();
    const cases: [InvokeChannel, unknown, string, string][] = [
      ['audit/pick-folder', undefined, 'The folder picker', 'Type or paste the full path of the transcript folder instead.'],
      ['audit/verify', { dir: '/x' }, 'Transcript verification', 'Run keyrite verify with the folder on the command line instead.'],
      ['audit/export-report', { dir: '/x' }, 'Report export', 'Run keyrite verify with the folder on the command line instead.'],
      ['inventory/list', undefined, 'The key inventory', 'Run keyrite inventory on the command line instead.'],
    ];
    for (const [channel, req, what, action] of cases) {
      expect(refusalOf(await call(channel, req)), channel).toEqual({ code: 'SERVICE_UNAVAILABLE', message: `${what} is not available in this build of Keyrite.`, action });
    }
  });

  it('use each service main gives', async () => {
    const usb = [{ id: '1-2', vendorId: '1050', productId: '0407', name: 'YubiKey', vendor: 'Yubico', kind: 'token', known: true }];
    const inventory = { keys: [], problems: [], due: [] } as unknown as InventoryView;
    const call = table({
      pickFolder: async () => '/home/auditor/ceremony',
      audit: { verify: async (dir) => ({ dir }) as AuditReport, exportReport: async (dir) => `${dir}.html` },
      inventory: { list: async () => inventory },
      usb: { list: async () => usb as never },
    });
    expect(await call('app/info')).toMatchObject({ ok: true, value: { canPickFolders: true, rehearsal: false } });
    expect(await call('audit/pick-folder')).toEqual({ ok: true, value: { dir: '/home/auditor/ceremony' } });
    expect(await call('audit/export-report', { dir: '/home/auditor/ceremony' })).toEqual({ ok: true, value: { path: '/home/auditor/ceremony.html' } });
    expect(await call('inventory/list')).toEqual({ ok: true, value: inventory });
    expect(await call('devices/list')).toEqual({ ok: true, value: { slots: [slot], usb, usbAvailable: true } });
    const empty = mkdtempSync(path.join(tmpdir(), 'keyrite-recent-'));
    try {
      expect(await table({ dataDir: empty })('ceremonies/recent')).toEqual({ ok: true, value: [] });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
