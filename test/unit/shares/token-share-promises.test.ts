/**
 * Shares encrypted to a custodian's card key (soft-token.ts stands in for the card): an RSA key
 * gets RSA-OAEP (file version 1), a P-384/P-521 key ECDH + HKDF + AES-GCM (version 2), a P-256 key a
 * standard age file with a p256tag stanza. Each opens on the card it was made for, in the format
 * the docs give (checked here by decrypting independently), and is refused with a typed error on
 * another key, when damaged, or when it is not a token share at all.
 */
import { describe, expect, it } from 'vitest';
import { createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, privateDecrypt, constants } from 'node:crypto';
import { armor, Encrypter } from 'age-encryption';
import {
  encryptShareForCard, encryptShareToTokenKey, findRecipientKey, isTokenShareFile, openTokenShare, openTokenShareOnToken, parseTokenShareFile, type TokenShareFileV1, type TokenShareFileV2,
} from '../../../electron/core/shares/token-file';
import { isP256TagAgeFile, isP256TagRecipient, p256TagRecipient } from '../../../electron/core/shares/age-p256tag';
import { isAgeArmored } from '../../../electron/core/shares/age-file';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import type { KeyAlgorithm } from '../../../electron/core/token/types';
import { softBackup } from './fixtures';
import { SoftToken } from './soft-token';

const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);

async function card(algorithm: KeyAlgorithm, label = 'share-key') {
  const t = new SoftToken();
  const k = t.addKeyPair(algorithm, label);
  const text = await encryptShareForCard(await envelope, k.spki, { keyId: k.ref.id, keyLabel: label });
  return { t, k, text };
}

function b64(s: string): Buffer {
  return Buffer.from(s, 'base64');
}

describe('each card key type', () => {
  it('RSA: version 1, RSA-OAEP SHA-256 of the envelope, opened on the card', async () => {
    const { t, k, text } = await card('rsa-3072');
    const f = parseTokenShareFile(text) as TokenShareFileV1;
    expect(f).toMatchObject({ format: 'keyrite.share.token', version: 1, recipient: { spkiSha256: createHash('sha256').update(k.spki).digest('hex'), keyId: k.ref.id, keyLabel: 'share-key' } });
    expect(decodeEnvelope(new Uint8Array(privateDecrypt({ key: k.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, b64(f.ciphertext))))).toEqual(await envelope);
    expect(isTokenShareFile(text)).toBe(true);
    expect(await openTokenShareOnToken(t.api(), 'serial', '123456', text)).toEqual(await envelope);
    expect(t.calls).toContain(`findKeys:${k.ref.id}`);
    expect(t.calls.at(-1)).toBe('closeSession');
  });

  it.each(['ec-p384', 'ec-p521'] as const)('%s: version 2, ECDH + HKDF-SHA256 + AES-256-GCM as documented, opened on the card', async (algorithm) => {
    const { t, k, text } = await card(algorithm);
    const f = parseTokenShareFile(text) as TokenShareFileV2;
    expect(f).toMatchObject({ format: 'keyrite.share.token', version: 2, scheme: 'ecdh-hkdf-sha256-aes256gcm' });
    const point = b64(f.ephemeralPublicKey);
    expect(point[0]).toBe(4);
    const size = (point.length - 1) / 2;
    const crv = k.privateKey.export({ format: 'jwk' }).crv as string;
    const eph = createPublicKey({ key: { kty: 'EC', crv, x: point.subarray(1, 1 + size).toString('base64url'), y: point.subarray(1 + size).toString('base64url') }, format: 'jwk' });
    const z = diffieHellman({ privateKey: k.privateKey, publicKey: eph });
    const context = Buffer.concat([Buffer.from('keyrite.share.token/v2'), point, Buffer.from(f.recipient.spkiSha256, 'hex')]);
    const kek = Buffer.from(hkdfSync('sha256', z, Buffer.alloc(0), context, 32));
    const ct = b64(f.ciphertext);
    const d = createDecipheriv('aes-256-gcm', kek, b64(f.nonce));
    d.setAAD(context);
    d.setAuthTag(ct.subarray(ct.length - 16));
    expect(decodeEnvelope(new Uint8Array(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()])))).toEqual(await envelope);
    expect(await openTokenShareOnToken(t.api(), 'serial', '123456', text)).toEqual(await envelope);
  });

  it('P-256: a standard age file to the card\'s age1tag recipient, opened with ECDH on the card', async () => {
    const { t, k, text } = await card('ec-p256');
    expect(isP256TagAgeFile(text)).toBe(true);
    expect(isTokenShareFile(text)).toBe(true);
    expect(isAgeArmored(text)).toBe(false);
    expect(parseTokenShareFile(text)).toEqual({ format: 'age-p256tag', version: 3, armored: text });
    expect(isP256TagRecipient(k.spki, text)).toBe(true);
    expect(await openTokenShareOnToken(t.api(), 'serial', '123456', text)).toEqual(await envelope);
    expect(t.calls).toContain('deriveSharedSecret');
    // The age-encryption library's own tag recipient (not Keyrite's code) makes a file the card opens.
    const enc = new Encrypter();
    enc.addRecipient(p256TagRecipient(k.spki)!);
    const theirs = armor.encode(await enc.encrypt(encodeEnvelope(await envelope)));
    expect(await openTokenShare(t.api(), 'S', k.ref, theirs)).toEqual(await envelope);
  });
});

describe('refusals', () => {
  it('a share for another key: KEY_NOT_FOUND naming the key, SHARE_TOKEN_DECRYPT_FAILED when that key is used', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p384', 'ec-p256'] as const) {
      const { text } = await card(algorithm, 'alice-card');
      const other = new SoftToken();
      const k = other.addKeyPair(algorithm, 'bob-card');
      await expect(findRecipientKey(other.api(), 'S', text)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
      await expect(openTokenShare(other.api(), 'S', k.ref, text)).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED', message: expect.stringContaining('different token key') });
    }
    const { text } = await card('rsa-3072', 'alice-card');
    await expect(findRecipientKey(new SoftToken().api(), 'S', text)).rejects.toMatchObject({ message: 'The key "alice-card" this share was encrypted to is not on the chosen token.' });
    const f = JSON.parse(text) as TokenShareFileV1;
    delete f.recipient.keyLabel;
    await expect(findRecipientKey(new SoftToken().api(), 'S', JSON.stringify(f))).rejects.toMatchObject({ message: `The key with id ${f.recipient.keyId} this share was encrypted to is not on the chosen token.` });
    delete f.recipient.keyId;
    await expect(findRecipientKey(new SoftToken().api(), 'S', JSON.stringify(f))).rejects.toMatchObject({ message: 'The key this share was encrypted to is not on the chosen token.' });
  });

  it('finds the recipient among several keys, without an id by the SPKI hash alone', async () => {
    const t = new SoftToken();
    t.addKeyPair('rsa-3072', 'other');
    const mine = t.addKeyPair('rsa-3072', 'mine');
    t.addKeyPair('ec-p256', 'p256-other');
    const p256 = t.addKeyPair('ec-p256', 'p256-mine');
    const e = await envelope;
    expect(await findRecipientKey(t.api(), 'S', encryptShareToTokenKey(e, mine.spki))).toMatchObject(mine.ref);
    expect(await findRecipientKey(t.api(), 'S', await encryptShareForCard(e, p256.spki))).toMatchObject(p256.ref);
  });

  it('a damaged ciphertext of each kind is SHARE_TOKEN_DECRYPT_FAILED', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p384'] as const) {
      const { t, k, text } = await card(algorithm);
      const f = JSON.parse(text) as TokenShareFileV1;
      const ct = b64(f.ciphertext);
      ct[5] = (ct[5] ?? 0) ^ 1;
      f.ciphertext = ct.toString('base64');
      await expect(openTokenShare(t.api(), 'S', k.ref, JSON.stringify(f))).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    }
    const { t, k, text } = await card('ec-p256');
    const bin = armor.decode(text);
    bin[bin.length - 2] = (bin[bin.length - 2] ?? 0) ^ 1;
    await expect(openTokenShare(t.api(), 'S', k.ref, armor.encode(bin))).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
  });

  it('version 2: an ephemeral key off the curve, a ciphertext shorter than a tag, a changed context are refused', async () => {
    const { t, k, text } = await card('ec-p384');
    const f = JSON.parse(text) as TokenShareFileV2;
    const open = (g: TokenShareFileV2) => openTokenShare(t.api(), 'S', k.ref, JSON.stringify(g));
    const point = b64(f.ephemeralPublicKey);
    const off = Buffer.from(point);
    off[off.length - 1] = (off[off.length - 1] ?? 0) ^ 1;
    await expect(open({ ...f, ephemeralPublicKey: off.toString('base64') })).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED', message: expect.stringContaining('not a point') });
    const compressed = Buffer.from(point);
    compressed[0] = 2;
    await expect(open({ ...f, ephemeralPublicKey: compressed.toString('base64') })).rejects.toMatchObject({ message: expect.stringContaining('not a point') });
    await expect(open({ ...f, ephemeralPublicKey: point.subarray(0, 60).toString('base64') })).rejects.toMatchObject({ message: expect.stringContaining('not a point') });
    expect(t.calls).not.toContain('deriveSharedSecret');
    await expect(open({ ...f, ciphertext: Buffer.alloc(16).toString('base64') })).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    const ct = b64(f.ciphertext);
    await expect(open({ ...f, ciphertext: ct.subarray(0, 17).toString('base64') })).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    // The recipient hash is bound as HKDF info and GCM data: a file re-addressed to another key fails.
    const otherHash = createHash('sha256').update('x').digest('hex');
    const re = { ...f, recipient: { ...f.recipient, spkiSha256: otherHash } };
    await expect(openTokenShare(t.api(), 'S', k.ref, JSON.stringify(re))).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED', message: expect.stringContaining('different token key') });
  });

  it('a login or device error on the card passes through with its own code', async () => {
    for (const [algorithm, call] of [['rsa-3072', 'decrypt'], ['ec-p384', 'deriveSharedSecret'], ['ec-p256', 'deriveSharedSecret']] as const) {
      const { t, k, text } = await card(algorithm);
      t.faults = { failWith: { call, code: 'TOKEN_DEVICE_REMOVED' } };
      await expect(openTokenShare(t.api(), 'S', k.ref, text)).rejects.toMatchObject({ code: 'TOKEN_DEVICE_REMOVED' });
    }
    const { t, text } = await card('rsa-3072');
    t.faults = { failWith: { call: 'openSession', code: 'PIN_INCORRECT' } };
    await expect(openTokenShareOnToken(t.api(), 'serial', '000000', text)).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
  });

  it('the session is closed when opening fails', async () => {
    const { text } = await card('rsa-3072');
    const t = new SoftToken();
    t.addKeyPair('rsa-3072', 'someone-else');
    await expect(openTokenShareOnToken(t.api(), 'serial', '123456', text)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(t.calls.at(-1)).toBe('closeSession');
  });

  it('anything that is not a token share file is SHARE_TOKEN_FILE_FORMAT, before any login', async () => {
    const { text } = await card('ec-p384');
    const f = JSON.parse(text) as TokenShareFileV2;
    const bad: unknown[] = [
      null, [], 'x', { ...f, format: 'keyrite.share' }, { ...f, version: 3 }, { ...f, version: 1, ciphertext: 'not base64!' },
      { ...f, recipient: null }, { ...f, recipient: { spkiSha256: 'ab' } }, { ...f, recipient: { spkiSha256: 7 } }, { ...f, ciphertext: 5 },
      { ...f, scheme: 'ecdh-other' }, { ...f, ephemeralPublicKey: '@@' }, { ...f, ephemeralPublicKey: 1 },
      { ...f, nonce: Buffer.alloc(11).toString('base64') }, { ...f, nonce: Buffer.alloc(16).toString('base64') }, { ...f, nonce: 12 }, { ...f, nonce: '%%%%' },
    ];
    for (const v of bad) expect(() => parseTokenShareFile(JSON.stringify(v))).toThrow(expect.objectContaining({ code: 'SHARE_TOKEN_FILE_FORMAT' }));
    expect(() => parseTokenShareFile('{"format": "keyrite.share.token",')).toThrow(expect.objectContaining({ code: 'SHARE_TOKEN_FILE_FORMAT', message: expect.stringContaining('not valid JSON') }));
    const t = new SoftToken();
    await expect(openTokenShareOnToken(t.api(), 'serial', '123456', '{}')).rejects.toMatchObject({ code: 'SHARE_TOKEN_FILE_FORMAT' });
    expect(t.calls).toEqual([]);
    expect(isTokenShareFile('{"format": "keyrite.backup"}')).toBe(false);
  });

  it('a key that is neither RSA nor EC on a NIST curve is SHARE_PARAMS_INVALID when encrypting', async () => {
    const e = await envelope;
    const ed = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    await expect(encryptShareForCard(e, ed)).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID', message: expect.stringContaining('ed25519') });
    const k1 = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'der' }));
    await expect(encryptShareForCard(e, k1)).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID', message: expect.stringContaining('P-256, P-384 or P-521') });
    expect(() => encryptShareToTokenKey(e, new Uint8Array([48, 3, 1, 2, 3]))).toThrow(expect.objectContaining({ code: 'SHARE_PARAMS_INVALID', message: expect.stringContaining('not a valid SPKI') }));
  });
});
