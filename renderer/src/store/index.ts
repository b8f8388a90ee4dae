/**
 * The renderer's one zustand store, made of slices (zustand's slices pattern). Each slice owns its
 * fields and the actions that change them, and is typed by its own fields only (slice.ts); every
 * call to main goes through request.ts. Ceremony and recovery state belong to main: their slices
 * only mirror what main answers.
 */
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createAppSlice, type AppSlice } from './app';
import { createAuditSlice, type AuditSlice } from './audit';
import { createCeremonyRunSlice, type CeremonyRunSlice } from './ceremony-run';
import { createDevicesSlice, type DevicesSlice } from './devices';
import { createRecordsSlice, type RecordsSlice } from './records';
import { createRecoverySlice, type RecoverySlice } from './recovery';
import { requester } from './request';
import type { SliceCreator, SliceSet } from './slice';
import { createShareRevealSlice, type ShareRevealSlice } from './share-reveal';
import { createStepResultsSlice, type StepResultsSlice } from './step-results';

export type Store = AppSlice & DevicesSlice & RecordsSlice & AuditSlice
  & CeremonyRunSlice & StepResultsSlice & ShareRevealSlice & RecoverySlice;

/** Gives a slice the store's set and get, and a request that writes into the store, typed by its fields. */
function slice<S, Also>(create: SliceCreator<S, Also>, set: SliceSet<S & Also>, get: () => S & Also): S {
  return create(set, get, requester(set));
}

export const useStore = create<Store>()((set, get) => ({
  ...slice(createAppSlice, set, get),
  ...slice(createDevicesSlice, set, get),
  ...slice(createRecordsSlice, set, get),
  ...slice(createAuditSlice, set, get),
  ...slice(createCeremonyRunSlice, set, get),
  ...slice(createStepResultsSlice, set, get),
  ...slice(createShareRevealSlice, set, get),
  ...slice(createRecoverySlice, set, get),
}));

const initialState = useStore.getState();

/**
 * Several fields of the store, named as the store names them: the screen re-renders only when one
 * of them changes (zustand's useShallow), as with one `useStore((s) => s.field)` per field.
 */
export function useFields<K extends keyof Store>(...keys: K[]): Pick<Store, K> {
  return useStore(useShallow((s) => Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<Store, K>));
}

/** Puts the store back as it started (tests, and leaving a screen that must forget). */
export function resetStore(): void {
  useStore.setState(initialState, true);
}

export type { Route } from './app';
export { ROUTES } from './app';
export { stepError } from './ceremony-run';
export { checkShareWord } from './recovery';
export { tokenList, tokenOptionText, type TokenChoice } from './token-choices';
export { callKeyrite } from './request';
