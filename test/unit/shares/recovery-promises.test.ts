/**
 * The recovery session as `recover` and the Recovery screen use it: each share is checked on entry
 * (the same share twice is refused, naming whose it is), the wrapping key is rebuilt only from k
 * shares that fit and never outlives a change to the shares entered, a share that does not fit is
 * named, and recoverInto restores the backed-up key into a token, proves it by a signature and
 * leaves neither the wrapping key nor a wrong key behind.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, verify } from 'node:crypto';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import { createBackup } from '../../../electron/core/shares/backup';
import { makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { shareCommitment, wrappingKeyCommitment } from '../../../electron/core/shares/commitments';
import type { BackupFile } from '../../../electron/core/shares/backup-file';
import type { SecretKeySpec, UnwrapSpec } from '../../../electron/core/token/types';
import type { KeyriteError } from '../../../electron/core/util/errors';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { softBackup } from './fixtures';
import { aesKeyWrapPad, SoftToken, softKeyPair } from './soft-token';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const rebuilt = (s: RecoverySession) => withRebuiltKey(s, async (k) => hex(k));
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: KeyriteError) => e);

/** A copy of `backup` whose recorded commitment for share `i` is that of a forged share with the same x. */
function forgedFor(backup: BackupFile, shares: ShareEnvelope[], i: number): { tampered: BackupFile; forged: ShareEnvelope } {
  const y = new Uint8Array(randomBytes(33));
  y[32] = shares[i]!.x;
  const forged = makeEnvelope({ ...shares[i]!, share: y });
  const tampered = structuredClone(backup);
  tampered.split.shares[i]!.commitment = shareCommitment(tampered.split.id, forged.share);
  return { tampered, forged };
}

describe('entering shares', () => {
  it('the same share twice is SHARE_DUPLICATE naming the custodian and number, whatever the encoding', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[1]! });
    const err = thrown(() => s.add({ envelope: { ...shares[1]!, share: new Uint8Array(shares[1]!.share) } }));
    expect(err.code).toBe('SHARE_DUPLICATE');
    expect(err.message).toBe('bob\'s share (#2) was already entered.');
    expect(err.details).toEqual({ index: 2, custodian: 'bob' });
    expect(err.action).toBe('Each share counts once; ask the next custodian.');
    expect(s.progress).toEqual({ have: 1, need: 3, complete: false });
  });

  it('progress is complete at exactly k, and add says whose share it is', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    expect(s.add({ envelope: shares[4]! })).toEqual({ index: 5, custodian: 'erin', fingerprint: backup.split.shares[4]!.fingerprint });
    s.add({ envelope: shares[0]! });
    expect(s.progress).toEqual({ have: 2, need: 3, complete: false });
    s.add({ envelope: shares[2]! });
    expect(s.progress).toEqual({ have: 3, need: 3, complete: true });
    s.add({ envelope: shares[3]! });
    expect(s.progress).toEqual({ have: 4, need: 3, complete: true });
    expect(s.accepted.map((a) => a.custodian)).toEqual(['erin', 'alice', 'carol', 'dave']);
    s.accepted[0]!.custodian = 'mallory';
    expect(s.accepted[0]!.custodian).toBe('erin');
  });

  it('too few shares is SHARE_TOO_FEW with how many are missing', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[0]! });
    const err = await failure(s.rebuild());
    expect(err.code).toBe('SHARE_TOO_FEW');
    expect(err.message).toBe('1 of 3 shares entered; 2 more needed.');
    expect(err.details).toEqual({ have: 1, need: 3 });
    expect(err.action).toBe('Ask the next custodian for their share.');
  });

  it('remove takes one share out, and an unknown number changes nothing', async () => {
    const { backup, shares, key } = await softBackup();
    const s = new RecoverySession(backup);
    for (const i of [0, 1, 2]) s.add({ envelope: shares[i]! });
    s.remove(9);
    expect(s.progress.have).toBe(3);
    expect(await rebuilt(s)).toBe(hex(key));
    s.remove(2);
    expect(s.accepted.map((a) => a.index)).toEqual([1, 3]);
    // The key rebuilt before is forgotten: two shares are not enough.
    await expect(rebuilt(s)).rejects.toMatchObject({ code: 'SHARE_TOO_FEW' });
    s.add({ envelope: shares[1]! });
    expect(await rebuilt(s)).toBe(hex(key));
  });

  it('dispose forgets the shares and the key; the key handed to a caller is zeroed after', async () => {
    const { backup, shares } = await softBackup();
    const given = shares.map((e) => new Uint8Array(e.share));
    const s = new RecoverySession(backup);
    for (const i of [0, 1, 2]) s.add({ envelope: shares[i]! });
    let held: Uint8Array | undefined;
    await withRebuiltKey(s, async (k) => { held = k; });
    expect(held?.every((b) => b === 0)).toBe(true);
    s.dispose();
    expect(s.progress).toEqual({ have: 0, need: 3, complete: false });
    await expect(rebuilt(s)).rejects.toMatchObject({ code: 'SHARE_TOO_FEW' });
    // The session zeroed its own copies, never the caller's.
    shares.forEach((e, i) => expect(hex(e.share)).toBe(hex(given[i]!)));
  });
});

describe('rebuilding with more than k shares', () => {
  it('every share that fits is accepted, wherever the k that rebuild the key are', async () => {
    const { backup, shares, key } = await softBackup();
    const s = new RecoverySession(backup);
    for (const e of shares) s.add({ envelope: e });
    expect(await rebuilt(s)).toBe(hex(key));
  });

  it.each([0, 1, 2, 3])('names the one share that does not fit, entered at position %i', async (at) => {
    const { backup, shares, key } = await softBackup();
    const { tampered, forged } = forgedFor(backup, shares, 4);
    const order: ShareEnvelope[] = [shares[0]!, shares[1]!, shares[2]!];
    order.splice(at, 0, forged);
    const s = new RecoverySession(tampered);
    for (const e of order) s.add({ envelope: e });
    const err = await failure(s.rebuild());
    expect(err.code).toBe('SHARE_BAD');
    expect(err.details).toEqual({ bad: [{ index: 5, custodian: 'erin' }] });
    s.remove(5);
    // The tampered list fails the split MAC; with the genuine file the three rebuild the key.
    await expect(s.rebuild()).rejects.toMatchObject({ code: 'BACKUP_SPLIT_MAC_INVALID' });
    const g = new RecoverySession(backup);
    for (const i of [0, 1, 2]) g.add({ envelope: shares[i]! });
    expect(await rebuilt(g)).toBe(hex(key));
  });

  it('names two shares that do not fit, in the order entered', async () => {
    const { backup, shares } = await softBackup();
    const one = forgedFor(backup, shares, 3);
    const two = forgedFor(one.tampered, shares, 4);
    const s = new RecoverySession(two.tampered);
    for (const e of [shares[0]!, two.forged, shares[1]!, one.forged, shares[2]!]) s.add({ envelope: e });
    const err = await failure(s.rebuild());
    expect(err.code).toBe('SHARE_BAD');
    expect(err.details).toEqual({ bad: [{ index: 5, custodian: 'erin' }, { index: 4, custodian: 'dave' }] });
    expect(err.message).toContain('erin (#5), dave (#4)');
    expect(err.action).toContain('Remove that share');
  });

  it('shares that never rebuild the committed key are SHARE_COMBINE_FAILED', async () => {
    const { backup, shares } = await softBackup();
    const other = structuredClone(backup);
    other.sealed.wrapping.keyCommitment = wrappingKeyCommitment(new Uint8Array(32));
    const s = new RecoverySession(other);
    for (const e of shares.slice(0, 4)) s.add({ envelope: e });
    const err = await failure(s.rebuild());
    expect(err.code).toBe('SHARE_COMBINE_FAILED');
    expect(err.message).toContain('These 4 shares');
    expect(err.action).toContain('Try other shares or another copy of backup.json');
  });

  it('a custodian list altered after the split is BACKUP_SPLIT_MAC_INVALID', async () => {
    const { backup, shares } = await softBackup();
    const altered = structuredClone(backup);
    altered.split.shares[4]!.custodian = 'mallory';
    const s = new RecoverySession(altered);
    for (const i of [0, 1, 2]) s.add({ envelope: shares[i]! });
    await expect(s.rebuild()).rejects.toMatchObject({ code: 'BACKUP_SPLIT_MAC_INVALID', message: expect.stringContaining('custodian list or commitments were altered'), action: expect.stringContaining('another copy of backup.json') });
    await expect(rebuilt(s)).rejects.toMatchObject({ code: 'BACKUP_SPLIT_MAC_INVALID' });
  });
});

describe('the search for k shares that fit is bounded', () => {
  // k = 2 of 120; all but two entered shares are forged (their commitments replaced in the file), so
  // the first pair that rebuilds the key is the two genuine ones at positions 54 and j, which is pair
  // number 4995 + (j - 54) in the order tried. The search stops after 5000 pairs.
  async function withGenuinePairAt(j: number) {
    const custodians = Array.from({ length: 120 }, (_, i) => `c${i}`);
    const { backup, shares } = await softBackup({ k: 2, custodians });
    const tampered = structuredClone(backup);
    const entered: ShareEnvelope[] = [];
    for (let i = 0; i < 120; i++) {
      if (i === 54 || i === j) {
        entered.push(shares[i]!);
        continue;
      }
      const y = new Uint8Array(randomBytes(33));
      y[32] = shares[i]!.x;
      const forged = makeEnvelope({ ...shares[i]!, share: y });
      tampered.split.shares[i]!.commitment = shareCommitment(tampered.split.id, forged.share);
      entered.push(forged);
    }
    const s = new RecoverySession(tampered);
    for (const e of entered) s.add({ envelope: e });
    return failure(s.rebuild());
  }

  it('the 5000th pair is still tried: the forged shares are named', async () => {
    const err = await withGenuinePairAt(59);
    expect(err.code).toBe('SHARE_BAD');
    expect((err.details as { bad: unknown[] }).bad).toHaveLength(118);
  });

  it('the 5001st is not: SHARE_COMBINE_FAILED', async () => {
    expect((await withGenuinePairAt(60)).code).toBe('SHARE_COMBINE_FAILED');
  });
});

describe('recoverInto', () => {
  async function madeBackup(algorithm: 'ec-p256' | 'ed25519' = 'ec-p256') {
    const t = new SoftToken();
    const root = t.addKeyPair(algorithm);
    const { backup, shares } = await createBackup(t.api(), 'S', { ceremonyId: 'c-1', rootKey: root.ref, algorithm, spki: root.spki, k: 2, custodians: ['a', 'b', 'c'] });
    return { backup, shares, root };
  }

  it.each([false, true])('restores the backed-up key (extractable %s), proves it with a signature and destroys the wrapping key', async (extractable) => {
    const { backup, shares, root } = await madeBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[1]! });
    s.add({ envelope: shares[2]! });
    const t = new SoftToken();
    const out = await s.recoverInto(t.api(), 'S', { label: 'restored', id: 'abcd', extractable });
    expect(out.key).toEqual({ label: 'restored', id: 'abcd' });
    expect(out.proof.scheme).toBe('ecdsa-sha256');
    expect(out.proof.challenge).toMatch(/^[0-9a-f]{64}$/);
    const spki = { key: Buffer.from(root.spki), format: 'der' as const, type: 'spki' as const };
    expect(verify('sha256', Buffer.from(out.proof.challenge, 'hex'), { key: (await import('node:crypto')).createPublicKey(spki), dsaEncoding: 'der' }, Buffer.from(out.proof.signature, 'base64'))).toBe(true);
    const priv = t.find(out.key, 'private');
    expect(priv.key?.export({ type: 'pkcs8', format: 'der' })).toEqual(root.privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(priv.spec).toEqual({ algorithm: 'ec-p256', label: 'restored', id: 'abcd', extractable, publicKey: root.spki } satisfies UnwrapSpec);
    expect(t.live('public')).toHaveLength(1);
    expect(t.live('secret')).toEqual([]);
    const wrap = t.destroyed.find((o) => o.class === 'secret');
    expect(wrap?.spec).toMatchObject({ onToken: false, extractable: false } satisfies Partial<SecretKeySpec>);
    expect(wrap?.ref.label).toMatch(/^keyrite-recovery-wrap-[0-9a-f]{8}$/);
    expect(wrap?.ref.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('signs the proof with the scheme of the key algorithm', async () => {
    const { backup, shares } = await madeBackup('ed25519');
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[0]! });
    s.add({ envelope: shares[1]! });
    const t = new SoftToken();
    expect((await s.recoverInto(t.api(), 'S', { label: 'r', id: '01', extractable: false })).proof.scheme).toBe('ed25519');
  });

  it('a wrapped key that is not the recorded key is RECOVERY_KEY_MISMATCH, and the restored key is removed', async () => {
    const { backup, shares } = await madeBackup();
    const s0 = new RecoverySession(backup);
    s0.add({ envelope: shares[0]! });
    s0.add({ envelope: shares[1]! });
    // Another P-256 key wrapped with the same wrapping key, in place of the backed-up one.
    const other = softKeyPair('ec-p256');
    const wrappedOther = await withRebuiltKey(s0, async (k) => aesKeyWrapPad(k, new Uint8Array(other.privateKey.export({ type: 'pkcs8', format: 'der' }))));
    const swapped = structuredClone(backup);
    swapped.sealed.wrapping.wrappedKey = Buffer.from(wrappedOther).toString('base64');
    const s = new RecoverySession(swapped);
    s.add({ envelope: shares[0]! });
    s.add({ envelope: shares[1]! });
    const t = new SoftToken();
    const err = await failure(s.recoverInto(t.api(), 'S', { label: 'restored', id: 'abcd', extractable: false }));
    expect(err.code).toBe('RECOVERY_KEY_MISMATCH');
    expect(err.message).toContain('it was removed from the token');
    expect(err.action).toContain('do not belong together');
    expect(t.objects).toEqual([]);
    expect(t.destroyed.map((o) => o.class).sort()).toEqual(['private', 'public', 'secret']);
  });

  it('a token that fails the unwrap is left without the wrapping key', async () => {
    const { backup, shares } = await madeBackup();
    const broken = structuredClone(backup);
    broken.sealed.wrapping.wrappedKey = Buffer.alloc(40, 7).toString('base64');
    const s = new RecoverySession(broken);
    s.add({ envelope: shares[0]! });
    s.add({ envelope: shares[2]! });
    const t = new SoftToken();
    await expect(s.recoverInto(t.api(), 'S', { label: 'r', id: '01', extractable: false })).rejects.toThrow();
    expect(t.objects).toEqual([]);
    expect(t.destroyed.map((o) => o.class)).toEqual(['secret']);
  });

  it('with too few shares, nothing is asked of the token', async () => {
    const { backup, shares } = await madeBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[0]! });
    const t = new SoftToken();
    await expect(s.recoverInto(t.api(), 'S', { label: 'r', id: '01', extractable: false })).rejects.toMatchObject({ code: 'SHARE_TOO_FEW' });
    expect(t.calls).toEqual([]);
  });
});
