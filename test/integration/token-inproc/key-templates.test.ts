/**
 * What a key pair Keyrite makes is, on a real SoftHSM2 token (token/adapter/keys.ts, through the
 * token client and the in-process host): a key made without a backup can never leave the token; a
 * key made for its backup can be wrapped until it is locked and never after; a signing key only
 * signs and a card key only opens shares the way its type can; labels and ids are the ones asked
 * for; the public key Keyrite reports is the one the token holds; each refusal is typed and leaves
 * nothing behind. Attributes Keyrite's own API does not show are read with pkcs11js directly
 * (raw-token.ts), not through the adapter under test.
 */
import { constants, createECDH, createPublicKey, publicEncrypt, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { GeneratedKeyPair, KeyAlgorithm, KeyPairSpec, SignatureScheme } from '../../../electron/core/token/types';
import { verifySignature } from '../../../electron/core/token/verify';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';
import { CK, openRawToken, type RawToken } from './raw-token';

const tmp = tempDir('keyrite-key-templates-');
afterAll(() => tmp.cleanup());

const GEN_MECHANISM: Record<KeyAlgorithm, string> = {
  'rsa-3072': 'CKM_RSA_PKCS_KEY_PAIR_GEN', 'rsa-4096': 'CKM_RSA_PKCS_KEY_PAIR_GEN',
  'ec-p256': 'CKM_EC_KEY_PAIR_GEN', 'ec-p384': 'CKM_EC_KEY_PAIR_GEN', 'ec-p521': 'CKM_EC_KEY_PAIR_GEN',
  ed25519: 'CKM_EC_EDWARDS_KEY_PAIR_GEN',
};
const SCHEME: Record<KeyAlgorithm, SignatureScheme> = {
  'rsa-3072': 'rsa-pss-sha256', 'rsa-4096': 'rsa-pss-sha256', 'ec-p256': 'ecdsa-sha256', 'ec-p384': 'ecdsa-sha384', 'ec-p521': 'ecdsa-sha512', ed25519: 'ed25519',
};
/** What node:crypto reads from the SPKI: the key's kind and size, as the algorithm promises. */
const SPKI_SHAPE: Record<KeyAlgorithm, { type: string; details: Record<string, unknown> }> = {
  'rsa-3072': { type: 'rsa', details: { modulusLength: 3072, publicExponent: 65537n } },
  'rsa-4096': { type: 'rsa', details: { modulusLength: 4096, publicExponent: 65537n } },
  'ec-p256': { type: 'ec', details: { namedCurve: 'prime256v1' } },
  'ec-p384': { type: 'ec', details: { namedCurve: 'secp384r1' } },
  'ec-p521': { type: 'ec', details: { namedCurve: 'secp521r1' } },
  ed25519: { type: 'ed25519', details: {} },
};

/** Every proof attribute of a key generated on SoftHSM2 that did not change with the key's purpose. */
const BORN_ON_TOKEN = { local: true, sensitive: true, alwaysSensitive: true, token: true, private: true, unwrap: false, wrapWithTrusted: false };

const jwkOf = (spki: Uint8Array): JsonWebKey => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

/** The public key as the token's own public object holds it (raw attributes), in the SPKI's terms. */
function tokenPublicKey(raw: RawToken, id: string, algorithm: KeyAlgorithm): Buffer {
  if (algorithm.startsWith('rsa')) {
    const [pub] = raw.objects(id, CK.CKO_PUBLIC_KEY, [CK.CKA_MODULUS, CK.CKA_PUBLIC_EXPONENT]);
    expect(pub?.get(CK.CKA_PUBLIC_EXPONENT)).toEqual(Buffer.from([1, 0, 1]));
    return pub!.get(CK.CKA_MODULUS)!;
  }
  const [pub] = raw.objects(id, CK.CKO_PUBLIC_KEY, [CK.CKA_EC_POINT]);
  const der = pub!.get(CK.CKA_EC_POINT)!;
  // A DER OCTET STRING around the point (one length byte for every curve here but P-521's 133 bytes).
  return der[1]! & 0x80 ? der.subarray(2 + (der[1]! & 0x7f)) : der.subarray(2);
}

function spkiPublicKey(spki: Uint8Array, algorithm: KeyAlgorithm): Buffer {
  const jwk = jwkOf(spki);
  if (algorithm.startsWith('rsa')) return b64u(jwk.n);
  if (algorithm === 'ed25519') return b64u(jwk.x);
  return Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]);
}

describe('key pair templates on SoftHSM2 (in-process token host)', () => {
  let client: TokenClient;
  let session: string;
  let raw: RawToken;
  let modulePath: string;
  let serial = 0;
  /** A fresh label and id for each key, so no test depends on another's keys. */
  const fresh = (name: string) => {
    serial += 1;
    return { label: `${name}-${serial}`, id: (0x4b00 + serial).toString(16) };
  };
  const make = (spec: Omit<KeyPairSpec, 'label' | 'id'> & { name?: string }): Promise<GeneratedKeyPair> => {
    const { name, ...rest } = spec;
    return client.generateKeyPair(session, { ...rest, ...fresh(name ?? spec.algorithm) });
  };
  const refusal = <T>(p: Promise<T>) => p.then(() => undefined, (e: unknown) => e);
  const onToken = async (query: { id?: string; label?: string }) => (await client.findKeys(session, query)).map((k) => k.class).sort();

  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'templates');
    modulePath = token.modulePath;
    client = createTokenClient({ modulePath, env: token.env, spawner: inProcessSpawner() });
    session = await client.openSession({ label: 'templates' }, { pin: USER_PIN });
    raw = openRawToken(modulePath, 'templates');
  });
  afterAll(async () => {
    raw?.close();
    await client?.close();
  });

  describe('a ceremony key made without a backup never leaves the token', () => {
    (['ec-p256', 'ec-p384', 'ec-p521', 'ed25519', 'rsa-3072'] as const).forEach((algorithm) => {
      it(`${algorithm}: proof, no wrap, only signing, and the public key the token holds`, async () => {
        const key = await make({ algorithm, extractableForBackup: false, finalAttributes: true });
        expect(await client.readKeyProof(session, key)).toEqual({
          ...BORN_ON_TOKEN, extractable: false, neverExtractable: true, keyGenMechanism: GEN_MECHANISM[algorithm],
          sign: true, decrypt: false, copyable: false, modifiable: false,
        });
        // Not even under a wrapping key of the holder's choosing, with the user PIN.
        const wk = await client.generateSecretKey(session, { ...fresh('wrap'), onToken: false, extractable: false });
        expect(await refusal(client.wrapKey(session, wk, key))).toMatchObject({ code: 'KEY_UNEXTRACTABLE' });

        // The public half: a token object anyone may read, for verifying only.
        expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_TOKEN)).toBe(true);
        expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_PRIVATE)).toBe(false);
        expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_VERIFY)).toBe(true);
        expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_ENCRYPT)).toBe(false);
        expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_WRAP)).toBe(false);
        if (algorithm !== 'ed25519') expect(raw.flag(key.id, CK.CKO_PRIVATE_KEY, CK.CKA_DERIVE)).toBe(false);

        // The SPKI reported at generation is the key of the algorithm asked for, is what the token holds, and is what exportPublicKey gives.
        const pk = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
        expect(pk.asymmetricKeyType).toBe(SPKI_SHAPE[algorithm].type);
        expect(pk.asymmetricKeyDetails).toMatchObject(SPKI_SHAPE[algorithm].details);
        expect(spkiPublicKey(key.spki, algorithm)).toEqual(tokenPublicKey(raw, key.id, algorithm));
        expect(await client.exportPublicKey(session, key)).toEqual(key.spki);
        const data = new TextEncoder().encode(`signed by ${algorithm}`);
        expect(verifySignature(key.spki, SCHEME[algorithm], data, await client.sign(session, key, SCHEME[algorithm], data))).toBe(true);
      });
    });
  });

  describe('a key made for its backup', () => {
    it('is sensitive and wraps until lockKey, then never; it stays modifiable so the lock can clear CKA_EXTRACTABLE', async () => {
      const key = await make({ algorithm: 'ec-p384', extractableForBackup: true, finalAttributes: true });
      expect(await client.readKeyProof(session, key)).toEqual({
        ...BORN_ON_TOKEN, extractable: true, neverExtractable: false, keyGenMechanism: 'CKM_EC_KEY_PAIR_GEN',
        sign: true, decrypt: false, copyable: false, modifiable: true,
      });
      const wk = await client.generateSecretKey(session, { ...fresh('backup-wrap'), onToken: false, extractable: false });
      expect((await client.wrapKey(session, wk, key)).length).toBeGreaterThan(0);

      expect((await client.lockKey(session, key)).extractable).toBe(false);
      expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: false, neverExtractable: false, sensitive: true });
      const attacker = await client.generateSecretKey(session, { ...fresh('attacker'), onToken: false, extractable: false });
      expect(await refusal(client.wrapKey(session, attacker, key))).toMatchObject({ code: 'KEY_UNEXTRACTABLE' });
      expect(await refusal(client.wrapKey(session, wk, key))).toMatchObject({ code: 'KEY_UNEXTRACTABLE' });
    });

    it('an RSA key: the same, and its restored copy proves it was not generated there', async () => {
      const key = await make({ algorithm: 'rsa-3072', extractableForBackup: true });
      expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: true, neverExtractable: false, sensitive: true, alwaysSensitive: true });
      const wk = await client.generateSecretKey(session, { ...fresh('rsa-wrap'), onToken: false, extractable: false });
      const wrapped = await client.wrapKey(session, wk, key);
      // Restored without a public object: exportPublicKey reads the public half from the private key.
      const restored = await client.unwrapKey(session, wk, wrapped, { algorithm: 'rsa-3072', ...fresh('restored'), extractable: false });
      expect(await onToken(restored)).toEqual(['private']);
      expect(await client.exportPublicKey(session, restored)).toEqual(key.spki);
      expect(await client.readKeyProof(session, restored)).toMatchObject({ local: false, keyGenMechanism: 'UNAVAILABLE', extractable: false, sensitive: true });
    });
  });

  describe('keys made for a purpose do only that', () => {
    it('a key with no usage given is a signing key', async () => {
      const key = await make({ algorithm: 'ec-p256', extractableForBackup: false });
      expect(await client.readKeyProof(session, key)).toMatchObject({ sign: true, decrypt: false, unwrap: false });
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_VERIFY)).toBe(true);
    });

    it('a key made without finalAttributes (witness, transcript key) is still never extractable; copy and modify stay as the token makes them', async () => {
      const key = await make({ algorithm: 'ed25519', extractableForBackup: false, usage: 'sign' });
      expect(await client.readKeyProof(session, key)).toMatchObject({ extractable: false, neverExtractable: true, sensitive: true, copyable: true, modifiable: true });
    });

    it('signing keys neither decrypt nor agree secrets', async () => {
      const ec = await make({ algorithm: 'ec-p256', extractableForBackup: false, finalAttributes: true });
      expect(await refusal(client.deriveSharedSecret(session, ec, createECDH('prime256v1').generateKeys()))).toMatchObject({ code: 'KEY_FUNCTION_NOT_PERMITTED' });
      const rsa = await make({ algorithm: 'rsa-3072', extractableForBackup: false, finalAttributes: true });
      expect(await refusal(client.decrypt(session, rsa, 'rsa-oaep-sha256', new Uint8Array(384)))).toMatchObject({ code: 'KEY_FUNCTION_NOT_PERMITTED' });
      expect(raw.flag(rsa.id, CK.CKO_PRIVATE_KEY, CK.CKA_DERIVE)).toBe(false);
    });

    it('an RSA card key decrypts (OAEP) and does nothing else', async () => {
      const key = await make({ algorithm: 'rsa-3072', extractableForBackup: false, usage: 'decrypt' });
      expect(await client.readKeyProof(session, key)).toMatchObject({ sign: false, decrypt: true, unwrap: false, extractable: false, neverExtractable: true, sensitive: true });
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_ENCRYPT)).toBe(true);
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_VERIFY)).toBe(false);
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_WRAP)).toBe(false);
      expect(raw.flag(key.id, CK.CKO_PRIVATE_KEY, CK.CKA_DERIVE)).toBe(false);
      const share = new TextEncoder().encode('share 3 of 5');
      const ct = publicEncrypt({ key: createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, share);
      expect(Buffer.from(await client.decrypt(session, key, 'rsa-oaep-sha256', ct)).toString()).toBe('share 3 of 5');
      expect(await refusal(client.sign(session, key, 'rsa-pss-sha256', share))).toMatchObject({ code: 'KEY_FUNCTION_NOT_PERMITTED' });
    });

    it('an EC card key agrees a secret (ECDH) and does nothing else', async () => {
      const key = await make({ algorithm: 'ec-p384', extractableForBackup: false, usage: 'decrypt' });
      expect(await client.readKeyProof(session, key)).toMatchObject({ sign: false, decrypt: false, unwrap: false, extractable: false, neverExtractable: true });
      expect(raw.flag(key.id, CK.CKO_PRIVATE_KEY, CK.CKA_DERIVE)).toBe(true);
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_VERIFY)).toBe(false);
      expect(raw.flag(key.id, CK.CKO_PUBLIC_KEY, CK.CKA_ENCRYPT)).toBe(false);
      const eph = createECDH('secp384r1');
      const point = eph.generateKeys();
      expect(Buffer.from(await client.deriveSharedSecret(session, key, point))).toEqual(eph.computeSecret(spkiPublicKey(key.spki, 'ec-p384')));
      expect(await refusal(client.sign(session, key, 'ecdsa-sha384', point))).toMatchObject({ code: 'KEY_FUNCTION_NOT_PERMITTED' });
    });

    it('an Ed25519 key for decryption: KEY_USAGE_UNSUPPORTED naming what to choose; nothing made', async () => {
      const ref = fresh('ed-card');
      const err = await refusal(client.generateKeyPair(session, { algorithm: 'ed25519', usage: 'decrypt', ...ref, extractableForBackup: false }));
      expect(err).toMatchObject({ code: 'KEY_USAGE_UNSUPPORTED', message: expect.stringMatching(/RSA and EC/), action: expect.stringContaining('rsa-3072, rsa-4096, ec-p256 or ec-p384') });
      expect(await onToken({ label: ref.label })).toEqual([]);
      expect(await onToken({ id: ref.id })).toEqual([]);
    });
  });

  describe('refusals before the token is asked to make anything', () => {
    it('an unknown algorithm: KEY_ALGORITHM_UNSUPPORTED naming it and the ones there are', async () => {
      const ref = fresh('dsa');
      const err = await refusal(client.generateKeyPair(session, { algorithm: 'dsa-1024' as KeyAlgorithm, ...ref, extractableForBackup: false }));
      expect(err).toMatchObject({ code: 'KEY_ALGORITHM_UNSUPPORTED', message: expect.stringContaining('"dsa-1024"'), action: expect.stringContaining('rsa-3072, rsa-4096, ec-p256, ec-p384, ec-p521, ed25519') });
      expect(await onToken({ label: ref.label })).toEqual([]);
    });

    it('an id that is not lowercase whole-byte hex: KEY_ID_INVALID, nothing made', async () => {
      for (const id of ['4B99', '4b9', 'key1']) {
        const err = await refusal(client.generateKeyPair(session, { algorithm: 'ec-p256', label: `bad-id-${id}`, id, extractableForBackup: false }));
        expect(err, id).toMatchObject({ code: 'KEY_ID_INVALID' });
        expect(await onToken({ label: `bad-id-${id}` })).toEqual([]);
      }
    });

    it('a label already on the token, even on an object that is not a key: KEY_LABEL_IN_USE naming it', async () => {
      const first = await make({ algorithm: 'ec-p256', extractableForBackup: false });
      const other = fresh('other');
      const err = await refusal(client.generateKeyPair(session, { algorithm: 'ec-p384', label: first.label, id: other.id, extractableForBackup: false }));
      expect(err).toMatchObject({
        code: 'KEY_LABEL_IN_USE', message: `The token already holds an object labelled "${first.label}".`,
        action: expect.stringContaining('Choose another label'), details: { label: first.label },
      });
      expect(await onToken({ id: other.id })).toEqual([]);
      raw.create([{ type: CK.CKA_CLASS, value: CK.CKO_DATA }, { type: CK.CKA_TOKEN, value: true }, { type: CK.CKA_LABEL, value: other.label }, { type: CK.CKA_VALUE, value: Buffer.from('note') }]);
      expect(await refusal(client.generateKeyPair(session, { algorithm: 'ec-p256', ...other, extractableForBackup: false }))).toMatchObject({ code: 'KEY_LABEL_IN_USE', details: { label: other.label } });
    });

    it('an id already on the token: KEY_ID_IN_USE naming it', async () => {
      const first = await make({ algorithm: 'ec-p256', extractableForBackup: false });
      const other = fresh('other');
      const err = await refusal(client.generateKeyPair(session, { algorithm: 'ec-p256', label: other.label, id: first.id, extractableForBackup: false }));
      expect(err).toMatchObject({
        code: 'KEY_ID_IN_USE', message: `The token already holds an object with id ${first.id}.`,
        action: expect.stringContaining('fresh random id'), details: { id: first.id },
      });
      expect(await onToken({ label: other.label })).toEqual([]);
    });
  });

  describe('finding keys', () => {
    it('by id, by label (UTF-8) and by class: the label and id asked for, the type, on the token', async () => {
      const label = 'racine-clé-2026 ✓';
      const key = await client.generateKeyPair(session, { algorithm: 'ec-p521', label, id: '5eed00c1', extractableForBackup: false });
      const views = [
        { id: '5eed00c1', label, class: 'private', keyType: 'CKK_EC', onToken: true },
        { id: '5eed00c1', label, class: 'public', keyType: 'CKK_EC', onToken: true },
      ];
      const byClass = (a: { class: string }, b: { class: string }) => a.class.localeCompare(b.class);
      expect((await client.findKeys(session, { id: key.id })).sort(byClass)).toEqual(views);
      expect((await client.findKeys(session, { label })).sort(byClass)).toEqual(views);
      expect(await client.findKeys(session, { id: key.id, class: 'private' })).toEqual([views[0]]);
      expect(await client.findKeys(session, { label, class: 'public' })).toEqual([views[1]]);
      const rsa = await make({ algorithm: 'rsa-3072', extractableForBackup: false });
      expect(await client.findKeys(session, { id: rsa.id, class: 'public' })).toEqual([{ id: rsa.id, label: rsa.label, class: 'public', keyType: 'CKK_RSA', onToken: true }]);
    });

    it('a session-only secret key is listed as not on the token', async () => {
      const k = await client.generateSecretKey(session, { ...fresh('session-aes'), onToken: false, extractable: false });
      expect(await client.findKeys(session, k)).toEqual([{ ...k, class: 'secret', keyType: 'CKK_AES', onToken: false }]);
    });

    it('certificates and data objects under the same label and id are not keys: only the key pair is listed', async () => {
      const key = await make({ algorithm: 'ec-p256', extractableForBackup: false });
      raw.create([
        { type: CK.CKA_CLASS, value: CK.CKO_CERTIFICATE }, { type: CK.CKA_CERTIFICATE_TYPE, value: CK.CKC_X_509 }, { type: CK.CKA_TOKEN, value: true },
        { type: CK.CKA_LABEL, value: key.label }, { type: CK.CKA_ID, value: Buffer.from(key.id, 'hex') },
        { type: CK.CKA_SUBJECT, value: Buffer.from('3000', 'hex') }, { type: CK.CKA_VALUE, value: Buffer.from('3000', 'hex') },
      ]);
      raw.create([{ type: CK.CKA_CLASS, value: CK.CKO_DATA }, { type: CK.CKA_TOKEN, value: true }, { type: CK.CKA_LABEL, value: key.label }, { type: CK.CKA_VALUE, value: Buffer.from('note') }]);
      expect(await onToken({ id: key.id })).toEqual(['private', 'public']);
      expect(await onToken({ label: key.label })).toEqual(['private', 'public']);
      expect(await onToken({})).toEqual(expect.arrayContaining(['private', 'public', 'secret']));
    });

    it('an id that is not lowercase hex: KEY_ID_INVALID', async () => {
      expect(await refusal(client.findKeys(session, { id: 'ABCD' }))).toMatchObject({ code: 'KEY_ID_INVALID' });
    });
  });

  describe('the public key and destroying keys', () => {
    it('an EC key without its public object: KEY_NOT_FOUND naming the public key; a key not on the token: the same', async () => {
      const key = await make({ algorithm: 'ec-p256', extractableForBackup: false });
      await client.destroyObject(session, key, 'public');
      expect(await onToken(key)).toEqual(['private']);
      expect(await refusal(client.exportPublicKey(session, key))).toMatchObject({
        code: 'KEY_NOT_FOUND', message: `No public key with id ${key.id} and label "${key.label}" is on the token.`, details: { id: key.id, label: key.label },
      });
      const gone = fresh('never-made');
      expect(await refusal(client.exportPublicKey(session, gone))).toMatchObject({ code: 'KEY_NOT_FOUND', message: expect.stringContaining('No public key with id') });
    });

    it('a destroyed private key is gone; a key re-made under its name is the one used', async () => {
      const ref = fresh('rotated');
      const first = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
      await client.sign(session, first, 'ecdsa-sha256', new Uint8Array([1]));
      await client.destroyObject(session, ref, 'private');
      expect(await onToken(ref)).toEqual(['public']);
      expect(await refusal(client.readKeyProof(session, ref))).toMatchObject({ code: 'KEY_NOT_FOUND' });
      await client.destroyObject(session, ref, 'public');
      expect(await onToken(ref)).toEqual([]);
      const second = await client.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
      const data = new Uint8Array([2]);
      expect(verifySignature(second.spki, 'ecdsa-sha256', data, await client.sign(session, ref, 'ecdsa-sha256', data))).toBe(true);
    });
  });
});
