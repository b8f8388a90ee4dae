/**
 * Key backup as Shamir shares: backup file, share envelope, encodings (words, QR, age, token),
 * verification, recovery and reshare. See docs/SHARES.md.
 */
export { createBackup, type CreateBackupOptions, type CreatedBackup } from './backup';
export {
  parseBackupFile, serializeBackupFile, verifyBackupFile, backupTranscriptData, backupSignatureScheme, verifyWithSpki,
  type BackupFile, type BackupSealed, type BackupSplit, type ShareRecord,
} from './backup-file';
export { encodeEnvelope, decodeEnvelope, shareFingerprint, ENVELOPE_BYTES, type ShareEnvelope } from './envelope';
export { encodeShareWords, decodeShareWords, correctSingleWord, wordsFromText, lookupWord, SHARE_WORDS } from './words';
export { shareQrPayload, decodeQrPayload, renderShareQrSvg, renderShareQrPngDataUrl } from './qr';
export { encryptShareToPassphrase, decryptAgeShare, isAgeArmored } from './age-file';
export { encryptShareToTokenKey, encryptShareForCard, openTokenShare, openTokenShareOnToken, findRecipientKey, parseTokenShareFile, isTokenShareFile, type TokenShareFile } from './token-file';
export { isP256TagAgeFile, p256TagRecipient } from './age-p256tag';
export {
  encryptShareToRecipient, decryptRecipientShare, isAgeRecipientFile, ageFileRecipientKind, parseAgeRecipient, isPostQuantum, describeRecipientKind,
  AGE_RECIPIENT_KINDS, type AgeRecipientKind, type SealedToRecipient,
} from './age-recipient';
export { formatShareSheet, type ShareSheetInfo } from './sheet';
export { decodeShareInput, verifyShareAgainstBackup, type ShareInput, type VerifiedShare } from './share-input';
export { RecoverySession, type RecoveryProgress, type RecoverIntoOptions, type RecoveredKey } from './recovery';
export { reshare, type ReshareOptions } from './reshare';
export { checkSplitParams } from './split';
export type { ShareErrorCode } from './errors';
