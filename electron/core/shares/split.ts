import { randomBytes } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { shareError } from './errors';
import { bytesEqual, toHex, zero } from './bytes';
import { fingerprintFromCommitment, shareCommitment, splitMac } from './commitments';
import { makeEnvelope, SHARE_SECRET_BYTES, type ShareEnvelope } from './envelope';
import type { BackupSplit } from './backup-file';

export interface SplitParams {
  k: number;
  custodians: string[];
}

/** 2 <= k <= n <= 255, one distinct non-empty name per share. */
export function checkSplitParams({ k, custodians }: SplitParams): void {
  const n = custodians.length;
  const action = 'Choose 2 <= k <= n <= 255 and one distinct custodian name per share.';
  if (!Number.isInteger(k) || k < 2) {
    throw shareError('SHARE_PARAMS_INVALID', `Threshold k=${k} is refused: with k=1 any one custodian alone could restore the key.`, action, { k });
  }
  if (n < k || n > 255) throw shareError('SHARE_PARAMS_INVALID', `n=${n} shares with threshold k=${k} is not possible.`, action, { k, n });
  const names = custodians.map((c) => c.trim());
  if (names.some((c) => c.length === 0 || c.length > 200)) throw shareError('SHARE_PARAMS_INVALID', 'Every custodian needs a name (1 to 200 characters).', action);
  if (new Set(names).size !== n) throw shareError('SHARE_PARAMS_INVALID', 'Custodian names must be distinct: a person holds at most one share.', action);
}

/**
 * Splits the wrapping key k-of-n, records a commitment per share, and checks that the first k
 * shares combine back to the key before anything is handed out.
 */
export async function splitWrappingKey(
  wrappingKey: Uint8Array,
  opts: SplitParams & { ceremonyTag: string; madeBy: string; voids: BackupSplit['voids']; now?: Date },
): Promise<{ split: BackupSplit; splitMac: string; shares: ShareEnvelope[] }> {
  checkSplitParams(opts);
  if (wrappingKey.length !== SHARE_SECRET_BYTES) {
    throw shareError('BACKUP_WRAPPING_KEY_INVALID', `The wrapping key is ${wrappingKey.length} bytes; AES-256 needs ${SHARE_SECRET_BYTES}.`, 'This is a bug in Keyrite or the token; report it.');
  }
  const n = opts.custodians.length;
  const splitId = toHex(new Uint8Array(randomBytes(4)));
  // shamir-secret-sharing refuses a Buffer (it checks the constructor), hence the copy.
  const secret = new Uint8Array(wrappingKey);
  let raw: Uint8Array[] = [];
  try {
    raw = await split(secret, n, opts.k);
    // Every share, not only the first k: a share's commitment is made from the share as it is, so a
    // share the library spoiled would pass its custodian's check and fail only at a recovery. Each
    // k-subset here holds the first k-1 shares and one more, so every share is in one of them.
    for (let last = opts.k - 1; last < n; last++) {
      const check = await combine([...raw.slice(0, opts.k - 1), raw[last] as Uint8Array]);
      const same = bytesEqual(check, secret);
      zero(check);
      if (!same) throw shareError('SHARE_COMBINE_FAILED', 'The new shares do not rebuild the wrapping key.', 'This is a bug; report it. Nothing was handed out.');
    }
    const shares = raw.map((s) => makeEnvelope({ ceremonyTag: opts.ceremonyTag, splitId, k: opts.k, n, share: s }));
    const split_: BackupSplit = {
      id: splitId,
      ceremonyTag: opts.ceremonyTag,
      madeBy: opts.madeBy,
      createdAt: (opts.now ?? new Date()).toISOString(),
      scheme: 'shamir-secret-sharing-gf256',
      k: opts.k,
      n,
      shares: shares.map((e, i) => {
        const commitment = shareCommitment(splitId, e.share);
        return { index: i + 1, custodian: opts.custodians[i]?.trim() ?? '', x: e.x, commitment, fingerprint: fingerprintFromCommitment(commitment) };
      }),
      voids: opts.voids,
    };
    return { split: split_, splitMac: splitMac(secret, split_), shares };
  } finally {
    zero(secret, ...raw);
  }
}
