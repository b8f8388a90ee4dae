import { describe, expect, it } from 'vitest';
import type { HandlerTable, InvokeChannel, Result } from '../../../electron/contract';
import { REQUEST_SCHEMAS } from '../../../electron/contract/schemas';
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
  const handler = async (req: unknown): Promise<Result<unknown>> => {
    calls.push(req);
    return { ok: true, value: 'done' };
  };

  it('runs the handler for a trusted sender with a valid request', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', handler, REQUEST_SCHEMAS['audit/verify'], trusted);
    await expect(l(ok(), { dir: '/ceremonies/root-2026' })).resolves.toEqual({ ok: true, value: 'done' });
    expect(calls).toEqual([{ dir: '/ceremonies/root-2026' }]);
  });

  it('never runs the handler for an untrusted sender', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', handler, REQUEST_SCHEMAS['audit/verify'], trusted);
    const r = await l(ok('https://evil.example/'), { dir: '/x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('refuses a malformed request at the boundary, naming the field but not echoing the value', async () => {
    calls = [];
    const l = makeChannelListener('audit/verify', handler, REQUEST_SCHEMAS['audit/verify'], trusted);
    for (const bad of [undefined, { dir: 'relative/path' }, { dir: '/x', extra: 'PIN-123456' }, 'str', { dir: 42 }]) {
      const r = await l(ok(), bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
      expect(JSON.stringify(r)).not.toContain('PIN-123456');
    }
    const noArgs = makeChannelListener('app/info', handler, REQUEST_SCHEMAS['app/info'], trusted);
    expect(await noArgs(ok(), { anything: 1 })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(calls).toEqual([]);
  });

  it('returns a thrown error as data with its code and action', async () => {
    const l = makeChannelListener(
      'app/info',
      async () => {
        throw new KeyriteError('TOKEN_LOCKED', 'The token is locked.', { action: 'Ask the security officer to unlock it.' });
      },
      REQUEST_SCHEMAS['app/info'],
      trusted,
    );
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
    const table = {
      'app/info': async () => ({ ok: true, value: { version: '1' } }),
      'audit/verify': async (req: unknown) => ({ ok: true, value: req }),
    } as unknown as HandlerTable;
    const reg = registerIpc(ipcMain, table, REQUEST_SCHEMAS, trusted);
    expect([...handlers.keys()].sort()).toEqual(['app/info', 'audit/verify']);
    expect(reg.unvalidated).toEqual([]);
    const verify = handlers.get('audit/verify' satisfies InvokeChannel);
    await expect(verify?.(ok(), { dir: '/a' })).resolves.toEqual({ ok: true, value: { dir: '/a' } });
    await expect(verify?.(ok(), { dir: '/a' }, 'extra')).resolves.toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    reg.dispose();
    expect(handlers.size).toBe(0);
  });

  it('reports channels that have no request schema', () => {
    const ipcMain: IpcMainLike = { handle: () => undefined, removeHandler: () => undefined };
    const reg = registerIpc(ipcMain, { 'app/info': async () => ({ ok: true, value: 1 }) } as unknown as HandlerTable, {}, trusted);
    expect(reg.unvalidated).toEqual(['app/info']);
  });
});

describe('the contract', () => {
  it('gives every invoke channel a request schema, so main validates every request at the boundary', async () => {
    const { API_METHODS } = await import('../../../electron/contract');
    expect(Object.values(API_METHODS).filter((c) => REQUEST_SCHEMAS[c] === undefined)).toEqual([]);
  });
});
