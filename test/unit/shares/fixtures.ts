import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ceremonyTag, wrappingKeyCommitment } from '../../../electron/core/shares/commitments';
import { splitWrappingKey } from '../../../electron/core/shares/split';
import { sealedSigningBytes, type BackupFile } from '../../../electron/core/shares/backup-file';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';

/**
 * A backup file's split built from a known wrapping key, without a token: enough for the recovery
 * session's checks. The sealed section is not signed here (signing is tested against SoftHSM2).
 */
export async function softBackup(opts: { ceremonyId?: string; k?: number; custodians?: string[] } = {}): Promise<{ backup: BackupFile; shares: ShareEnvelope[]; key: Uint8Array }> {
  const ceremonyId = opts.ceremonyId ?? 'rehearsal-2026-11-28';
  const key = new Uint8Array(randomBytes(32));
  const custodians = opts.custodians ?? ['alice', 'bob', 'carol', 'dave', 'erin'];
  const { split, splitMac, shares } = await splitWrappingKey(key, { k: opts.k ?? 3, custodians, ceremonyTag: ceremonyTag(ceremonyId), madeBy: ceremonyId, voids: [] });
  const backup: BackupFile = {
    format: 'keyrite.backup',
    version: 1,
    sealed: {
      ceremonyId,
      createdAt: new Date().toISOString(),
      key: { label: 'root', id: '01', algorithm: 'ec-p384', spki: '' },
      wrapping: { mechanism: 'CKM_AES_KEY_WRAP_PAD', keyBits: 256, wrappedKey: '', keyCommitment: wrappingKeyCommitment(key) },
    },
    signature: { scheme: 'ecdsa-sha384', value: '' },
    split,
    splitMac,
  };
  return { backup, shares, key };
}

/** softBackup's backup signed as the root key would sign it (a software P-384 key stands in), so verifyBackupFile accepts it. */
export function signBackup(backup: BackupFile): BackupFile {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  backup.sealed.key.spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  backup.signature = { scheme: 'ecdsa-sha384', value: sign('sha384', sealedSigningBytes(backup.sealed), { key: privateKey, dsaEncoding: 'der' }).toString('base64') };
  return backup;
}
