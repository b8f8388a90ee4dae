/**
 * Mirror of a recovery session held by main: shares go in one at a time and main answers with the
 * session view (k of n) or the reason the share was refused. Share words are never kept here: the
 * entry form owns them until submit and clears them after.
 */
import type { ErrorData, RecoveryView, ShareInput, WordCheck } from '../api';
import { callKeyrite } from './request';
import type { SliceCreator } from './slice';
import { tokenList, type TokenChoice } from './token-choices';

export interface RecoverySlice {
  recoveryView: RecoveryView | null;
  recoveryBusy: boolean;
  /** Why the last backup file or share was refused. */
  recoveryError: ErrorData | null;
  /** Bumped on every accepted share, so the entry form knows to clear itself. */
  acceptedShareCount: number;
  /** Tokens present now, for a share held on a custodian's token; null until listed. */
  shareTokens: TokenChoice[] | null;
  /** Why the token list could not be read. */
  shareTokensError: ErrorData | null;
  loadShareTokens(): Promise<void>;
  startRecovery(backupFileName: string, backupText: string): Promise<boolean>;
  addRecoveryShare(input: ShareInput): Promise<boolean>;
  closeRecovery(): Promise<void>;
}

/** Checks one typed share word against the word list; null when main cannot say. */
export async function checkShareWord(input: string): Promise<WordCheck | null> {
  const r = await callKeyrite((api) => api.checkShareWord({ input }));
  return r.ok ? r.value : null;
}

export const createRecoverySlice: SliceCreator<RecoverySlice> = (set, get, request) => {
  const SESSION = { busy: 'recoveryBusy', error: 'recoveryError', clearErrorOnSend: true } as const;
  return {
    recoveryView: null,
    recoveryBusy: false,
    recoveryError: null,
    acceptedShareCount: 0,
    shareTokens: null,
    shareTokensError: null,
    async loadShareTokens() {
      const { tokens, error } = tokenList(await callKeyrite((api) => api.listTokens()));
      set({ shareTokens: tokens, shareTokensError: error });
    },
    startRecovery: (backupFileName, backupText) => request((api) => api.startRecovery({ backupFileName, backupText }), {
      ...SESSION,
      onOk: (recoveryView) => ({ recoveryView, acceptedShareCount: 0 }),
    }),
    addRecoveryShare: (input) => request((api) => api.addRecoveryShare(input), {
      ...SESSION,
      onOk: (recoveryView) => ({ recoveryView, acceptedShareCount: get().acceptedShareCount + 1 }),
    }),
    async closeRecovery() {
      await request((api) => api.closeRecovery(), { ...SESSION, onOk: () => ({ recoveryView: null, acceptedShareCount: 0 }) });
    },
  };
};
