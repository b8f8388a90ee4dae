/**
 * Mirror of a recovery session held by main: shares go in one at a time and main answers with the
 * session view (k of n) or the reason the share was refused. Share words are never kept here: the
 * entry form owns them until submit and clears them after.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RecoveryView, ShareInput, WordCheck } from '../../../electron/contract/ceremony';
import type { ErrorData, KeyriteApi, Res, Result } from '../../../electron/contract/index';

type SlotView = Res<'tokens/list'>[number];

export type RecoveryApi = Pick<KeyriteApi, 'startRecovery' | 'addRecoveryShare' | 'checkShareWord' | 'closeRecovery' | 'listTokens'>;

/** A token a custodian can pick to open a share held on it. */
export interface TokenChoice {
  serial: string;
  label: string;
  description: string;
  /** The PKCS#11 module that lists it, where the app has card modules besides the token module. */
  module?: string;
}

/** How a token is offered in a list: its label and serial, and its module where there are several. */
export function tokenOptionText(t: TokenChoice): string {
  return `${t.label} (serial ${t.serial})${t.module ? ` · ${t.module}` : ''}`;
}

export interface RecoveryState {
  view: RecoveryView | null;
  busy: boolean;
  /** Why the last backup file or share was refused. */
  error: ErrorData | null;
  /** Bumped on every accepted share, so the entry form knows to clear itself. */
  acceptedCount: number;
  /** Tokens present now, for a share held on a custodian's token; null until listed. */
  tokens: TokenChoice[] | null;
  /** Why the token list could not be read. */
  tokensError: ErrorData | null;
  loadTokens(): Promise<void>;
  start(backupFileName: string, backupText: string): Promise<boolean>;
  addShare(input: ShareInput): Promise<boolean>;
  checkWord(input: string): Promise<WordCheck | null>;
  close(): Promise<void>;
  clearError(): void;
}

export type RecoveryStore = StoreApi<RecoveryState>;

function ipcFailed(e: unknown): ErrorData {
  return { code: 'IPC_FAILED', message: `The request did not reach Keyrite's core: ${e instanceof Error ? e.message : String(e)}`, action: 'Try again; if it keeps failing, restart Keyrite.' };
}

export function tokenChoices(slots: readonly SlotView[]): TokenChoice[] {
  const out: TokenChoice[] = [];
  for (const s of slots) {
    if (s.tokenPresent && s.token && s.token.flags.tokenInitialized) out.push({ serial: s.token.serial, label: s.token.label, description: s.description, ...(s.module ? { module: s.module } : {}) });
  }
  return out;
}

export function createRecoveryStore(api: RecoveryApi): RecoveryStore {
  return createStore<RecoveryState>()((set) => {
    async function call<T>(fn: () => Promise<Result<T>>, onOk: (v: T) => void): Promise<boolean> {
      set({ busy: true, error: null });
      const r = await fn().catch((e: unknown) => ({ ok: false as const, error: ipcFailed(e) }));
      if (r.ok) {
        onOk(r.value);
        set({ busy: false });
        return true;
      }
      set({ busy: false, error: r.error });
      return false;
    }
    return {
      view: null,
      busy: false,
      error: null,
      acceptedCount: 0,
      tokens: null,
      tokensError: null,
      async loadTokens() {
        const r = await api.listTokens().catch((e: unknown) => ({ ok: false as const, error: ipcFailed(e) }));
        if (r.ok) set({ tokens: tokenChoices(r.value), tokensError: null });
        else set({ tokens: [], tokensError: r.error });
      },
      start: (backupFileName, backupText) => call(() => api.startRecovery({ backupFileName, backupText }), (view) => set({ view, acceptedCount: 0 })),
      addShare: (input) => call(() => api.addRecoveryShare(input), (view) => set((s) => ({ view, acceptedCount: s.acceptedCount + 1 }))),
      async checkWord(input) {
        const r = await api.checkShareWord({ input }).catch(() => null);
        return r?.ok ? r.value : null;
      },
      async close() {
        await call(() => api.closeRecovery(), () => set({ view: null, acceptedCount: 0 }));
      },
      clearError: () => set({ error: null }),
    };
  });
}
