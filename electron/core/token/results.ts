/**
 * What two token calls answer beyond a plain value: lockKey's report of each attribute it tried,
 * and signMany's details when an item of a batch fails. Plain data, as all of types.ts.
 */

export type LockAttribute = 'CKA_EXTRACTABLE' | 'CKA_COPYABLE' | 'CKA_MODIFIABLE';

/** What lockKey did to one attribute: cleared it, found it already FALSE, or was refused (with the CKR). */
export interface LockStep {
  attribute: LockAttribute;
  outcome: 'set' | 'already' | 'refused' | 'unsupported';
  ckr?: string;
}

/** lockKey's answer: each attribute tried, in order, and the values read back strictly afterwards. */
export interface KeyLockResult {
  steps: LockStep[];
  extractable: boolean;
  /** null when the token does not know the attribute. */
  copyable: boolean | null;
  modifiable: boolean | null;
}

/** The details of a SIGN_BATCH_ITEM_FAILED error from signMany. */
export interface SignBatchFailure {
  /** The item that failed (0-based). */
  index: number;
  /** How many messages the batch had. */
  total: number;
  /** Signatures of items 0..index-1, in order: made by the token and valid. */
  signed: Uint8Array[];
  /** The failing item's own error (e.g. { code: 'SESSION_INVALID', details: { ckr } }). */
  cause: { code: string; message: string; action?: string; details?: Record<string, unknown> };
  /** Copied from the cause when the token gave them. */
  ckr?: string;
  function?: string;
  outcomeUnknown?: boolean;
}
