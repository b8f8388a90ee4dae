import { describe, expect, it } from 'vitest';
import type { HandlerTable, InvokeChannel } from '../../../electron/contract';
import { bindChannels, type ChannelImpls } from '../../../electron/core/ipc/dispatch';
import { KeyriteError } from '../../../electron/core/util/errors';
import { TrustedSenders, isTrustedSender, makeChannelListener, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../../electron/main/ipc';

const trusted = new TrustedSenders();
trusted.add(7);

const top = (url: string) => ({ url, parent: null });
const ok = (url = 'app://keyrite/index.html', id = 7): InvokeEventLike => ({ sender: { id }, senderFrame: top(url) });

describe('isTrustedSender', () => {
  it('accepts the top frame of the app page in a window main created', () => {
    expect(isTrustedSender(ok(), trusted)).toBe(true);
    expect(isTrustedSender(ok('app://keyrite/#/ceremony'), trusted)).toBe(true);
  });

  it.each([
    ['another origin', ok('https://evil.example/')],
    ['a file page', ok('file:///tmp/x.html')],
    ['a look-alike host', ok('app://keyrite.evil/index.html')],
    ['an unknown webContents', ok('app://keyrite/index.html', 99)],
    ['a subframe', { sender: { id: 7 }, senderFrame: { url: 'app://keyrite/index.html', parent: top('app://keyrite/index.html') } }],
    ['a destroyed frame', { sender: { id: 7 }, senderFrame: null }],
  ])('drops %s', (_what, event) => {
    expect(isTrustedSender(event as InvokeEventLike, trusted)).toBe(false);
  });

  it('stops trusting a window once it is removed', () => {
    const t = new TrustedSenders();
    t.add(3);
    t.remove(3);
    expect(isTrustedSender(ok('app://keyrite/index.html', 3), t)).toBe(false);
  });
});

describe('channel listener', () => {
  let calls: unknown[] = [];
  const record = async (req: unknown): Promise<never> => {
    calls.push(req);
    return 'done' as never;
  };
  // The real dispatcher in front of handlers that record what reaches them.
  const table = bindChannels({ 'audit/verify': record, 'app/info': record } as ChannelImpls<'audit/verify' | 'app/info'>) as HandlerTable;

  it('runs the handler for a trusted sender with a valid request', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', table, trusted);
    await expect(l(ok(), { dir: '/ceremonies/root-2026' })).resolves.toEqual({ ok: true, value: 'done' });
    expect(calls).toEqual([{ dir: '/ceremonies/root-2026' }]);
  });

  it('never runs the handler for an untrusted sender', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', table, trusted);
    const r = await l(ok('https://evil.example/'), { dir: '/x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('refuses a malformed request at the boundary, naming the field but not echoing the value', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', table, trusted);
    for (const bad of [undefined, { dir: 'relative/path' }, { dir: '/x', extra: 'PIN-123456' }, 'str', { dir: 42 }]) {
      const r = await l(ok(), bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
      expect(JSON.stringify(r)).not.toContain('PIN-123456');
    }
    const noArgs = makeChannelListener('app/info', table, trusted);
    expect(await noArgs(ok(), { anything: 1 })).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
    expect(calls).toEqual([]);
  });

  it('returns a thrown error as data with its code and action', async () => {
    const throwing = bindChannels({
      'app/info': async () => {
        throw new KeyriteError('TOKEN_LOCKED', 'The token is locked.', { action: 'Ask the security officer to unlock it.' });
      },
    }) as HandlerTable;
    const l = makeChannelListener('app/info', throwing, trusted);
    await expect(l(ok(), undefined)).resolves.toEqual({ ok: false, error: { code: 'TOKEN_LOCKED', message: 'The token is locked.', action: 'Ask the security officer to unlock it.' } });
  });
});

describe('registerIpc', () => {
  it('registers every channel of the table, refuses extra arguments, and unregisters', async () => {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = {
      handle: (c, l) => void handlers.set(c, l),
      removeHandler: (c) => void handlers.delete(c),
    };
    const table = bindChannels({
      'app/info': async () => ({ version: '1' }),
      'audit/verify': async (req: unknown) => req,
    } as unknown as ChannelImpls<'app/info' | 'audit/verify'>) as HandlerTable;
    const reg = registerIpc(ipcMain, table, trusted);
    expect([...handlers.keys()].sort()).toEqual(['app/info', 'audit/verify']);
    const verify = handlers.get('audit/verify' satisfies InvokeChannel);
    await expect(verify?.(ok(), { dir: '/a' })).resolves.toEqual({ ok: true, value: { dir: '/a' } });
    await expect(verify?.(ok(), { dir: '/a' }, 'extra')).resolves.toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
    reg.dispose();
    expect(handlers.size).toBe(0);
  });
});

describe('the contract', () => {
  it('gives every invoke channel a request schema, so main validates every request at the boundary', async () => {
    const { API_METHODS } = await import('../../../electron/contract');
    const { CHANNELS } = await import('../../../electron/contract/channels');
    expect(Object.values(API_METHODS).filter((c) => !Object.hasOwn(CHANNELS, c))).toEqual([]);
  });
});
