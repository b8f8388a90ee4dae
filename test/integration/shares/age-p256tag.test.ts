/**
 * A share to an EC P-256 card is a standard age file: one p256tag stanza (age v1.3 tag recipient).
 * age-encryption opens it with a software identity written here from RFC 9180 with @noble (not
 * Keyrite's code); Keyrite opens it on a SoftHSM2 card (ECDH through PKCS#11); old ECDH JSON files
 * still open; and the file is routed as a card share, not as a passphrase age file.
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { armor, Decrypter, type Stanza } from 'age-encryption';
import { base64nopad } from '@scure/base';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { p256 } from '@noble/curves/nist.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { decodeShareInput, encryptShareForCard, encryptShareToTokenKey, findRecipientKey, isTokenShareFile, openTokenShare, openTokenShareOnToken } from '../../../electron/core/shares';
import { isAgeArmored } from '../../../electron/core/shares/age-file';
import { encodeEnvelope, makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-age-p256tag-');
let client: TokenClient;
let session: string;
let serial: string;
const env: ShareEnvelope = (() => {
  const share = new Uint8Array(randomBytes(33));
  share[32] = 2;
  return makeEnvelope({ ceremonyTag: 'c0ffee01', splitId: 'abcdef01', k: 2, n: 3, share });
})();

beforeAll(async () => {
  const t = await makeToken(tmp.dir, 'grace-card');
  client = createTokenClient({ modulePath: t.modulePath, env: t.env });
  session = await client.openSession({ label: 'grace-card' }, { pin: USER_PIN });
  serial = (await client.listSlots()).find((s) => s.token?.label === 'grace-card')!.token!.serial;
}, 60_000);
afterAll(async () => {
  await client.closeSession(session).catch(() => undefined);
  await client.close();
  tmp.cleanup();
});

/** RFC 9180 base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, from the RFC. */
function softwareIdentity(priv: Uint8Array) {
  const pkR = p256.getPublicKey(priv, false);
  const te = (s: string) => new TextEncoder().encode(s);
  const cat = (...a: Uint8Array[]) => { const o = new Uint8Array(a.reduce((n, x) => n + x.length, 0)); let i = 0; for (const x of a) { o.set(x, i); i += x.length; } return o; };
  const lExtract = (suite: Uint8Array, salt: Uint8Array | undefined, label: string, ikm: Uint8Array) => extract(sha256, cat(te('HPKE-v1'), suite, te(label), ikm), salt);
  const lExpand = (suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, l: number) => expand(sha256, prk, cat(new Uint8Array([l >> 8, l & 255]), te('HPKE-v1'), suite, te(label), info), l);
  return {
    unwrapFileKey(stanzas: Stanza[]) {
      const s = stanzas.find((x) => x.args[0] === 'p256tag');
      if (!s) return null;
      const enc = base64nopad.decode(s.args[2]!);
      const dh = p256.getSharedSecret(priv, enc, true).subarray(1);
      const kem = cat(te('KEM'), new Uint8Array([0, 0x10]));
      const shared = lExpand(kem, lExtract(kem, undefined, 'eae_prk', dh), 'shared_secret', cat(enc, pkR), 32);
      const suite = cat(te('HPKE'), new Uint8Array([0, 0x10, 0, 1, 0, 3]));
      const ks = cat(new Uint8Array([0]), lExtract(suite, undefined, 'psk_id_hash', new Uint8Array(0)), lExtract(suite, undefined, 'info_hash', te('age-encryption.org/p256tag')));
      const secret = lExtract(suite, shared, 'secret', new Uint8Array(0));
      return chacha20poly1305(lExpand(suite, secret, 'key', ks, 32), lExpand(suite, secret, 'base_nonce', ks, 12)).decrypt(s.body);
    },
  };
}

function stanzaLines(text: string): string[] {
  const header = Buffer.from(armor.decode(text.trim() + '\n')).toString('latin1').split('\n---')[0]!;
  expect(header.startsWith('age-encryption.org/v1\n')).toBe(true);
  return header.split('\n').filter((l) => l.startsWith('-> '));
}

describe('age p256tag shares for EC cards', () => {
  it('is an age file with one p256tag stanza that age-encryption opens with the matching software identity', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const text = await encryptShareForCard(env, spki);
    const stanzas = stanzaLines(text);
    expect(stanzas).toHaveLength(1);
    expect(stanzas[0]).toMatch(/^-> p256tag [A-Za-z0-9+/]{6} [A-Za-z0-9+/]{87}$/);
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const dec = new Decrypter();
    dec.addIdentity(softwareIdentity(new Uint8Array(d)));
    expect(Buffer.from(await dec.decrypt(armor.decode(text.trim() + '\n'))).equals(Buffer.from(encodeEnvelope(env)))).toBe(true);
  });

  it('Keyrite opens it on the SoftHSM2 card (ECDH through PKCS#11), finding the key by the stanza tag', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'grace-share', id: '6ac1', extractableForBackup: false, usage: 'decrypt' });
    await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'other', id: '6ac2', extractableForBackup: false, usage: 'decrypt' });
    const text = await encryptShareForCard(env, key.spki, { keyLabel: 'grace-share' });
    expect(isTokenShareFile(text)).toBe(true);
    expect(isAgeArmored(text)).toBe(false);
    expect((await findRecipientKey(client, session, text)).id).toBe('6ac1');
    expect(await openTokenShare(client, session, key, text)).toEqual(env);
    await client.closeSession(session);
    expect(await openTokenShareOnToken(client, serial, USER_PIN, text)).toEqual(env);
    session = await client.openSession({ label: 'grace-card' }, { pin: USER_PIN });
    // The other key on the card is not the recipient: refused, named.
    const other = (await client.findKeys(session, { label: 'other', class: 'private' }))[0]!;
    await expect(openTokenShare(client, session, other, text)).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    // A damaged stanza body does not open.
    const bin = armor.decode(text.trim() + '\n');
    const at = Buffer.from(bin).indexOf('\n---') - 3;
    bin[at] = (bin[at] ?? 0) ^ 1;
    await expect(openTokenShare(client, session, key, armor.encode(bin))).rejects.toMatchObject({ code: expect.stringMatching(/SHARE_TOKEN_/) });
    // decodeShareInput routes it as a card share, not a passphrase age file.
    expect(() => decodeShareInput({ text })).toThrow(/encrypted to a custodian's token key/);
  });

  it('old ECDH JSON share files (and P-384 cards, which have no age tag type) still open', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'old', id: '6ac3', extractableForBackup: false, usage: 'decrypt' });
    expect(await openTokenShare(client, session, key, encryptShareToTokenKey(env, key.spki))).toEqual(env);
    const k384 = await client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'p384', id: '6ac4', extractableForBackup: false, usage: 'decrypt' });
    const text = await encryptShareForCard(env, k384.spki);
    expect(JSON.parse(text)).toMatchObject({ version: 2 });
    expect(await openTokenShare(client, session, k384, text)).toEqual(env);
  });
});
