/**
 * Whether the new root carries enough signatures: a TUF client moving from the previous root to the
 * new one (specification 5.3.4) needs the previous root's root-role threshold of signatures by the
 * previous root's keys, and the new root's threshold by its own keys. Counted over the new root's
 * canonical bytes; a key counts once however many keyids name it (stricter than some clients).
 */
import { publicKeyFingerprint } from '../token/verify';
import type { JsonObject } from './canonical';
import { tufPublicKey, verifyTufSignature } from './keys';
import type { TufRoot, TufSignature } from './root-file';
import type { RootSigning } from './root-signing';

export interface RoleCount {
  /** Which root's root role this counts against. */
  root: 'previous' | 'new';
  version: number;
  threshold: number;
  /** The role's keyids whose signature on the new root verifies. */
  signedBy: string[];
  /** Signatures still needed (0 when met). */
  needed: number;
  met: boolean;
}

export interface ThresholdReport {
  /** Absent for a first root. */
  previous?: RoleCount;
  new: RoleCount;
  /** Both met: TUF clients will accept the new root. */
  met: boolean;
  /** Signatures present for a root key that do not verify (they count for nothing; remove or replace them). */
  invalid: string[];
}

function countRole(which: 'previous' | 'new', root: TufRoot, signatures: TufSignature[], data: Uint8Array, invalid: Set<string>): RoleCount {
  const signedBy: string[] = [];
  const keys = new Set<string>();
  for (const keyid of root.roles.root.keyids) {
    const sigs = signatures.filter((s) => s.keyid === keyid && s.sig !== '');
    const pub = tufPublicKey((root.signed.keys as JsonObject)[keyid]);
    if (sigs.length === 0 || !pub.ok) continue;
    if (!sigs.some((sig) => verifyTufSignature(pub, data, sig.sig))) {
      invalid.add(keyid);
      continue;
    }
    signedBy.push(keyid);
    keys.add(publicKeyFingerprint(pub.spki).sha256Hex);
  }
  const threshold = root.roles.root.threshold;
  const needed = Math.max(0, threshold - keys.size);
  return { root: which, version: root.version, threshold, signedBy, needed, met: needed === 0 };
}

/** Counts the signatures `next` carries (by default the prepared root's own) against both roots' root roles. */
export function rootThreshold(s: RootSigning, signatures: TufSignature[] = s.next.signatures): ThresholdReport {
  const invalid = new Set<string>();
  const own = countRole('new', s.next, signatures, s.signedBytes, invalid);
  const report: ThresholdReport = { new: own, met: own.met, invalid: [] };
  if (s.previous) {
    report.previous = countRole('previous', s.previous, signatures, s.signedBytes, invalid);
    report.met = own.met && report.previous.met;
  }
  report.invalid = [...invalid];
  return report;
}
