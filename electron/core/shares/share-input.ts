import { shareError } from './errors';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';
import { decodeShareWords, wordsFromText } from './words';
import { decodeQrPayload, QR_PREFIX } from './qr';
import { decryptAgeShare, isAgeArmored } from './age-file';
import { isAgeRecipientFile } from './age-recipient';
import { isTokenShareFile, parseTokenShareFile } from './token-file';
import { shareCommitment } from './commitments';
import type { BackupFile, ShareRecord } from './backup-file';

/**
 * Ways a share can arrive. Encrypted forms (age, token) are opened first with decryptAgeShare or
 * openTokenShare, which give an envelope.
 */
export type ShareInput =
  | { envelope: ShareEnvelope }
  | { words: string | readonly string[] }
  | { qr: string }
  | { bytes: Uint8Array }
  /** Any text: a words sheet (typed or read from a file) or a QR payload; detected. */
  | { text: string };

/**
 * A share as a person enters it on a screen (the IPC contract's ShareInput): typed words, a scanned
 * QR, an age file with its passphrase, or a file encrypted to their own token key with that token's
 * serial and PIN (used for one login, never returned).
 */
export type EnteredShare =
  | { kind: 'words'; words: string[] }
  | { kind: 'qr'; text: string }
  | { kind: 'age-file'; fileName: string; content: string; passphrase: string }
  | { kind: 'token'; fileName: string; content: string; tokenSerial: string; pin: string };

/** Opens a token-encrypted share file on the custodian's token (one login, closed after). */
export type OpenShareOnToken = (tokenSerial: string, pin: string, content: string) => Promise<ShareEnvelope>;

/**
 * The one converter from an entered share to a ShareInput: an age file is opened with its
 * passphrase; a token file is checked first, then opened by `openOnToken` (the caller knows which
 * token client to use: the run's, or the app's modules).
 */
export async function enteredShareToInput(input: EnteredShare, openOnToken: OpenShareOnToken): Promise<ShareInput> {
  switch (input.kind) {
    case 'words': return { words: input.words };
    case 'qr': return { qr: input.text };
    case 'age-file': return { envelope: await decryptAgeShare(input.content, input.passphrase) };
    case 'token':
      parseTokenShareFile(input.content);
      return { envelope: await openOnToken(input.tokenSerial, input.pin, input.content) };
  }
}

/** An envelope object may have crossed a process boundary: re-encode it so every check runs again. */
function revalidate(e: ShareEnvelope): ShareEnvelope {
  let bytes: Uint8Array;
  try {
    bytes = encodeEnvelope(e);
  } catch {
    throw shareError('SHARE_FORMAT', 'The share object is malformed.', 'Enter the share again from its sheet or file.');
  }
  try {
    return decodeEnvelope(bytes);
  } finally {
    bytes.fill(0);
  }
}

export function decodeShareInput(input: ShareInput): ShareEnvelope {
  if ('envelope' in input) return revalidate(input.envelope);
  if ('bytes' in input) return decodeEnvelope(input.bytes);
  if ('qr' in input) return decodeQrPayload(input.qr);
  if ('words' in input) return decodeShareWords(typeof input.words === 'string' ? wordsFromText(input.words) : input.words);
  const text = input.text;
  if (text.trim().toUpperCase().startsWith(QR_PREFIX)) return decodeQrPayload(text);
  if (isAgeArmored(text)) {
    throw shareError('SHARE_FORMAT', 'This share is an age file; it must be opened with its passphrase first.', 'Give the custodian\'s passphrase (keyrite prompts for it, or use --passphrase-file).');
  }
  if (isAgeRecipientFile(text)) {
    throw shareError('SHARE_FORMAT', 'This share is an age file to the custodian\'s age recipient; it must be opened with their identity first.', 'Give the custodian\'s age identity file (keyrite recover --age-identity).');
  }
  if (isTokenShareFile(text)) {
    throw shareError('SHARE_FORMAT', 'This share is encrypted to a custodian\'s token key; it must be opened on that token.', 'Open it with the custodian\'s token and PIN.');
  }
  return decodeShareWords(wordsFromText(text));
}

/**
 * Checks an envelope against a backup file: ceremony, split (or a void one), header, and its
 * commitment; returns whose share it is.
 */
export function matchShareToBackup(backup: BackupFile, e: ShareEnvelope): ShareRecord {
  const split = backup.split;
  if (e.ceremonyTag !== split.ceremonyTag) {
    throw shareError('SHARE_WRONG_CEREMONY', `This share belongs to another ceremony's backup (tag ${e.ceremonyTag}; this backup is ${split.ceremonyTag}).`, 'Set this share aside: it is not a share of this key.', { ceremonyTag: e.ceremonyTag });
  }
  if (e.splitId !== split.id) {
    const voided = split.voids.find((v) => v.splitId === e.splitId);
    if (voided) {
      throw shareError('SHARE_SPLIT_VOID', `This share is from split ${e.splitId}, declared void by ${voided.voidedBy}; the current split is ${split.id}.`, 'This share must not be used; return it for destruction.', { splitId: e.splitId });
    }
    throw shareError('SHARE_WRONG_SPLIT', `This share is from split ${e.splitId}, not from this backup's split ${split.id}.`, 'Use the backup file that goes with this share, or the share made for this backup.', { splitId: e.splitId });
  }
  if (e.k !== split.k || e.n !== split.n) {
    throw shareError('SHARE_WRONG_SPLIT', `This share says ${e.k}-of-${e.n}; the backup is ${split.k}-of-${split.n}.`, 'The share or the backup file was altered; use the originals.', { k: e.k, n: e.n });
  }
  const record = split.shares.find((s) => s.x === e.x);
  if (!record) {
    throw shareError('SHARE_UNKNOWN', 'No custodian of this backup was given a share with this x coordinate.', 'The share was altered, or the backup file is not the one that goes with it.', { x: e.x });
  }
  if (shareCommitment(split.id, e.share) !== record.commitment) {
    throw shareError('SHARE_COMMITMENT_MISMATCH', `This share does not match the commitment recorded for ${record.custodian}'s share (#${record.index}).`, `Ask ${record.custodian} to read the share again from the original sheet or file.`, { index: record.index, custodian: record.custodian });
  }
  return record;
}

export interface VerifiedShare {
  index: number;
  custodian: string;
  fingerprint: string;
}

/** Verify after split (and before recovery): is this re-entered share right, and whose is it? */
export function verifyShareAgainstBackup(backup: BackupFile, input: ShareInput): VerifiedShare {
  const r = matchShareToBackup(backup, decodeShareInput(input));
  return { index: r.index, custodian: r.custodian, fingerprint: r.fingerprint };
}
