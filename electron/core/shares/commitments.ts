import { createHash, createHmac } from 'node:crypto';
import canonicalize from 'canonicalize';
import { fromHex, toHex } from './bytes';

// Domain-separated hashes: a commitment of one kind can never be replayed as another kind.
const WRAPPING_KEY_TAG = 'keyrite.backup.v1 wrapping-key-commitment';
const SHARE_TAG = 'keyrite.backup.v1 share-commitment';
const SPLIT_MAC_TAG = 'keyrite.backup.v1 split-mac-key';
const CEREMONY_TAG = 'keyrite.backup.v1 ceremony-tag';

function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256').update(tag, 'utf8').update(new Uint8Array([0]));
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * Commitment to the 256-bit wrapping key. The key is uniformly random, so its hash reveals nothing
 * useful; a rebuilt key is accepted only if it hashes to this value.
 */
export function wrappingKeyCommitment(key: Uint8Array): string {
  return toHex(taggedHash(WRAPPING_KEY_TAG, key));
}

/** Commitment to one share (y bytes then x), bound to its split so it cannot move between splits. */
export function shareCommitment(splitId: string, share: Uint8Array): string {
  return toHex(taggedHash(SHARE_TAG, fromHex(splitId), share));
}

/** The short public fingerprint of a share: the first 48 bits of its commitment, in three groups. */
export function fingerprintFromCommitment(commitment: string): string {
  return `${commitment.slice(0, 4)}-${commitment.slice(4, 8)}-${commitment.slice(8, 12)}`;
}

/** 4-byte tag of a ceremony id carried in every envelope so shares of other backups are refused. */
export function ceremonyTag(ceremonyId: string): string {
  return toHex(taggedHash(CEREMONY_TAG, new TextEncoder().encode(ceremonyId)).subarray(0, 4));
}

/**
 * MAC over the split section, keyed from the wrapping key: whoever rebuilt the key (k custodians)
 * can tell whether the custodian list and commitments are the ones written at split time.
 */
export function splitMac(wrappingKey: Uint8Array, split: unknown): string {
  const macKey = createHmac('sha256', wrappingKey).update(SPLIT_MAC_TAG, 'utf8').digest();
  try {
    const canonical = canonicalize(split);
    if (canonical === undefined) throw new Error('split section cannot be canonicalised');
    return createHmac('sha256', macKey).update(canonical, 'utf8').digest('hex');
  } finally {
    macKey.fill(0);
  }
}
