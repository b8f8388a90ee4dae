/**
 * createBackup against a software token (soft-token.ts): the file it writes is signed by the root
 * key with the scheme of its algorithm, its wrapped key unwraps to the root key with the key k
 * shares rebuild, the wrapping key never stays on the token, a redone backup lists its void splits,
 * and every way the token can misbehave is a typed error.
 */
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../electron/core/shares/backup';
import { backupTranscriptData, parseBackupFile, serializeBackupFile, verifyBackupFile, type BackupFile } from '../../../electron/core/shares/backup-file';
import { ceremonyTag, wrappingKeyCommitment } from '../../../electron/core/shares/commitments';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import type { KeyAlgorithm, SecretKeySpec } from '../../../electron/core/token/types';
import { aesKeyUnwrapPad, SoftToken } from './soft-token';

const CUSTODIANS = ['alice', 'bob', 'carol'];
const NOW = new Date('2026-11-28T10:11:12.000Z');
const VOIDS = [{ splitId: '0a0b0c0d', voidedBy: 'rehearsal-1', at: '2026-11-28T09:00:00.000Z' }];

async function backupOn(algorithm: KeyAlgorithm, extra: { now?: Date; voids?: BackupFile['split']['voids'] } = {}, faults: SoftToken['faults'] = {}) {
  const t = new SoftToken();
  const root = t.addKeyPair(algorithm);
  t.faults = faults;
  const run = createBackup(t.api(), 'S', { ceremonyId: 'ceremony-1', rootKey: root.ref, algorithm, spki: root.spki, k: 2, custodians: CUSTODIANS, ...extra });
  return { t, root, run };
}

describe('createBackup', () => {
  it('writes a signed backup whose wrapped key unwraps, with the key 2 shares rebuild, to the root key', async () => {
    const { root, run } = await backupOn('ec-p384', { now: NOW, voids: VOIDS });
    const { backup, shares } = await run;
    expect(verifyBackupFile(backup)).toEqual({ scheme: 'ecdsa-sha384' });
    expect(parseBackupFile(serializeBackupFile(backup))).toEqual(backup);
    expect(backup.sealed).toMatchObject({
      ceremonyId: 'ceremony-1',
      createdAt: NOW.toISOString(),
      key: { label: 'root', id: root.ref.id, algorithm: 'ec-p384', spki: Buffer.from(root.spki).toString('base64') },
      wrapping: { mechanism: 'CKM_AES_KEY_WRAP_PAD', keyBits: 256 },
    });
    expect(backup.split).toMatchObject({ k: 2, n: 3, madeBy: 'ceremony-1', ceremonyTag: ceremonyTag('ceremony-1'), createdAt: NOW.toISOString() });
    expect(shares).toHaveLength(3);

    const s = new RecoverySession(backup);
    s.add({ envelope: shares[2]! });
    s.add({ envelope: shares[0]! });
    const pkcs8 = await withRebuiltKey(s, async (key) => {
      expect(wrappingKeyCommitment(key)).toBe(backup.sealed.wrapping.keyCommitment);
      return aesKeyUnwrapPad(key, Buffer.from(backup.sealed.wrapping.wrappedKey, 'base64'));
    });
    expect(Buffer.from(pkcs8)).toEqual(root.privateKey.export({ type: 'pkcs8', format: 'der' }));
  });

  it('makes the wrapping key a readable session object, reads it once and destroys it', async () => {
    const { t, run } = await backupOn('ec-p256');
    await run;
    expect(t.live('secret')).toEqual([]);
    expect(t.destroyed).toHaveLength(1);
    const spec = t.destroyed[0]?.spec as SecretKeySpec;
    expect(spec).toMatchObject({ onToken: false, extractable: true });
    expect(spec.label).toMatch(/^keyrite-backup-wrap-[0-9a-f]{8}$/);
    expect(spec.id).toMatch(/^[0-9a-f]{16}$/);
    expect(t.calls.filter((c) => c === 'readSecretValue')).toHaveLength(1);
    expect(t.calls.indexOf('wrapKey')).toBeLessThan(t.calls.indexOf('readSecretValue'));
  });

  it('a redone backup lists the void splits it was given, in the file and in the transcript data', async () => {
    const { run } = await backupOn('ec-p256', { voids: VOIDS });
    const { backup } = await run;
    expect(backup.split.voids).toEqual(VOIDS);
    expect(backupTranscriptData(backup).voidSplits).toEqual(['0a0b0c0d']);
    const first = await (await backupOn('ec-p256')).run;
    expect(first.backup.split.voids).toEqual([]);
    expect(backupTranscriptData(first.backup).voidSplits).toEqual([]);
  });

  it('dates the backup now when no time is given', async () => {
    const before = Date.now();
    const { backup } = await (await backupOn('ec-p256')).run;
    const after = Date.now();
    for (const at of [backup.sealed.createdAt, backup.split.createdAt]) {
      expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(at)).toBeLessThanOrEqual(after);
    }
  });

  it.each([
    ['ec-p256', 'ecdsa-sha256'],
    ['ec-p521', 'ecdsa-sha512'],
    ['ed25519', 'ed25519'],
    ['rsa-3072', 'rsa-pkcs1-sha256'],
  ] as const)('signs a %s key with %s', async (algorithm, scheme) => {
    const { t, run } = await backupOn(algorithm);
    const { backup } = await run;
    expect(backup.signature.scheme).toBe(scheme);
    expect(verifyBackupFile(backup)).toEqual({ scheme });
    expect(t.calls).toContain(`sign:${scheme}`);
  });

  it('refuses bad split parameters before touching the token', async () => {
    const t = new SoftToken();
    const root = t.addKeyPair('ec-p256');
    await expect(createBackup(t.api(), 'S', { ceremonyId: 'c', rootKey: root.ref, algorithm: 'ec-p256', spki: root.spki, k: 4, custodians: CUSTODIANS })).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID' });
    expect(t.calls).toEqual([]);
  });

  it('a wrapping key that is not 32 bytes is BACKUP_WRAPPING_KEY_INVALID, and the key is destroyed once', async () => {
    const { t, run } = await backupOn('ec-p256', {}, { secretBytes: 16 });
    await expect(run).rejects.toMatchObject({ code: 'BACKUP_WRAPPING_KEY_INVALID', message: expect.stringContaining('16-byte'), action: expect.stringContaining('AES-256') });
    expect(t.live('secret')).toEqual([]);
    expect(t.calls.filter((c) => c === 'destroy:secret')).toHaveLength(1);
  });

  it('a token that cannot wrap leaves no wrapping key behind', async () => {
    const { t, run } = await backupOn('ec-p256', {}, { wrapFails: true });
    await expect(run).rejects.toThrow('CKR_KEY_NOT_WRAPPABLE');
    expect(t.live('secret')).toEqual([]);
    expect(t.destroyed).toHaveLength(1);
  });

  it('a wrapped key shorter than 16 bytes is BACKUP_FORMAT; 16 bytes pass', async () => {
    const short = await backupOn('ec-p256', {}, { wrappedLength: 15 });
    await expect(short.run).rejects.toMatchObject({ code: 'BACKUP_FORMAT', message: expect.stringContaining('too short'), action: expect.stringContaining('CKM_AES_KEY_WRAP_PAD') });
    expect(short.t.live('secret')).toEqual([]);
    const edge = await backupOn('ec-p256', {}, { wrappedLength: 16 });
    expect((await edge.run).backup.sealed.wrapping.wrappedKey).toBe(Buffer.alloc(16).toString('base64'));
  });

  it('a signature that does not verify with the root key is BACKUP_SIGNATURE_INVALID', async () => {
    const { t, run } = await backupOn('ec-p256', {}, { badSignature: true });
    await expect(run).rejects.toMatchObject({ code: 'BACKUP_SIGNATURE_INVALID' });
    expect(t.live('secret')).toEqual([]);
  });
});
