import { generateKeyPairSync, privateDecrypt, publicEncrypt, constants, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer, pemToSpki, spkiToPem, verifySignature } from '../../../electron/core/token/verify';
import { oaepSha256Decode } from '../../../electron/core/token/adapter/oaep';

const spkiOf = (k: { publicKey: import('node:crypto').KeyObject }): Uint8Array => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));
const data = new TextEncoder().encode('signed bytes');

describe('software verification of token signatures', () => {
  it('converts ECDSA r||s to DER and back, for every curve size (incl. high-bit and leading-zero values)', () => {
    for (const n of [32, 48, 66]) {
      const raw = new Uint8Array(2 * n);
      raw[0] = 0x00;
      raw[1] = 0x01;
      raw[n] = 0xff;
      raw[2 * n - 1] = 7;
      expect(ecdsaDerToRaw(ecdsaRawToDer(raw), n)).toEqual(raw);
    }
    for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
      const k = generateKeyPairSync('ec', { namedCurve: curve });
      const n = curve === 'P-521' ? 66 : curve === 'P-384' ? 48 : 32;
      const raw = sign('sha256', data, { key: k.privateKey, dsaEncoding: 'ieee-p1363' });
      expect(verifySignature(spkiOf(k), 'ecdsa-sha256', data, ecdsaRawToDer(raw))).toBe(true);
      expect(ecdsaDerToRaw(ecdsaRawToDer(raw), n)).toEqual(new Uint8Array(raw));
    }
  });

  it('verifies RSA PSS and PKCS#1 v1.5 and Ed25519, and rejects wrong scheme, key or data', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pss = sign('sha384', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 });
    expect(verifySignature(spkiOf(rsa), 'rsa-pss-sha384', data, pss)).toBe(true);
    expect(verifySignature(spkiOf(rsa), 'rsa-pkcs1-sha384', data, pss)).toBe(false);
    const v15 = sign('sha512', data, rsa.privateKey);
    expect(verifySignature(spkiOf(rsa), 'rsa-pkcs1-sha512', data, v15)).toBe(true);
    const ed = generateKeyPairSync('ed25519');
    const edSig = sign(null, data, ed.privateKey);
    expect(verifySignature(spkiOf(ed), 'ed25519', data, edSig)).toBe(true);
    expect(verifySignature(spkiOf(ed), 'ed25519', new Uint8Array([1]), edSig)).toBe(false);
    expect(verifySignature(spkiOf(rsa), 'ed25519', data, edSig)).toBe(false);
    expect(verifySignature(new Uint8Array([1, 2, 3]), 'ed25519', data, edSig)).toBe(false);
  });

  it('round-trips SPKI through PEM', () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = spkiToPem(spkiOf(k));
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    expect(pemToSpki(pem)).toEqual(spkiOf(k));
  });

  it('removes RSA-OAEP (SHA-256) padding after a raw RSA decryption, and rejects tampering', () => {
    const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ct = publicEncrypt({ key: k.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('share'));
    const em = privateDecrypt({ key: k.privateKey, padding: constants.RSA_NO_PADDING }, ct);
    expect(Buffer.from(oaepSha256Decode(em, 256)).toString()).toBe('share');
    const bad = Buffer.from(em);
    bad[100] = (bad[100] ?? 0) ^ 1;
    expect(() => oaepSha256Decode(bad, 256)).toThrow(expect.objectContaining({ code: 'WRAPPED_KEY_INVALID' }));
  });
});
