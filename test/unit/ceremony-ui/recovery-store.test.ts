import { beforeEach, describe, expect, it } from 'vitest';
import type { Res, Result } from '../../../electron/contract/index';
import type { TokenFlags } from '../../../electron/core/token/types';
import { resetStore, useStore } from '../../../renderer/src/store/index';
import { fakeBridge } from '../renderer/fake-bridge';

type Slots = Res<'tokens/list'>;

function slot(slotId: string, token: { label: string; serial: string; initialized: boolean } | null): Slots[number] {
  const base = { slotId, description: `slot ${slotId}`, manufacturer: 'm', hardwareSlot: false, removable: true, tokenPresent: token !== null };
  if (!token) return base;
  const flags = { tokenInitialized: token.initialized } as TokenFlags;
  return { ...base, token: { label: token.label, serial: token.serial, model: 'x', manufacturer: 'm', flags, mechanisms: [], algorithms: [], rehearsal: true } };
}

function api(list: () => Promise<Result<Slots>>): void {
  fakeBridge({ listTokens: list });
}

beforeEach(() => resetStore());

describe('recovery slice: tokens a custodian can pick', () => {
  it('lists only present, initialised tokens by label and serial', async () => {
    api(async () => ({ ok: true, value: [
      slot('0', { label: 'dan-card', serial: 'a1', initialized: true }),
      slot('1', null),
      slot('2', { label: '', serial: 'b2', initialized: false }),
    ] }));
    expect(useStore.getState().shareTokens).toBeNull();
    await useStore.getState().loadShareTokens();
    expect(useStore.getState().shareTokens).toEqual([{ serial: 'a1', label: 'dan-card', description: 'slot 0' }]);
    expect(useStore.getState().shareTokensError).toBeNull();
  });

  it('keeps the reason when the token list cannot be read', async () => {
    api(async () => ({ ok: false, error: { code: 'TOKEN_HOST_STOPPED', message: 'stopped', action: 'restart' } }));
    await useStore.getState().loadShareTokens();
    expect(useStore.getState().shareTokens).toEqual([]);
    expect(useStore.getState().shareTokensError?.code).toBe('TOKEN_HOST_STOPPED');
  });
});
