import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { KEY_ALGORITHMS, type KeyAlgorithm, type SignatureScheme } from '../../../electron/core/token/types';
import { verifySignature } from '../../../electron/core/token/verify';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const SCHEME: Record<KeyAlgorithm, SignatureScheme> = {
  'rsa-3072': 'rsa-pss-sha256', 'rsa-4096': 'rsa-pkcs1-sha512', 'ec-p256': 'ecdsa-sha256', 'ec-p384': 'ecdsa-sha384', 'ec-p521': 'ecdsa-sha512', ed25519: 'ed25519',
};

describe('backup wrap (CKM_AES_KEY_WRAP_PAD) and restore into a second token', () => {
  const tmp = tempDir();
  let client: TokenClient;
  let root: string;
  let spare: string;

  beforeAll(async () => {
    const a = await makeToken(tmp.dir, 'root-token');
    await makeToken(tmp.dir, 'spare-token');
    client = createTokenClient({ modulePath: a.modulePath, env: a.env });
    root = await client.openSession({ label: 'root-token' }, { pin: USER_PIN });
    spare = await client.openSession({ label: 'spare-token' }, { pin: USER_PIN });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  // SoftHSM2 2.6 cannot encode an Ed25519 private key for C_WrapKey (tested below); hardware HSMs can.
  KEY_ALGORITHMS.filter((a) => a !== 'ed25519').forEach((algorithm, i) => {
    it(`${algorithm}: the unwrapped key on the second token signs for the original public key; OpenSSL unwraps the blob too`, async () => {
      const id = `10${i}0`;
      const key = await client.generateKeyPair(root, { algorithm, label: `root-${algorithm}`, id, extractableForBackup: true });
      const wk = await client.generateSecretKey(root, { label: `wrap-${algorithm}`, id: `20${i}0`, onToken: false, extractable: true });
      const aes = await client.readSecretValue(root, wk);
      expect(aes.length).toBe(32);
      const wrapped = await client.wrapKey(root, wk, key);

      // Recovery: the AES key (rebuilt from shares) is imported into the second token, which unwraps the key.
      const wk2 = await client.importSecretKey(spare, { label: 'recovery-wrap', id: `30${i}0`, onToken: false, extractable: false }, aes);
      const restored = await client.unwrapKey(spare, wk2, wrapped, { algorithm, label: `restored-${algorithm}`, id, extractable: false, publicKey: key.spki });
      expect(await client.readKeyProof(spare, restored)).toMatchObject({ local: false, sensitive: true, extractable: false, sign: true });
      expect(await client.exportPublicKey(spare, restored)).toEqual(key.spki);
      const data = new TextEncoder().encode('restored key signs');
      const sig = await client.sign(spare, restored, SCHEME[algorithm], data);
      expect(verifySignature(key.spki, SCHEME[algorithm], data, sig)).toBe(true);

      // The OpenSSL-only recovery path in the README: RFC 5649 unwrap gives the PKCS#8 of the same key.
      const blob = path.join(tmp.dir, `wrapped-${algorithm}.bin`);
      writeFileSync(blob, wrapped);
      const der = execFileSync('openssl', ['enc', '-d', '-id-aes256-wrap-pad', '-K', Buffer.from(aes).toString('hex'), '-iv', 'A65959A6', '-in', blob]);
      const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      expect(new Uint8Array(createPublicKey(priv).export({ type: 'spki', format: 'der' }))).toEqual(key.spki);
      await client.destroyObject(spare, wk2, 'secret');
    });
  });

  it('ed25519 on SoftHSM2 2.6: wrapping is refused with a typed error, the key stays usable', async () => {
    const key = await client.generateKeyPair(root, { algorithm: 'ed25519', label: 'root-ed25519', id: '5000', extractableForBackup: true });
    const wk = await client.generateSecretKey(root, { label: 'wrap-ed', id: '5001', onToken: false, extractable: true });
    await expect(client.wrapKey(root, wk, key)).rejects.toMatchObject({ code: 'KEY_NOT_WRAPPABLE', details: { ckr: 'CKR_KEY_NOT_WRAPPABLE' } });
    const sig = await client.sign(root, key, 'ed25519', new Uint8Array([1, 2, 3]));
    expect(verifySignature(key.spki, 'ed25519', new Uint8Array([1, 2, 3]), sig)).toBe(true);
  });

  it('refuses to wrap a key made without a backup, and reports a wrong wrapping key', async () => {
    const key = await client.generateKeyPair(root, { algorithm: 'ec-p256', label: 'no-backup', id: '4000', extractableForBackup: false });
    const wk = await client.generateSecretKey(root, { label: 'wrap-x', id: '4001', onToken: false, extractable: true });
    await expect(client.wrapKey(root, wk, key)).rejects.toMatchObject({ code: 'KEY_UNEXTRACTABLE' });
    const good = await client.generateKeyPair(root, { algorithm: 'ec-p256', label: 'backed-up', id: '4002', extractableForBackup: true });
    const wrapped = await client.wrapKey(root, wk, good);
    const wrong = await client.importSecretKey(spare, { label: 'wrong-wrap', id: '4003', onToken: false, extractable: false }, new Uint8Array(32).fill(7));
    await expect(client.unwrapKey(spare, wrong, wrapped, { algorithm: 'ec-p256', label: 'never', id: '4004', extractable: false })).rejects.toMatchObject({ code: 'UNWRAP_FAILED', details: { outcomeUnknown: false } });
    expect(await client.findKeys(spare, { label: 'never' })).toEqual([]);
  });
});
