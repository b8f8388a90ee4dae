/**
 * What the recovery screens show: the shares accepted so far against a backup file, and the check
 * of one typed share word. Types only.
 */
import type { StepFact } from './ceremony-views';

/** Result of checking one typed word (or prefix) against the share word list. */
export interface WordCheck {
  /** The full word, when the input is a full word or an unambiguous prefix of at least 4 letters. */
  word: string | null;
  /** Up to a few completions for a shorter prefix. */
  suggestions: string[];
  /** True when no list word starts with the input. */
  unknown: boolean;
}

export interface RecoveryShareView {
  /** Order of entry (1-based). */
  ordinal: number;
  fingerprint: string;
  custodian: string | null;
  x: number;
}

export interface RecoveryView {
  sessionId: string;
  ceremonyId: string;
  keyLabel: string;
  k: number;
  n: number;
  /** Words in one share, so the entry form shows the right number of fields. */
  wordCount: number;
  accepted: RecoveryShareView[];
  /** True once k shares are in and the rebuilt key matches its commitment. */
  complete: boolean;
  /** Facts after completion: rebuilt key checked, restored key id... */
  facts: StepFact[];
}
