import { randomBytes } from 'node:crypto';
import { combine } from 'shamir-secret-sharing';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { shareError } from './errors';
import { fromBase64, toBase64, toHex, zero } from './bytes';
import { splitMac, wrappingKeyCommitment } from './commitments';
import { backupSignatureScheme, verifyWithSpki, type BackupFile } from './backup-file';
import { decodeShareInput, matchShareToBackup, type ShareInput, type VerifiedShare } from './share-input';
import type { ShareEnvelope } from './envelope';

export interface RecoveryProgress {
  have: number;
  need: number;
  complete: boolean;
}

export interface RecoverIntoOptions {
  label: string;
  /** CKA_ID (hex) for the restored key. */
  id: string;
  /** Keep the restored key extractable so it can be backed up again. */
  extractable: boolean;
}

export interface RecoveredKey {
  key: KeyRef;
  /** Proof that the restored key is the backed-up one: a fresh challenge signed on the token. */
  proof: { challenge: string; scheme: string; signature: string };
}

// The rebuilt key lives only here, reachable by this module and reshare (withRebuiltKey).
const rebuiltKeys = new WeakMap<RecoverySession, Uint8Array>();
const MAX_SUBSETS = 5000;

function* subsets<T>(items: readonly T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++) {
    acc.push(items[i] as T);
    yield* subsets(items, k, i + 1, acc);
    acc.pop();
  }
}

/**
 * Takes shares one at a time, checks each on entry, rebuilds the wrapping key once k are in, and
 * restores the root key into a token. Holds the rebuilt key in memory only until dispose().
 */
export class RecoverySession {
  readonly backup: BackupFile;
  private readonly entries: { record: VerifiedShare; envelope: ShareEnvelope }[] = [];

  constructor(backup: BackupFile) {
    this.backup = backup;
  }

  get progress(): RecoveryProgress {
    const have = this.entries.length;
    return { have, need: this.backup.split.k, complete: have >= this.backup.split.k };
  }

  get accepted(): VerifiedShare[] {
    return this.entries.map((e) => ({ ...e.record }));
  }

  /** Checks format, checksum, ceremony, split, commitment and duplicates; says whose share it is. */
  add(input: ShareInput): VerifiedShare {
    const envelope = decodeShareInput(input);
    const rec = matchShareToBackup(this.backup, envelope);
    if (this.entries.some((e) => e.envelope.x === envelope.x)) {
      throw shareError('SHARE_DUPLICATE', `${rec.custodian}'s share (#${rec.index}) was already entered.`, 'Each share counts once; ask the next custodian.', { index: rec.index, custodian: rec.custodian });
    }
    const record = { index: rec.index, custodian: rec.custodian, fingerprint: rec.fingerprint };
    this.entries.push({ record, envelope: { ...envelope, share: new Uint8Array(envelope.share) } });
    this.forgetKey();
    return { ...record };
  }

  /** Takes a share back out (e.g. the one named bad). */
  remove(index: number): void {
    const at = this.entries.findIndex((e) => e.record.index === index);
    if (at >= 0) {
      zero(this.entries[at]?.envelope.share);
      this.entries.splice(at, 1);
      this.forgetKey();
    }
  }

  /**
   * Rebuilds the wrapping key and checks it against its commitment. With more than k shares, every
   * share is checked against a k-subset that rebuilds the key, and any that does not fit is named.
   */
  async rebuild(): Promise<void> {
    if (rebuiltKeys.has(this)) return;
    const { k } = this.backup.split;
    if (this.entries.length < k) {
      throw shareError('SHARE_TOO_FEW', `${this.entries.length} of ${k} shares entered; ${k - this.entries.length} more needed.`, 'Ask the next custodian for their share.', { have: this.entries.length, need: k });
    }
    const commitment = this.backup.sealed.wrapping.keyCommitment;
    let good: { key: Uint8Array; members: Set<number> } | undefined;
    let tried = 0;
    for (const subset of subsets(this.entries, k)) {
      if (++tried > MAX_SUBSETS) break;
      const key = await combine(subset.map((e) => new Uint8Array(e.envelope.share)));
      if (wrappingKeyCommitment(key) === commitment) {
        good = { key, members: new Set(subset.map((e) => e.record.index)) };
        break;
      }
      zero(key);
    }
    if (!good) {
      throw shareError('SHARE_COMBINE_FAILED', `These ${this.entries.length} shares do not rebuild the wrapping key recorded in the backup.`, 'At least one share is wrong even though it matched its commitment: the backup file may have been altered. Try other shares or another copy of backup.json.');
    }
    const bad = await this.findMisfits(good);
    if (bad.length > 0) {
      zero(good.key);
      const names = bad.map((b) => `${b.custodian} (#${b.index})`).join(', ');
      throw shareError('SHARE_BAD', `Share ${names} does not fit with the others: it is not a share of this wrapping key.`, 'Remove that share and continue with the others; report it as possibly tampered with.', { bad: bad.map((b) => ({ index: b.index, custodian: b.custodian })) });
    }
    if (splitMac(good.key, this.backup.split) !== this.backup.splitMac) {
      zero(good.key);
      throw shareError('BACKUP_SPLIT_MAC_INVALID', 'The shares rebuild the key, but the backup file\'s custodian list or commitments were altered since the split.', 'Use another copy of backup.json; report this one.');
    }
    rebuiltKeys.set(this, good.key);
  }

  private async findMisfits(good: { key: Uint8Array; members: Set<number> }): Promise<VerifiedShare[]> {
    const base = this.entries.filter((e) => good.members.has(e.record.index));
    const bad: VerifiedShare[] = [];
    for (const e of this.entries) {
      if (good.members.has(e.record.index)) continue;
      // Swap it in for one known-good share: a genuine share still rebuilds the same key.
      const trial = [...base.slice(1), e].map((s) => new Uint8Array(s.envelope.share));
      const key = await combine(trial);
      if (wrappingKeyCommitment(key) !== wrappingKeyCommitment(good.key)) bad.push({ ...e.record });
      zero(key, ...trial);
    }
    return bad;
  }

  /**
   * Restores the root key into the token the session is logged in to: imports the wrapping key as
   * a session object, unwraps, proves the key by signing a fresh challenge and verifying it with the
   * recorded public key, and destroys the wrapping key object whatever happens.
   */
  async recoverInto(token: TokenApi, session: SessionId, opts: RecoverIntoOptions): Promise<RecoveredKey> {
    await this.rebuild();
    const key = rebuiltKeys.get(this);
    if (!key) throw shareError('SHARE_TOO_FEW', 'The wrapping key is not rebuilt.', 'Enter the shares again.');
    const value = new Uint8Array(key);
    const { sealed } = this.backup;
    let wrapRef: KeyRef | undefined;
    try {
      wrapRef = await token.importSecretKey(session, {
        label: `keyrite-recovery-wrap-${toHex(new Uint8Array(randomBytes(4)))}`,
        id: toHex(new Uint8Array(randomBytes(8))),
        onToken: false,
        extractable: false,
      }, value);
      const restored = await token.unwrapKey(session, wrapRef, fromBase64(sealed.wrapping.wrappedKey), {
        algorithm: sealed.key.algorithm,
        label: opts.label,
        id: opts.id,
        extractable: opts.extractable,
        publicKey: fromBase64(sealed.key.spki),
      });
      const scheme = backupSignatureScheme(sealed.key.algorithm);
      const challenge = new Uint8Array(randomBytes(32));
      const signature = await token.sign(session, restored, scheme, challenge);
      if (!verifyWithSpki(fromBase64(sealed.key.spki), scheme, challenge, signature)) {
        await token.destroyObject(session, restored, 'private').catch(() => undefined);
        await token.destroyObject(session, restored, 'public').catch(() => undefined);
        throw shareError('RECOVERY_KEY_MISMATCH', 'The restored key does not sign for the public key recorded in the backup; it was removed from the token.', 'Report this: the backup file and its wrapped key do not belong together.');
      }
      return { key: restored, proof: { challenge: toHex(challenge), scheme, signature: toBase64(signature) } };
    } finally {
      zero(value);
      if (wrapRef) await token.destroyObject(session, wrapRef, 'secret').catch(() => undefined);
    }
  }

  /** Zeroes the rebuilt key and the shares held. */
  dispose(): void {
    this.forgetKey();
    for (const e of this.entries) zero(e.envelope.share);
    this.entries.length = 0;
  }

  private forgetKey(): void {
    zero(rebuiltKeys.get(this));
    rebuiltKeys.delete(this);
  }
}

/** For reshare: runs fn with the rebuilt, checked wrapping key (a copy, zeroed afterwards). */
export async function withRebuiltKey<T>(s: RecoverySession, fn: (key: Uint8Array) => Promise<T>): Promise<T> {
  await s.rebuild();
  const k = rebuiltKeys.get(s);
  if (!k) throw shareError('SHARE_TOO_FEW', 'The wrapping key is not rebuilt.', 'Enter the shares again.');
  const copy = new Uint8Array(k);
  try {
    return await fn(copy);
  } finally {
    zero(copy);
  }
}
