import { KeyriteError } from '../util/errors';

/**
 * Stable codes for everything that can be wrong with a share or a backup file. Each names one
 * problem a custodian or operator can act on; details carry positions (1-based word numbers), never
 * share bytes.
 */
export type ShareErrorCode =
  | 'SHARE_PARAMS_INVALID'
  | 'SHARE_EMPTY'
  | 'SHARE_FORMAT'
  | 'SHARE_VERSION'
  | 'SHARE_WORD_UNKNOWN'
  | 'SHARE_WORD_COUNT'
  | 'SHARE_CHECKSUM'
  | 'SHARE_QR_FORMAT'
  | 'SHARE_AGE_FORMAT'
  | 'SHARE_AGE_PASSPHRASE'
  | 'SHARE_AGE_IDENTITY'
  | 'SHARE_AGE_RECIPIENT_TYPE'
  | 'SHARE_TOKEN_FILE_FORMAT'
  | 'SHARE_TOKEN_DECRYPT_FAILED'
  | 'SHARE_WRONG_CEREMONY'
  | 'SHARE_WRONG_SPLIT'
  | 'SHARE_SPLIT_VOID'
  | 'SHARE_UNKNOWN'
  | 'SHARE_COMMITMENT_MISMATCH'
  | 'SHARE_DUPLICATE'
  | 'SHARE_TOO_FEW'
  | 'SHARE_BAD'
  | 'SHARE_COMBINE_FAILED'
  | 'BACKUP_FORMAT'
  | 'BACKUP_SIGNATURE_INVALID'
  | 'BACKUP_SPLIT_MAC_INVALID'
  | 'BACKUP_WRAPPING_KEY_INVALID'
  | 'RECOVERY_KEY_MISMATCH';

export function shareError(code: ShareErrorCode, message: string, action: string, details?: Record<string, unknown>): KeyriteError {
  return new KeyriteError(code, message, details === undefined ? { action } : { action, details });
}
