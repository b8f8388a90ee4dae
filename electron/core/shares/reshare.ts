import type { BackupFile } from './backup-file';
import type { ShareEnvelope } from './envelope';
import { splitWrappingKey } from './split';
import { withRebuiltKey, type RecoverySession } from './recovery';

export interface ReshareOptions {
  k: number;
  custodians: string[];
  /** The reshare ceremony's id, recorded as the maker of the new split and the voider of the old. */
  ceremonyId: string;
  now?: Date;
}

/**
 * k old shares (already entered and checked in `session`) -> a new k'-of-n' split of the SAME
 * wrapping key for new custodians. The key and the root-signed `sealed` section do not change, so
 * the root key's signature stays valid and no token is needed. The new split lists the old split id
 * as void; shares of a void split are refused by name from then on. (The old shares still hold the
 * same key mathematically: voiding is enforced by destroying them, which the transcript records.)
 */
export async function reshare(session: RecoverySession, opts: ReshareOptions): Promise<{ backup: BackupFile; shares: ShareEnvelope[] }> {
  const old = session.backup;
  return withRebuiltKey(session, async (key) => {
    const at = (opts.now ?? new Date()).toISOString();
    const { split, splitMac, shares } = await splitWrappingKey(key, {
      k: opts.k,
      custodians: opts.custodians,
      ceremonyTag: old.split.ceremonyTag,
      madeBy: opts.ceremonyId,
      voids: [...old.split.voids, { splitId: old.split.id, voidedBy: opts.ceremonyId, at }],
      ...(opts.now ? { now: opts.now } : {}),
    });
    return { backup: { ...old, split, splitMac }, shares };
  });
}
