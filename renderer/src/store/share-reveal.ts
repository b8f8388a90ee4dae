/**
 * The one place a share's words live in the renderer, and only while its custodian holds the show
 * button. `hideShare()` drops them; a reply that arrives after the button was released is thrown
 * away unseen, so a quick tap never leaves a share on screen.
 */
import type { ErrorData, RevealedShare } from '../api';
import { callKeyrite } from './request';
import type { SliceCreator } from './slice';

export interface ShareRevealSlice {
  revealedShare: RevealedShare | null;
  /** True from press until release, even before the words arrive. */
  shareHeld: boolean;
  revealError: ErrorData | null;
  revealShare(custodian: string): Promise<void>;
  hideShare(): void;
}

export const createShareRevealSlice: SliceCreator<ShareRevealSlice> = (set) => {
  // Each press gets a number; only the reply to the press still held may be shown. The button
  // stays held after a reply, so this is not the busy/error shape `request` writes.
  let press = 0;
  return {
    revealedShare: null,
    shareHeld: false,
    revealError: null,
    async revealShare(custodian) {
      const mine = ++press;
      set({ shareHeld: true, revealError: null });
      const r = await callKeyrite((api) => api.revealShare({ custodian }));
      if (mine !== press) return;
      if (r.ok) set({ revealedShare: r.value });
      else set({ revealError: r.error, shareHeld: false });
    },
    hideShare() {
      press++;
      set({ revealedShare: null, shareHeld: false });
    },
  };
};
