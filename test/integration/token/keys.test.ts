import { constants, createECDH, publicEncrypt, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { KEY_ALGORITHMS, type KeyAlgorithm, type SignatureScheme } from '../../../electron/core/token/types';
import { verifySignature } from '../../../electron/core/token/verify';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const SCHEMES: Record<KeyAlgorithm, SignatureScheme[]> = {
  'rsa-3072': ['rsa-pkcs1-sha256', 'rsa-pkcs1-sha384', 'rsa-pkcs1-sha512', 'rsa-pss-sha256', 'rsa-pss-sha384', 'rsa-pss-sha512'],
  'rsa-4096': ['rsa-pkcs1-sha256', 'rsa-pss-sha256'],
  'ec-p256': ['ecdsa-sha256', 'ecdsa-sha384', 'ecdsa-sha512'],
  'ec-p384': ['ecdsa-sha384'],
  'ec-p521': ['ecdsa-sha512'],
  ed25519: ['ed25519'],
};

describe('key pairs on SoftHSM2 through the token host', () => {
  const tmp = tempDir();
  let client: TokenClient;
  let session: string;

  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'keys');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'keys' }, { pin: USER_PIN });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  it('lists the token with its flags, mechanisms and every algorithm', async () => {
    const slot = (await client.listSlots()).find((s) => s.token?.label === 'keys');
    expect(slot?.token?.flags).toMatchObject({ loginRequired: true, tokenInitialized: true, userPinInitialized: true, userPinLocked: false });
    expect(slot?.token?.rehearsal).toBe(true);
    expect(slot?.token?.algorithms).toEqual([...KEY_ALGORITHMS]);
    const rsaGen = slot?.token?.mechanisms.find((m) => m.name === 'CKM_RSA_PKCS_KEY_PAIR_GEN');
    expect(rsaGen?.flags).toContain('GENERATE_KEY_PAIR');
    expect(rsaGen?.maxKeySize).toBeGreaterThanOrEqual(4096);
  });

  KEY_ALGORITHMS.forEach((algorithm, i) => {
    it(`${algorithm}: generates under policy, proves CKA_LOCAL, signs, and verifies in software`, async () => {
      const id = `a1${i.toString(16).padStart(2, '0')}`;
      const key = await client.generateKeyPair(session, { algorithm, label: `root-${algorithm}`, id, extractableForBackup: false });
      expect(key).toMatchObject({ id, label: `root-${algorithm}`, algorithm });
      const proof = await client.readKeyProof(session, key);
      expect(proof).toMatchObject({
        local: true, sensitive: true, alwaysSensitive: true, extractable: false, neverExtractable: true,
        token: true, private: true, sign: true, decrypt: false, unwrap: false,
      });
      expect(proof.keyGenMechanism).toBe(algorithm.startsWith('rsa') ? 'CKM_RSA_PKCS_KEY_PAIR_GEN' : algorithm === 'ed25519' ? 'CKM_EC_EDWARDS_KEY_PAIR_GEN' : 'CKM_EC_KEY_PAIR_GEN');
      expect(await client.exportPublicKey(session, key)).toEqual(key.spki);
      const data = new TextEncoder().encode(`checkpoint for ${algorithm}`);
      for (const scheme of SCHEMES[algorithm]) {
        const sig = await client.sign(session, key, scheme, data);
        expect(verifySignature(key.spki, scheme, data, sig), scheme).toBe(true);
        expect(verifySignature(key.spki, scheme, new TextEncoder().encode('other data'), sig), `${scheme} other data`).toBe(false);
      }
    });
  });

  it('makes an extractable key only when a backup is requested', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'with-backup', id: 'b001', extractableForBackup: true });
    expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: true, neverExtractable: false, sensitive: true });
  });

  it('refuses a label or an id already in use, and a scheme that does not fit the key', async () => {
    await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'taken', id: 'c001', extractableForBackup: false });
    await expect(client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'taken', id: 'c002', extractableForBackup: false })).rejects.toMatchObject({ code: 'KEY_LABEL_IN_USE' });
    await expect(client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'fresh', id: 'c001', extractableForBackup: false })).rejects.toMatchObject({ code: 'KEY_ID_IN_USE' });
    await expect(client.sign(session, { id: 'c001', label: 'taken' }, 'rsa-pss-sha256', new Uint8Array([1]))).rejects.toMatchObject({ code: 'KEY_TYPE_INCONSISTENT' });
  });

  it('finds keys by id and label, and destroys them', async () => {
    await client.generateKeyPair(session, { algorithm: 'ed25519', label: 'doomed', id: 'd001', extractableForBackup: false });
    const found = await client.findKeys(session, { id: 'd001' });
    expect(found.map((k) => k.class).sort()).toEqual(['private', 'public']);
    expect(found[0]).toMatchObject({ id: 'd001', label: 'doomed', keyType: 'CKK_EC_EDWARDS', onToken: true });
    await client.destroyObject(session, { id: 'd001', label: 'doomed' }, 'private');
    expect((await client.findKeys(session, { label: 'doomed' })).map((k) => k.class)).toEqual(['public']);
    await expect(client.readKeyProof(session, { id: 'd001', label: 'doomed' })).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('signs with a key re-made under the same id and label after another session destroyed the old one', async () => {
    const ref = { id: 'e101', label: 'rotated' };
    const first = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
    await client.sign(session, first, 'ecdsa-sha256', new Uint8Array([1]));
    const other = await client.openSession({ label: 'keys' });
    await client.destroyObject(other, ref, 'private');
    await client.destroyObject(other, ref, 'public');
    await client.closeSession(other);
    const second = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
    const sig = await client.sign(session, ref, 'ecdsa-sha256', new Uint8Array([2]));
    expect(verifySignature(second.spki, 'ecdsa-sha256', new Uint8Array([2]), sig)).toBe(true);
    expect(second.spki).not.toEqual(first.spki);
  });

  it('decrypts RSA-OAEP (SHA-256) with a decryption-only card key', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'rsa-3072', label: 'custodian-card', id: 'e001', extractableForBackup: false, usage: 'decrypt' });
    expect(await client.readKeyProof(session, key)).toMatchObject({ sign: false, decrypt: true });
    const share = new TextEncoder().encode('share 2 of 5');
    const ct = publicEncrypt({ key: createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, share);
    expect(Buffer.from(await client.decrypt(session, key, 'rsa-oaep-sha256', ct)).toString()).toBe('share 2 of 5');
    const tampered = Buffer.from(ct);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    await expect(client.decrypt(session, key, 'rsa-oaep-sha256', tampered)).rejects.toMatchObject({ code: 'WRAPPED_KEY_INVALID' });
  });

  it('agrees an ECDH secret on the token with a derive-only EC card key, equal to the software side\'s', async () => {
    for (const [algorithm, curve, id] of [['ec-p256', 'prime256v1', 'e0d1'], ['ec-p384', 'secp384r1', 'e0d2']] as const) {
      const key = await client.generateKeyPair(session, { algorithm, label: `custodian-ec-${id}`, id, extractableForBackup: false, usage: 'decrypt' });
      expect(await client.readKeyProof(session, key)).toMatchObject({ sign: false, decrypt: false, extractable: false });
      const eph = createECDH(curve);
      const point = eph.generateKeys();
      const jwk = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      const cardPoint = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      expect(Buffer.from(await client.deriveSharedSecret(session, key, point))).toEqual(eph.computeSecret(cardPoint));
    }
    // A sign-only key refuses to derive; a point that is not one is refused before the token is asked.
    const signer = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'signer-ec', id: 'e0d3', extractableForBackup: false });
    await expect(client.deriveSharedSecret(session, signer, createECDH('prime256v1').generateKeys())).rejects.toMatchObject({ code: 'KEY_FUNCTION_NOT_PERMITTED' });
    await expect(client.deriveSharedSecret(session, signer, new Uint8Array(65))).rejects.toMatchObject({ code: 'MECHANISM_PARAM_INVALID' });
  });

  it('generates random bytes and keeps session-only secret keys off the token', async () => {
    const r = await client.generateRandom(session, 32);
    expect(r).toBeInstanceOf(Uint8Array);
    expect(r.length).toBe(32);
    const k = await client.generateSecretKey(session, { label: 'ephemeral', id: 'f001', onToken: false, extractable: false });
    expect(await client.findKeys(session, k)).toMatchObject([{ class: 'secret', keyType: 'CKK_AES', onToken: false }]);
    await expect(client.readSecretValue(session, k)).rejects.toMatchObject({ code: 'KEY_UNEXTRACTABLE' });
  });
});
