/**
 * The IPC boundary in front of the real handler table, registered as Electron main registers it
 * (registerIpc, the window trusted while open). Two promises:
 * - every PIN a renderer can send is 1 to 256 characters; outside that it is refused at the boundary
 *   with the same REQUEST_INVALID through main's listener and through the table as the e2e harness
 *   calls it (one dispatcher), never reaches the run, and the refusal does not echo it;
 * - a request from a window that has closed, or from one main never opened, is dropped before any
 *   handler runs.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HandlerTable, Result } from '../../../electron/contract/index';
import type { CeremonyRun, RunInput, RunView } from '../../../electron/core/ceremony/run-types';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import type { TokenApi } from '../../../electron/core/token/types';
import { registerIpc, TrustedSenders, trustWhileOpen, type InvokeEventLike, type IpcMainLike } from '../../../electron/main/ipc';

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATE = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const POLICY = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used'); } }) as TokenApi;

/** Main's side: the table behind registerIpc, one window trusted while open; the run records what reaches it. */
async function app() {
  const reached: RunInput[] = [];
  const run = {
    view: () => ({ ceremonyId: 'root-2026', need: { kind: 'pin' } }) as unknown as RunView,
    submit: async (input: RunInput) => { reached.push(input); return run.view(); },
    on: () => () => undefined,
    close: async () => undefined,
  } as unknown as CeremonyRun;
  const table: HandlerTable = createHandlerTable({
    dataDir: '/nonexistent', app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] },
    ceremony: { tokens: noToken, rehearsal: true, defaultPolicyText: POLICY, openRun: async () => run },
  });
  const listeners = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void listeners.set(c, l), removeHandler: (c) => void listeners.delete(c) };
  const trusted = new TrustedSenders();
  registerIpc(ipcMain, table, trusted);
  const win = Object.assign(new EventEmitter(), { webContents: { id: 11 } });
  trustWhileOpen(win, trusted);
  const from = (id: number): InvokeEventLike => ({ sender: { id }, senderFrame: { url: 'app://keyrite/index.html', parent: null } });
  const invoke = async (channel: string, req?: unknown, id = 11) => (await listeners.get(channel)!(from(id), req)) as Result<unknown>;
  expect(await invoke('ceremony/load', { fileName: 'root-keygen.yaml', text: TEMPLATE })).toMatchObject({ ok: true });
  return { invoke, table, reached, win };
}

/** Every request shape that carries a PIN, with the PIN given. */
const PIN_REQUESTS: [string, (pin: string) => unknown][] = [
  ['ceremony/submit', (pin) => ({ kind: 'pin', pin })],
  ['ceremony/submit', (pin) => ({ kind: 'verify-share-token', custodian: 'Grace', tokenSerial: '0a1b2c', pin })],
  ['ceremony/submit', (pin) => ({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: '0a1b2c', pin } })],
  ['ceremony/submit', (pin) => ({ kind: 'share-input', share: { kind: 'token', fileName: 'share.txt', content: 'x', tokenSerial: '0a1b2c', pin } })],
  ['recovery/add-share', (pin) => ({ kind: 'token', fileName: 'share.txt', content: 'x', tokenSerial: '0a1b2c', pin })],
];

describe('PIN length at the IPC boundary', () => {
  it('refuses an empty PIN and one over 256 characters in every request that carries one, without echoing it', async () => {
    const { invoke, table, reached } = await app();
    for (const [channel, req] of PIN_REQUESTS) {
      for (const pin of ['', `${'73'.repeat(128)}9`]) {
        const viaMain = await invoke(channel, req(pin));
        expect(viaMain, `${channel} ${pin.length}`).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
        const viaTable = await invokeChannel(table, channel, req(pin));
        expect(viaTable, `${channel} ${pin.length}`).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
        if (pin) for (const r of [viaMain, viaTable]) expect(JSON.stringify(r)).not.toContain('7373');
      }
    }
    expect(reached).toEqual([]);
  });

  it('lets a PIN of 1 and of 256 characters through to the run', async () => {
    const { invoke, reached } = await app();
    for (const [channel, req] of PIN_REQUESTS.filter(([c]) => c === 'ceremony/submit')) {
      for (const pin of ['7', '73'.repeat(128)]) expect(await invoke(channel, req(pin)), `${pin.length}`).toMatchObject({ ok: true });
    }
    expect(reached).toHaveLength(8);
    expect(reached[0]).toEqual({ kind: 'pin', pin: '7' });
    expect(reached[1]).toEqual({ kind: 'pin', pin: '73'.repeat(128) });
    // recovery/add-share passes the boundary and fails later, on the share file itself.
    const recovery = await invoke('recovery/add-share', PIN_REQUESTS[4]![1]('73'.repeat(128)));
    expect(recovery).toMatchObject({ ok: false, error: { code: 'RECOVERY_NOT_OPEN' } });
  });
});

describe('a request from a closed or unknown window', () => {
  it('is dropped before any handler runs', async () => {
    const { invoke, reached, win } = await app();
    expect(await invoke('ceremony/submit', { kind: 'pin', pin: '123456' })).toMatchObject({ ok: true });
    expect(reached).toHaveLength(1);
    expect(await invoke('ceremony/submit', { kind: 'pin', pin: '123456' }, 12)).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } });
    win.emit('closed');
    for (const [channel, req] of [['ceremony/submit', { kind: 'pin', pin: '123456' }], ['ceremony/reveal-share', { custodian: 'Carol' }], ['ceremony/view', undefined]] as const) {
      expect(await invoke(channel, req), channel).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } });
    }
    expect(reached).toHaveLength(1);
  });
});
