/**
 * The channel table (electron/contract/channels.ts) and the one dispatcher in front of it
 * (electron/core/ipc/dispatch.ts): every channel has a schema and a handler, the preload's
 * dependency-free lists match the table, and a malformed request gets one typed error, REQUEST_INVALID,
 * whether it comes through Electron main's listener or the UI harness's binding.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { API_METHODS, EVENT_CHANNELS } from '../../../electron/contract/api-methods';
import { CHANNELS } from '../../../electron/contract/channels';
import type { InvokeChannel, Result } from '../../../electron/contract/index';
import { parseRequest } from '../../../electron/core/ipc/dispatch';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { KeyriteError } from '../../../electron/core/util/errors';
import { registerIpc, TrustedSenders, trustWhileOpen, type InvokeEventLike, type IpcMainLike } from '../../../electron/main/ipc';

const table = () => createHandlerTable({ dataDir: '/nonexistent', app: { version: 't', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });

/** The table registered as Electron main registers it, one window trusted; returns main's invoke. */
function viaMain(t = table()) {
  const listeners = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void listeners.set(c, l), removeHandler: (c) => void listeners.delete(c) };
  const trusted = new TrustedSenders();
  registerIpc(ipcMain, t, trusted);
  trustWhileOpen(Object.assign(new EventEmitter(), { webContents: { id: 5 } }), trusted);
  const event: InvokeEventLike = { sender: { id: 5 }, senderFrame: { url: 'app://keyrite/index.html', parent: null } };
  return async (channel: string, ...args: unknown[]) => (await listeners.get(channel)!(event, ...args)) as Result<unknown>;
}

describe('the channel table', () => {
  it('gives every channel a request schema and a handler', () => {
    const t = table();
    for (const channel of Object.keys(CHANNELS) as InvokeChannel[]) {
      expect(typeof CHANNELS[channel].request.safeParse, channel).toBe('function');
      expect(typeof t[channel], channel).toBe('function');
    }
    expect(Object.keys(t).sort()).toEqual(Object.keys(CHANNELS).sort());
  });

  it('is what the preload exposes: one method per channel, no more, no less', () => {
    const channels = Object.values(API_METHODS);
    expect(new Set(channels).size).toBe(channels.length);
    expect([...channels].sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(new Set(EVENT_CHANNELS).size).toBe(EVENT_CHANNELS.length);
  });

  it('refuses a malformed request with REQUEST_INVALID through main and through the harness binding alike', async () => {
    const t = table();
    const main = viaMain(t);
    const bad: [InvokeChannel, unknown][] = [
      ['audit/verify', { dir: 'relative/path' }],
      ['tokens/list', { slot: 1 }],
      ['ceremony/submit', { kind: 'pin', pin: 'PIN-246810', extra: 1 }],
      ['recovery/add-share', { kind: 'words' }],
      ['print/share-sheet', { custodian: 'Bob', output: 'print', words: ['zoo'] }],
    ];
    for (const [channel, req] of bad) {
      for (const r of [await main(channel, req), await invokeChannel(t, channel, req), await (t[channel] as (x: unknown) => Promise<Result<unknown>>)(req)]) {
        expect(r, channel).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID', details: { channel } } });
        expect(JSON.stringify(r)).not.toContain('PIN-246810');
      }
    }
    expect(await main('audit/verify', { dir: '/a' }, 'extra')).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
  });

});

describe('parseRequest', () => {
  it('accepts an absolute transcript folder', () => {
    expect(parseRequest('audit/verify', { dir: '/home/auditor/ceremony-1' })).toEqual({ dir: '/home/auditor/ceremony-1' });
    expect(parseRequest('audit/verify', { dir: 'C:\\ceremonies\\one' })).toEqual({ dir: 'C:\\ceremonies\\one' });
  });

  it('refuses a relative path, a NUL, extra fields and a missing payload with REQUEST_INVALID', () => {
    for (const bad of [{ dir: 'ceremony-1' }, { dir: '/a\0b' }, { dir: '/a', extra: 1 }, undefined, 'x']) {
      let err: unknown;
      try {
        parseRequest('audit/verify', bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KeyriteError);
      expect((err as KeyriteError).code).toBe('REQUEST_INVALID');
      expect((err as KeyriteError).action).toBeTruthy();
    }
  });

  it('refuses a payload on a channel that takes none', () => {
    expect(() => parseRequest('tokens/list', { slot: 1 })).toThrow(KeyriteError);
  });

  it('never echoes the refused value (it may be a PIN)', () => {
    const secret = '98765432-not-a-valid-input';
    try {
      parseRequest('ceremony/submit', { kind: 'pin', pin: secret, extra: true });
      expect.unreachable('the request should be refused');
    } catch (e) {
      const err = e as KeyriteError;
      expect(err.code).toBe('REQUEST_INVALID');
      expect(JSON.stringify(err.toData())).not.toContain(secret);
    }
  });
});
