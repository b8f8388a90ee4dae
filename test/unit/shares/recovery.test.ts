import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import { reshare } from '../../../electron/core/shares/reshare';
import { verifyShareAgainstBackup } from '../../../electron/core/shares/share-input';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { shareQrPayload } from '../../../electron/core/shares/qr';
import { makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { shareCommitment } from '../../../electron/core/shares/commitments';
import { checkSplitParams } from '../../../electron/core/shares/split';
import { KeyriteError } from '../../../electron/core/util/errors';
import { softBackup } from './fixtures';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';


async function rebuiltKey(s: RecoverySession): Promise<string> {
  return withRebuiltKey(s, async (k) => Buffer.from(k).toString('hex'));
}

describe('split parameters', () => {
  it('refuses k = 1, k > n, n > 255 and repeated custodians', () => {
    expect(thrown(() => checkSplitParams({ k: 1, custodians: ['a', 'b'] })).code).toBe('SHARE_PARAMS_INVALID');
    expect(thrown(() => checkSplitParams({ k: 3, custodians: ['a', 'b'] })).code).toBe('SHARE_PARAMS_INVALID');
    expect(thrown(() => checkSplitParams({ k: 2, custodians: Array.from({ length: 256 }, (_, i) => `c${i}`) })).code).toBe('SHARE_PARAMS_INVALID');
    expect(thrown(() => checkSplitParams({ k: 2, custodians: ['a', 'a'] })).code).toBe('SHARE_PARAMS_INVALID');
    expect(() => checkSplitParams({ k: 2, custodians: ['a', 'b'] })).not.toThrow();
  });
});

describe('verify after split', () => {
  it('says whose share a re-entered share is, in every encoding', async () => {
    const { backup, shares } = await softBackup();
    const e = shares[3] as ShareEnvelope;
    expect(verifyShareAgainstBackup(backup, { words: encodeShareWords(e) })).toEqual({ index: 4, custodian: 'dave', fingerprint: backup.split.shares[3]?.fingerprint });
    expect(verifyShareAgainstBackup(backup, { qr: shareQrPayload(e) }).custodian).toBe('dave');
  });
});

describe('recovery session', () => {
  it('rebuilds the wrapping key from every 3-subset of 5 shares', async () => {
    const { backup, shares, key } = await softBackup();
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) for (let c = b + 1; c < 5; c++) {
      const s = new RecoverySession(backup);
      for (const i of [a, b, c]) s.add({ words: encodeShareWords(shares[i] as ShareEnvelope) });
      expect(s.progress).toEqual({ have: 3, need: 3, complete: true });
      expect(await rebuiltKey(s)).toBe(Buffer.from(key).toString('hex'));
      s.dispose();
    }
  });

  it('refuses fewer than k, duplicates, other ceremonies and other splits, with the reason', async () => {
    const { backup, shares } = await softBackup();
    const other = await softBackup({ ceremonyId: 'another-ceremony' });
    const sameCeremonyOtherSplit = await softBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[0] as ShareEnvelope });
    const dup = thrown(() => s.add({ words: encodeShareWords(shares[0] as ShareEnvelope) }));
    expect(dup.code).toBe('SHARE_DUPLICATE');
    expect(dup.message).toContain('alice');
    expect(thrown(() => s.add({ envelope: other.shares[1] as ShareEnvelope })).code).toBe('SHARE_WRONG_CEREMONY');
    expect(thrown(() => s.add({ envelope: sameCeremonyOtherSplit.shares[1] as ShareEnvelope })).code).toBe('SHARE_WRONG_SPLIT');
    s.add({ envelope: shares[1] as ShareEnvelope });
    await expect(s.rebuild()).rejects.toMatchObject({ code: 'SHARE_TOO_FEW', details: { have: 2, need: 3 } });
  });

  it('refuses a share whose bytes differ from its commitment and names the custodian', async () => {
    const { backup, shares } = await softBackup();
    const e = shares[2] as ShareEnvelope;
    const share = new Uint8Array(e.share);
    share[5] = (share[5] ?? 0) ^ 1;
    const forged = makeEnvelope({ ...e, share });
    const err = thrown(() => new RecoverySession(backup).add({ envelope: forged }));
    expect(err.code).toBe('SHARE_COMMITMENT_MISMATCH');
    expect(err.details).toEqual({ index: 3, custodian: 'carol' });
  });

  it('with 4 shares for k = 3 and one corrupted in its words, the corrupted one is named on entry', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    for (const i of [0, 1, 3]) s.add({ envelope: shares[i] as ShareEnvelope });
    const words = encodeShareWords(shares[4] as ShareEnvelope);
    words[11] = words[11] === 'zoo' ? 'zone' : 'zoo';
    const err = thrown(() => s.add({ words }));
    expect(err.code).toBe('SHARE_CHECKSUM');
    expect(err.details?.wordIndex).toBe(12);
  });

  it('with 4 shares for k = 3 and one that matches its commitment but not the polynomial, names it', async () => {
    const { backup, shares } = await softBackup();
    // An altered backup file: erin's recorded commitment is replaced by one for a forged share.
    const y = new Uint8Array(randomBytes(33));
    y[32] = (shares[4] as ShareEnvelope).x;
    const forged = makeEnvelope({ ...(shares[4] as ShareEnvelope), share: y });
    const tampered = structuredClone(backup);
    const rec = tampered.split.shares[4];
    if (!rec) throw new Error('fixture');
    rec.commitment = shareCommitment(tampered.split.id, forged.share);
    const s = new RecoverySession(tampered);
    for (const e of [shares[0], forged, shares[1], shares[2]]) s.add({ envelope: e as ShareEnvelope });
    const err = await s.rebuild().then(() => undefined, (e: KeyriteError) => e);
    expect(err?.code).toBe('SHARE_BAD');
    expect(err?.details).toEqual({ bad: [{ index: 5, custodian: 'erin' }] });
    // Without it the key rebuilds, and the altered custodian list is caught by the split MAC.
    s.remove(5);
    await expect(s.rebuild()).rejects.toMatchObject({ code: 'BACKUP_SPLIT_MAC_INVALID' });
  });

  it('reshare keeps the key, makes a new 2-of-3 split and voids the old one', async () => {
    const { backup, shares, key } = await softBackup();
    const s = new RecoverySession(backup);
    for (const i of [4, 2, 0]) s.add({ envelope: shares[i] as ShareEnvelope });
    const next = await reshare(s, { k: 2, custodians: ['frank', 'grace', 'heidi'], ceremonyId: 'reshare-1' });
    expect(next.backup.sealed).toEqual(backup.sealed);
    expect(next.backup.split).toMatchObject({ k: 2, n: 3, madeBy: 'reshare-1' });
    expect(next.backup.split.voids.map((v) => v.splitId)).toEqual([backup.split.id]);
    const r = new RecoverySession(next.backup);
    expect(thrown(() => r.add({ envelope: shares[1] as ShareEnvelope })).code).toBe('SHARE_SPLIT_VOID');
    r.add({ envelope: next.shares[2] as ShareEnvelope });
    r.add({ envelope: next.shares[0] as ShareEnvelope });
    expect(await rebuiltKey(r)).toBe(Buffer.from(key).toString('hex'));
  });
});

describe('backup file parsing', () => {
  it('round-trips, and random or damaged JSON gives BACKUP_FORMAT only', async () => {
    const { parseBackupFile, serializeBackupFile } = await import('../../../electron/core/shares/backup-file');
    const fc = (await import('fast-check')).default;
    const { backup } = await softBackup();
    expect(parseBackupFile(serializeBackupFile(backup))).toEqual(backup);
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (t) => {
      expect(() => parseBackupFile(t)).toThrow(expect.objectContaining({ code: 'BACKUP_FORMAT' }));
    }), { numRuns: 300 });
    const damages: [string[], unknown][] = [
      [['version'], 2],
      [['split', 'k'], 1],
      [['split', 'n'], 4],
      [['split', 'shares', '1', 'x'], backup.split.shares[0]?.x],
      [['sealed', 'wrapping', 'mechanism'], 'CKM_AES_KEY_WRAP'],
      [['extra'], true],
    ];
    for (const [where, value] of damages) {
      const b = JSON.parse(serializeBackupFile(backup)) as Record<string, unknown>;
      let node = b;
      for (const key of where.slice(0, -1)) node = node[key] as Record<string, unknown>;
      node[where[where.length - 1] as string] = value;
      expect(() => parseBackupFile(JSON.stringify(b))).toThrow(expect.objectContaining({ code: 'BACKUP_FORMAT' }));
    }
  });
});
