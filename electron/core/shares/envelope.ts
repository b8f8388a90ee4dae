import { createHash } from 'node:crypto';
import { shareError } from './errors';
import { bytesEqual, isHex, toHex, fromHex } from './bytes';
import { fingerprintFromCommitment, shareCommitment } from './commitments';

/**
 * Keyrite's share envelope, version 1. Binary layout (48 bytes):
 *
 *   0      version (1)
 *   1..4   ceremony tag (ceremonyTag(ceremonyId))
 *   5..8   split id (random per split)
 *   9      k (threshold)
 *   10     n (number of shares)
 *   11..43 share: 32 y bytes then the x byte (shamir-secret-sharing's layout)
 *   44..47 checksum: first 4 bytes of SHA-256 over bytes 0..43
 *
 * The checksum catches damage in any channel (QR, file, token); the word encoding adds its own
 * locating check on top.
 */
export const ENVELOPE_VERSION = 1;
export const SHARE_SECRET_BYTES = 32;
export const SHARE_BYTES = SHARE_SECRET_BYTES + 1;
export const ENVELOPE_BYTES = 11 + SHARE_BYTES + 4;

export interface ShareEnvelope {
  version: 1;
  /** 8 hex characters: ceremonyTag of the backup's ceremony id. */
  ceremonyTag: string;
  /** 8 hex characters, random per split. */
  splitId: string;
  k: number;
  n: number;
  /** The share's x coordinate (its last byte), 1..255. */
  x: number;
  /** shamir-secret-sharing share: 32 y bytes then x. Secret: only the custodian sees it. */
  share: Uint8Array;
}

function checksum(body: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(body).digest().subarray(0, 4));
}

export function makeEnvelope(fields: { ceremonyTag: string; splitId: string; k: number; n: number; share: Uint8Array }): ShareEnvelope {
  const { ceremonyTag, splitId, k, n, share } = fields;
  if (!isHex(ceremonyTag, 4) || !isHex(splitId, 4)) {
    throw shareError('SHARE_PARAMS_INVALID', 'Ceremony tag and split id must each be 4 bytes of lowercase hex.', 'This is a bug in Keyrite; report it.');
  }
  if (share.length !== SHARE_BYTES || share[SHARE_BYTES - 1] === 0) {
    throw shareError('SHARE_PARAMS_INVALID', `A share must be ${SHARE_BYTES} bytes with a non-zero x.`, 'This is a bug in Keyrite; report it.');
  }
  return { version: 1, ceremonyTag, splitId, k, n, x: share[SHARE_BYTES - 1] ?? 0, share: new Uint8Array(share) };
}

export function encodeEnvelope(e: ShareEnvelope): Uint8Array {
  const byte = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
  if (e.version !== ENVELOPE_VERSION || !isHex(e.ceremonyTag, 4) || !isHex(e.splitId, 4) || !byte(e.k) || !byte(e.n)
    || !(e.share instanceof Uint8Array) || e.share.length !== SHARE_BYTES) {
    throw shareError('SHARE_FORMAT', 'The share object is malformed.', 'Enter the share again from its sheet or file.');
  }
  const out = new Uint8Array(ENVELOPE_BYTES);
  out[0] = e.version;
  out.set(fromHex(e.ceremonyTag), 1);
  out.set(fromHex(e.splitId), 5);
  out[9] = e.k;
  out[10] = e.n;
  out.set(e.share, 11);
  out.set(checksum(out.subarray(0, 44)), 44);
  return out;
}

const FORMAT_ACTION = 'Check that this is a Keyrite backup share and that it was copied in full.';

/** Parses envelope bytes; any defect is a typed error saying which part is wrong. */
export function decodeEnvelope(bytes: Uint8Array): ShareEnvelope {
  if (bytes.length === 0) throw shareError('SHARE_EMPTY', 'The share is empty.', FORMAT_ACTION);
  if (bytes[0] !== ENVELOPE_VERSION) {
    throw shareError('SHARE_VERSION', `This share has envelope version ${bytes[0] ?? '?'}; this Keyrite reads version ${ENVELOPE_VERSION}.`, 'Use the Keyrite version that made the backup, or check the share was copied correctly.', { version: bytes[0] });
  }
  if (bytes.length !== ENVELOPE_BYTES) {
    throw shareError('SHARE_FORMAT', `A share envelope is ${ENVELOPE_BYTES} bytes; this one is ${bytes.length}.`, FORMAT_ACTION, { length: bytes.length });
  }
  if (!bytesEqual(checksum(bytes.subarray(0, 44)), bytes.subarray(44, 48))) {
    throw shareError('SHARE_CHECKSUM', 'The share\'s checksum does not match: it was damaged or mistyped.', 'Re-read the share from its original sheet or file.');
  }
  const k = bytes[9] ?? 0;
  const n = bytes[10] ?? 0;
  const x = bytes[11 + SHARE_BYTES - 1] ?? 0;
  if (k < 2 || n < k || x === 0) {
    throw shareError('SHARE_FORMAT', `The share's header is impossible (k=${k}, n=${n}, x=${x}).`, FORMAT_ACTION, { k, n, x });
  }
  return {
    version: 1,
    ceremonyTag: toHex(bytes.subarray(1, 5)),
    splitId: toHex(bytes.subarray(5, 9)),
    k,
    n,
    x,
    share: new Uint8Array(bytes.subarray(11, 11 + SHARE_BYTES)),
  };
}

/** Short public fingerprint for the share sheet and the transcript (reveals nothing of the share). */
export function shareFingerprint(e: ShareEnvelope): string {
  return fingerprintFromCommitment(shareCommitment(e.splitId, e.share));
}
