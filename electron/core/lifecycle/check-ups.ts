/** The share check-up entry (written by the check-up step, read by the verifier and the inventory). */
import type { JournalEntry } from '../transcript/entry-kinds';

export const SHARE_CHECKED_UP = 'share.checked-up';

export interface ShareCheckedUpData {
  custodian: string;
  ok: boolean;
  splitId: string;
  index?: number;
  fingerprint?: string;
  error?: { code: string; message: string };
}

/** The check-ups a transcript records, in order. */
export function checkUpsOf(entries: readonly JournalEntry[]): (ShareCheckedUpData & { seq: number })[] {
  return entries.filter((e) => e.kind === SHARE_CHECKED_UP).map((e) => ({ seq: e.seq, ...(e.data as ShareCheckedUpData) }));
}
