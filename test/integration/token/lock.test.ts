/**
 * lockKey on SoftHSM2: after the lock a key made extractable for its backup can no longer be wrapped
 * out with the user PIN (C_WrapKey under an AES key of the caller's choosing fails), nor made
 * extractable again; the result says what the token allowed. A token that refuses to clear
 * CKA_EXTRACTABLE (fault-injected: SoftHSM2 always allows it) ends in KEY_LOCK_REFUSED.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const fresh = () => {
  const id = randomBytes(4).toString('hex');
  return { label: `k-${id}`, id };
};

describe('lockKey on SoftHSM2', () => {
  const tmp = tempDir('keyrite-lock-');
  let token: RehearsalToken;
  let client: TokenClient;
  let session: string;

  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'lock');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'lock' }, { pin: USER_PIN });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  it('a key made for its backup wraps before the lock and never after', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p384', ...fresh(), extractableForBackup: true, finalAttributes: true });
    expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: true, copyable: false, modifiable: true });
    const before = await client.generateSecretKey(session, { ...fresh(), onToken: false, extractable: false });
    expect((await client.wrapKey(session, before, key)).length).toBeGreaterThan(0);

    const locked = await client.lockKey(session, key);
    // What SoftHSM2 2.6.1 allows, as measured: CKA_EXTRACTABLE cleared; CKA_MODIFIABLE read-only after creation.
    expect(locked.steps).toEqual([
      { attribute: 'CKA_EXTRACTABLE', outcome: 'set' },
      { attribute: 'CKA_COPYABLE', outcome: 'already' },
      { attribute: 'CKA_MODIFIABLE', outcome: 'refused', ckr: 'CKR_ATTRIBUTE_READ_ONLY' },
    ]);
    expect(locked).toMatchObject({ extractable: false, copyable: false, modifiable: true });
    expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: false, neverExtractable: false, sensitive: true, copyable: false });

    // A fresh session AES key of the attacker's choosing, the user PIN: the wrap is refused.
    const attacker = await client.generateSecretKey(session, { ...fresh(), onToken: false, extractable: false });
    await expect(client.wrapKey(session, attacker, key)).rejects.toMatchObject({ code: 'KEY_UNEXTRACTABLE' });
    // Locking again changes nothing and still succeeds (resume after a lost result).
    expect((await client.lockKey(session, key)).steps[0]).toEqual({ attribute: 'CKA_EXTRACTABLE', outcome: 'already' });
  });

  it('a key made without a backup is final at birth: never extractable, not copyable, not modifiable', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: false, finalAttributes: true });
    expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: false, neverExtractable: true, copyable: false, modifiable: false });
    const locked = await client.lockKey(session, key);
    expect(locked.steps.map((s) => s.outcome)).toEqual(['already', 'already', 'already']);
  });

  it('why wrap-with-trusted is not used on SoftHSM2: CKA_TRUSTED is refused in a user session, and without it a CKA_WRAP_WITH_TRUSTED key cannot be backed up', () => {
    // Raw pkcs11js in this process (not Keyrite's adapter): these are the measurements docs/TOKEN.md reports.
    const p11 = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');
    const saved = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
    const p = new p11.PKCS11();
    p.load(token.modulePath);
    p.C_Initialize();
    const ckr = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return /CKR_[A-Z_]+/.exec((e as Error).message)?.[0]; } };
    try {
      const slot = p.C_GetSlotList(true).find((x) => p.C_GetTokenInfo(x).label.trim() === 'lock')!;
      const s = p.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
      p.C_Login(s, p11.CKU_USER, USER_PIN);
      const aes = (extra: { type: number; value: boolean }[]) => p.C_GenerateKey(s, { mechanism: p11.CKM_AES_KEY_GEN }, [
        { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY }, { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES }, { type: p11.CKA_VALUE_LEN, value: 32 },
        { type: p11.CKA_TOKEN, value: false }, { type: p11.CKA_WRAP, value: true }, ...extra,
      ]);
      expect(ckr(() => aes([{ type: p11.CKA_TRUSTED, value: true }]))).toBe('CKR_ATTRIBUTE_READ_ONLY');
      const wk = aes([]);
      expect(ckr(() => p.C_SetAttributeValue(s, wk, [{ type: p11.CKA_TRUSTED, value: true }]))).toBe('CKR_ATTRIBUTE_READ_ONLY');
      const { privateKey } = p.C_GenerateKeyPair(s, { mechanism: p11.CKM_EC_KEY_PAIR_GEN },
        [{ type: p11.CKA_TOKEN, value: false }, { type: p11.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') }],
        [{ type: p11.CKA_TOKEN, value: false }, { type: p11.CKA_SENSITIVE, value: true }, { type: p11.CKA_EXTRACTABLE, value: true }, { type: p11.CKA_WRAP_WITH_TRUSTED, value: true }]);
      expect(ckr(() => p.C_WrapKey(s, { mechanism: p11.CKM_AES_KEY_WRAP_PAD }, wk, privateKey, Buffer.alloc(4096)))).toBe('CKR_KEY_NOT_WRAPPABLE');
    } finally {
      p.C_Finalize();
      process.env.SOFTHSM2_CONF = saved;
    }
  });

  it('a token that will not clear CKA_EXTRACTABLE gives KEY_LOCK_REFUSED, and the key is left as it was', async () => {
    const faulty = createTokenClient({ modulePath: token.modulePath, env: token.env, faults: { throws: [{ fn: 'C_SetAttributeValue', ckr: 'CKR_ATTRIBUTE_READ_ONLY', times: 3 }] } });
    try {
      const s = await faulty.openSession({ label: 'lock' }, { pin: USER_PIN });
      const key = await faulty.generateKeyPair(s, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: true, finalAttributes: true });
      const err = await faulty.lockKey(s, key).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'KEY_LOCK_REFUSED', details: { ckr: 'CKR_ATTRIBUTE_READ_ONLY' } });
      expect((err as { action: string }).action).toMatch(/Do not seal/);
      expect(await faulty.readKeyProof(s, key)).toMatchObject({ extractable: true });
    } finally {
      await faulty.close();
    }
  });
});
