/**
 * The ceremony feature's stores, one of each per window, bound to the preload API. Hooks select
 * slices so a screen re-renders only when what it shows changes.
 */
import { useStore } from 'zustand';
import { keyrite } from '../api';
import { createCeremonyStore, type CeremonyActions, type CeremonyState, type CeremonyStore } from './ceremony';
import { createRecoveryStore, type RecoveryState, type RecoveryStore } from './ceremony-recovery';
import { createShareStore, type ShareState, type ShareStore } from './ceremony-share';

interface CeremonyStores {
  ceremony: CeremonyStore;
  share: ShareStore;
  recovery: RecoveryStore;
}

let stores: CeremonyStores | null = null;

export function ceremonyStores(): CeremonyStores {
  if (!stores) {
    const api = keyrite();
    stores = { ceremony: createCeremonyStore(api), share: createShareStore(api), recovery: createRecoveryStore(api) };
  }
  return stores;
}

export function useCeremony<T>(select: (s: CeremonyState & CeremonyActions) => T): T {
  return useStore(ceremonyStores().ceremony, select);
}

export function useShare<T>(select: (s: ShareState) => T): T {
  return useStore(ceremonyStores().share, select);
}

export function useRecovery<T>(select: (s: RecoveryState) => T): T {
  return useStore(ceremonyStores().recovery, select);
}

/** The refusal to show on the current step: a failed request, or the runner's own `view.error`. */
export function useStepError() {
  const requestError = useCeremony((s) => s.error);
  const viewError = useCeremony((s) => s.view?.error ?? null);
  return requestError ?? viewError;
}
