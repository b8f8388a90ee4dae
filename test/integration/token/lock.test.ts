/**
 * lockKey on SoftHSM2: after the lock a key made extractable for its backup can no longer be wrapped
 * out with the user PIN (C_WrapKey under an AES key of the caller's choosing fails), nor made
 * extractable again; the result says what the token allowed. A token that refuses to clear
 * CKA_EXTRACTABLE (fault-injected: SoftHSM2 always allows it) ends in KEY_LOCK_REFUSED.
 */
import { randomBytes } from 'node:crypto';
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
