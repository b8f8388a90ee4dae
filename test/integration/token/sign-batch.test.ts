import { spawnSync } from 'node:child_process';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { FaultPlan } from '../../../electron/core/token/faults';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import type { GeneratedKeyPair, SignBatchFailure } from '../../../electron/core/token/types';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const fresh = (): { label: string; id: string } => {
  const id = randomBytes(4).toString('hex');
  return { label: `b-${id}`, id };
};

// Distinct messages, so a signature answered for the wrong item cannot verify.
const messages = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`checkpoint ${i} ${randomBytes(8).toString('hex')}`));

function verifies(spki: Uint8Array, data: Uint8Array, sig: Uint8Array, hash: 'sha256' | null): boolean {
  return verify(hash, data, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), sig);
}

async function rejection(p: Promise<unknown>): Promise<{ code?: string; details?: SignBatchFailure }> {
  return p.then(() => ({}), (e: unknown) => e as { code?: string; details?: SignBatchFailure });
}

describe('signMany: a batch of signatures in one token host call (SoftHSM2)', () => {
  const tmp = tempDir();
  let token: RehearsalToken;
  let client: TokenClient;
  let session: string;
  let ec: GeneratedKeyPair;
  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'batch');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'batch' }, { pin: USER_PIN });
    ec = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: false });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  async function withFaultyClient<T>(faults: FaultPlan, fn: (c: TokenClient, s: string) => Promise<T>): Promise<T> {
    const c = createTokenClient({ modulePath: token.modulePath, env: token.env, faults });
    try {
      return await fn(c, await c.openSession({ label: 'batch' }, { pin: USER_PIN }));
    } finally {
      await c.close();
    }
  }

  it('every ECDSA P-256 signature verifies with the public key, in the messages\' order (node:crypto and openssl)', async () => {
    const msgs = messages(40);
    const sigs = await client.signMany(session, ec, 'ecdsa-sha256', msgs);
    expect(sigs).toHaveLength(40);
    // The reply travels packed in one buffer: each signature handed out must own its bytes, so
    // passing one on (IPC, a file) never carries the others.
    for (const sig of sigs) expect(sig.buffer.byteLength).toBe(sig.byteLength);
    msgs.forEach((m, i) => expect(verifies(ec.spki, m, sigs[i] as Uint8Array, 'sha256'), `item ${i}`).toBe(true));
    // Order, not just validity: item 0's signature must not verify item 1's message.
    expect(verifies(ec.spki, msgs[1] as Uint8Array, sigs[0] as Uint8Array, 'sha256')).toBe(false);

    const pub = path.join(tmp.dir, 'ec.spki.der');
    writeFileSync(pub, ec.spki);
    for (const i of [0, 17, 39]) {
      const msgFile = path.join(tmp.dir, `m${i}`);
      const sigFile = path.join(tmp.dir, `s${i}`);
      writeFileSync(msgFile, msgs[i] as Uint8Array);
      writeFileSync(sigFile, sigs[i] as Uint8Array);
      const r = spawnSync('openssl', ['dgst', '-sha256', '-verify', pub, '-keyform', 'DER', '-signature', sigFile, msgFile], { encoding: 'utf8' });
      expect(r.stdout.trim(), r.stderr).toBe('Verified OK');
    }
  });

  it('signs with Ed25519 the same way', async () => {
    const ed = await client.generateKeyPair(session, { algorithm: 'ed25519', ...fresh(), extractableForBackup: false });
    const msgs = messages(5);
    const sigs = await client.signMany(session, ed, 'ed25519', msgs);
    msgs.forEach((m, i) => expect(verifies(ed.spki, m, sigs[i] as Uint8Array, null)).toBe(true));
  });

  it('an empty batch gives an empty answer', async () => {
    await expect(client.signMany(session, ec, 'ecdsa-sha256', [])).resolves.toEqual([]);
  });

  it('an item that is not bytes fails with its index and hands back the signatures before it', async () => {
    const msgs = messages(5);
    const bad = [...msgs.slice(0, 3), 'not bytes', msgs[4]] as unknown as Uint8Array[];
    const err = await rejection(client.signMany(session, ec, 'ecdsa-sha256', bad));
    expect(err.code).toBe('SIGN_BATCH_ITEM_FAILED');
    expect(err.details).toMatchObject({ index: 3, total: 5, cause: { code: 'SIGN_BATCH_ITEM_INVALID', details: { index: 3 } } });
    const signed = err.details?.signed ?? [];
    expect(signed).toHaveLength(3);
    signed.forEach((sig, i) => expect(verifies(ec.spki, msgs[i] as Uint8Array, sig, 'sha256')).toBe(true));
  });

  it('a C_Sign failure mid-batch (fault injected at the 4th signature) names item 3, keeps items 0-2 and says the outcome is unknown', async () => {
    const msgs = messages(8);
    const err = await withFaultyClient({ throws: [{ fn: 'C_Sign', ckr: 'CKR_DEVICE_ERROR', nth: 4 }] }, (c, s) => rejection(c.signMany(s, ec, 'ecdsa-sha256', msgs)));
    expect(err.code).toBe('SIGN_BATCH_ITEM_FAILED');
    expect(err.details).toMatchObject({ index: 3, total: 8, ckr: 'CKR_DEVICE_ERROR', function: 'C_Sign', outcomeUnknown: true, cause: { code: 'DEVICE_ERROR' } });
    const signed = err.details?.signed ?? [];
    expect(signed).toHaveLength(3);
    signed.forEach((sig, i) => expect(verifies(ec.spki, msgs[i] as Uint8Array, sig, 'sha256')).toBe(true));
  });

  it('a failure at the first item is still the batch error with index 0', async () => {
    const err = await withFaultyClient({ throws: [{ fn: 'C_SignInit', ckr: 'CKR_SESSION_HANDLE_INVALID' }] }, (c, s) => rejection(c.signMany(s, ec, 'ecdsa-sha256', messages(3))));
    expect(err).toMatchObject({ code: 'SIGN_BATCH_ITEM_FAILED', details: { index: 0, signed: [], ckr: 'CKR_SESSION_HANDLE_INVALID', cause: { code: 'SESSION_INVALID' } } });
  });

  it('whole-batch problems are the errors sign gives, and nothing is signed', async () => {
    const missing = { id: 'ffff0001', label: 'no-such-key' };
    await expect(client.signMany(session, missing, 'ecdsa-sha256', messages(2))).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    await expect(client.signMany(session, ec, 'rsa-pss-sha256', messages(2))).rejects.toMatchObject({ code: 'KEY_TYPE_INCONSISTENT' });
    await expect(client.signMany('h0:999', ec, 'ecdsa-sha256', messages(2))).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });

  it('leaves single sign unchanged beside it', async () => {
    const m = messages(1)[0] as Uint8Array;
    expect(verifies(ec.spki, m, await client.sign(session, ec, 'ecdsa-sha256', m), 'sha256')).toBe(true);
  });
});
