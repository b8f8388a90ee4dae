/**
 * The one place a share's words live in the renderer, and only while its custodian holds the show
 * button. `hide()` drops them; a reply that arrives after the button was released is thrown away
 * unseen, so a quick tap never leaves a share on screen.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RevealedShare } from '../../../electron/contract/ceremony';
import type { ErrorData, KeyriteApi } from '../../../electron/contract/index';

export type ShareApi = Pick<KeyriteApi, 'revealShare'>;

export interface ShareState {
  share: RevealedShare | null;
  /** True from press until release, even before the words arrive. */
  holding: boolean;
  error: ErrorData | null;
  reveal(custodian: string): Promise<void>;
  hide(): void;
}

export type ShareStore = StoreApi<ShareState>;

export function createShareStore(api: ShareApi): ShareStore {
  // Each press gets a number; only the reply to the press still held may be shown.
  let press = 0;
  return createStore<ShareState>()((set) => ({
    share: null,
    holding: false,
    error: null,
    async reveal(custodian) {
      const mine = ++press;
      set({ holding: true, error: null });
      const r = await api.revealShare({ custodian }).catch((e: unknown) => ({ ok: false as const, error: { code: 'IPC_FAILED', message: String(e) } }));
      if (mine !== press) return;
      if (r.ok) set({ share: r.value });
      else set({ error: r.error, holding: false });
    },
    hide() {
      press++;
      set({ share: null, holding: false });
    },
  }));
}
