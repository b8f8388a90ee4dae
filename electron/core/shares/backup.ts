import { randomBytes } from 'node:crypto';
import type { KeyAlgorithm, KeyRef, SessionId, TokenApi } from '../token/types';
import { shareError } from './errors';
import { fromBase64, toBase64, toHex, zero } from './bytes';
import { ceremonyTag, wrappingKeyCommitment } from './commitments';
import { backupSignatureScheme, sealedSigningBytes, verifyBackupFile, type BackupFile, type BackupSealed } from './backup-file';
import { checkSplitParams, splitWrappingKey } from './split';
import type { ShareEnvelope } from './envelope';

export interface CreateBackupOptions {
  ceremonyId: string;
  /** The root private key (extractable for backup) on the token the session is logged in to. */
  rootKey: KeyRef;
  algorithm: KeyAlgorithm;
  /** The root key's SubjectPublicKeyInfo (DER), as exported at generation. */
  spki: Uint8Array;
  k: number;
  /** One name per share, in share order (n = custodians.length). */
  custodians: string[];
  now?: Date;
  /** Earlier splits of this key that an interruption voided: listed in the new split. */
  voids?: BackupFile['split']['voids'];
}

export interface CreatedBackup {
  backup: BackupFile;
  /** shares[i] belongs to custodians[i]; secret: hand each to its custodian only. */
  shares: ShareEnvelope[];
}

/**
 * Backs the root key up: a fresh AES-256 session key on the token wraps the private key
 * (CKM_AES_KEY_WRAP_PAD over PKCS#8); its value is read once, split k-of-n, committed to, and the
 * token object destroyed; the file is signed by the root key and the signature checked.
 */
export async function createBackup(token: TokenApi, session: SessionId, opts: CreateBackupOptions): Promise<CreatedBackup> {
  checkSplitParams({ k: opts.k, custodians: opts.custodians });
  const wrapRef = await token.generateSecretKey(session, {
    label: `keyrite-backup-wrap-${toHex(new Uint8Array(randomBytes(4)))}`,
    id: toHex(new Uint8Array(randomBytes(8))),
    onToken: false,
    extractable: true,
  });
  let value: Uint8Array | undefined;
  let destroyed = false;
  try {
    const wrapped = await token.wrapKey(session, wrapRef, opts.rootKey);
    value = await token.readSecretValue(session, wrapRef);
    await token.destroyObject(session, wrapRef, 'secret');
    destroyed = true;
    if (value.length !== 32) {
      throw shareError('BACKUP_WRAPPING_KEY_INVALID', `The token made a ${value.length}-byte wrapping key; AES-256 needs 32.`, 'Check the token supports AES-256 key generation.');
    }
    const sealed: BackupSealed = {
      ceremonyId: opts.ceremonyId,
      createdAt: (opts.now ?? new Date()).toISOString(),
      key: { label: opts.rootKey.label, id: opts.rootKey.id, algorithm: opts.algorithm, spki: toBase64(opts.spki) },
      wrapping: { mechanism: 'CKM_AES_KEY_WRAP_PAD', keyBits: 256, wrappedKey: toBase64(wrapped), keyCommitment: wrappingKeyCommitment(value) },
    };
    const { split, splitMac, shares } = await splitWrappingKey(value, {
      k: opts.k,
      custodians: opts.custodians,
      ceremonyTag: ceremonyTag(opts.ceremonyId),
      madeBy: opts.ceremonyId,
      voids: opts.voids ?? [],
      ...(opts.now ? { now: opts.now } : {}),
    });
    const scheme = backupSignatureScheme(opts.algorithm);
    const signature = await token.sign(session, opts.rootKey, scheme, sealedSigningBytes(sealed));
    const backup: BackupFile = { format: 'keyrite.backup', version: 1, sealed, signature: { scheme, value: toBase64(signature) }, split, splitMac };
    verifyBackupFile(backup);
    if (fromBase64(backup.sealed.wrapping.wrappedKey).length < 16) {
      throw shareError('BACKUP_FORMAT', 'The wrapped key returned by the token is too short.', 'Check the token supports CKM_AES_KEY_WRAP_PAD.');
    }
    return { backup, shares };
  } finally {
    zero(value);
    if (!destroyed) await token.destroyObject(session, wrapRef, 'secret').catch(() => undefined);
  }
}
