import { describe, expect, it } from 'vitest';
import type { Res, Result } from '../../../electron/contract/index';
import type { TokenFlags } from '../../../electron/core/token/types';
import { createRecoveryStore, type RecoveryApi } from '../../../renderer/src/store/ceremony-recovery';

type Slots = Res<'tokens/list'>;

function slot(slotId: string, token: { label: string; serial: string; initialized: boolean } | null): Slots[number] {
  const base = { slotId, description: `slot ${slotId}`, manufacturer: 'm', hardwareSlot: false, removable: true, tokenPresent: token !== null };
  if (!token) return base;
  const flags = { tokenInitialized: token.initialized } as TokenFlags;
  return { ...base, token: { label: token.label, serial: token.serial, model: 'x', manufacturer: 'm', flags, mechanisms: [], algorithms: [], rehearsal: true } };
}

function api(list: () => Promise<Result<Slots>>): RecoveryApi {
  const unused = () => Promise.reject(new Error('unused'));
  return { startRecovery: unused, addRecoveryShare: unused, checkShareWord: unused, closeRecovery: unused, listTokens: list };
}

describe('recovery store: tokens a custodian can pick', () => {
  it('lists only present, initialised tokens by label and serial', async () => {
    const store = createRecoveryStore(api(async () => ({ ok: true, value: [
      slot('0', { label: 'dan-card', serial: 'a1', initialized: true }),
      slot('1', null),
      slot('2', { label: '', serial: 'b2', initialized: false }),
    ] })));
    expect(store.getState().tokens).toBeNull();
    await store.getState().loadTokens();
    expect(store.getState().tokens).toEqual([{ serial: 'a1', label: 'dan-card', description: 'slot 0' }]);
    expect(store.getState().tokensError).toBeNull();
  });

  it('keeps the reason when the token list cannot be read', async () => {
    const store = createRecoveryStore(api(async () => ({ ok: false, error: { code: 'TOKEN_HOST_STOPPED', message: 'stopped', action: 'restart' } })));
    await store.getState().loadTokens();
    expect(store.getState().tokens).toEqual([]);
    expect(store.getState().tokensError?.code).toBe('TOKEN_HOST_STOPPED');
  });
});
