/**
 * The software check every token signature passes before Keyrite trusts it (token/verify.ts): each
 * scheme accepts only a signature made under that scheme by the key given (the right hash, the
 * PSS salt length the scheme fixes, the key type the scheme needs), and never throws; public keys are
 * written as the PEM OpenSSL writes and read back to the same DER; the fingerprint read aloud is the
 * SHA-256 of the SPKI and its PGP words.
 */
import { constants, createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pemToSpki, publicKeyFingerprint, spkiToPem, verifySignature } from '../../../electron/core/token/verify';
import type { SignatureScheme } from '../../../electron/core/token/types';
import { toPgpWords } from '../../../electron/core/util/pgp-words';

const spkiOf = (k: { publicKey: KeyObject }): Uint8Array => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));
const data = new TextEncoder().encode('bytes the token signed');
const other = new TextEncoder().encode('bytes the token did not sign');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed = generateKeyPairSync('ed25519');

describe('verifySignature', () => {
  for (const [hash, salt] of [['sha256', 32], ['sha384', 48], ['sha512', 64]] as const) {
    it(`rsa-pss-${hash}: accepts its hash with salt length ${salt} only`, () => {
      const scheme = `rsa-pss-${hash}` as SignatureScheme;
      const sig = sign(hash, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt });
      expect(verifySignature(spkiOf(rsa), scheme, data, sig)).toBe(true);
      expect(verifySignature(spkiOf(rsa), scheme, other, sig)).toBe(false);
      // The same hash with another salt length is not this scheme's signature.
      const otherSalt = sign(hash, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt - 12 });
      expect(verifySignature(spkiOf(rsa), scheme, data, otherSalt)).toBe(false);
      // A PKCS#1 v1.5 signature over the same hash is refused under PSS, and the PSS one under PKCS#1.
      expect(verifySignature(spkiOf(rsa), scheme, data, sign(hash, data, rsa.privateKey))).toBe(false);
      expect(verifySignature(spkiOf(rsa), `rsa-pkcs1-${hash}` as SignatureScheme, data, sig)).toBe(false);
    });

    it(`rsa-pkcs1-${hash}: accepts its hash only`, () => {
      const scheme = `rsa-pkcs1-${hash}` as SignatureScheme;
      const sig = sign(hash, data, rsa.privateKey);
      expect(verifySignature(spkiOf(rsa), scheme, data, sig)).toBe(true);
      expect(verifySignature(spkiOf(rsa), scheme, other, sig)).toBe(false);
      const otherHash = hash === 'sha256' ? 'sha384' : 'sha256';
      expect(verifySignature(spkiOf(rsa), `rsa-pkcs1-${otherHash}` as SignatureScheme, data, sig)).toBe(false);
    });

    it(`ecdsa-${hash}: accepts a DER signature with its hash only, by an EC key`, () => {
      const scheme = `ecdsa-${hash}` as SignatureScheme;
      const sig = sign(hash, data, { key: ec.privateKey, dsaEncoding: 'der' });
      expect(verifySignature(spkiOf(ec), scheme, data, sig)).toBe(true);
      expect(verifySignature(spkiOf(ec), scheme, other, sig)).toBe(false);
      const otherHash = hash === 'sha256' ? 'sha512' : 'sha256';
      expect(verifySignature(spkiOf(ec), `ecdsa-${otherHash}` as SignatureScheme, data, sig)).toBe(false);
      // The raw r||s form is not accepted where DER is expected.
      expect(verifySignature(spkiOf(ec), scheme, data, sign(hash, data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }))).toBe(false);
    });
  }

  it('refuses a scheme for another key type, even with a signature that key made', () => {
    const edSig = sign(null, data, ed.privateKey);
    const ecSig = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' });
    const rsaSig = sign('sha256', data, rsa.privateKey);
    expect(verifySignature(spkiOf(ec), 'ed25519', data, edSig)).toBe(false);
    expect(verifySignature(spkiOf(rsa), 'ecdsa-sha256', data, ecSig)).toBe(false);
    expect(verifySignature(spkiOf(ec), 'rsa-pkcs1-sha256', data, rsaSig)).toBe(false);
    expect(verifySignature(spkiOf(ed), 'rsa-pkcs1-sha256', data, rsaSig)).toBe(false);
    expect(verifySignature(spkiOf(ed), 'ecdsa-sha256', data, ecSig)).toBe(false);
    expect(verifySignature(spkiOf(ed), 'ed25519', data, edSig)).toBe(true);
    // Node would verify these signatures with the key they were made by (its default digest is SHA-256):
    // the scheme, not the key, decides what is accepted.
    expect(verifySignature(spkiOf(ec), 'ed25519', data, ecSig)).toBe(false);
    expect(verifySignature(spkiOf(rsa), 'ecdsa-sha256', data, rsaSig)).toBe(false);
    expect(verifySignature(spkiOf(ec), 'rsa-pkcs1-sha256', data, ecSig)).toBe(false);
    expect(verifySignature(spkiOf(ec), 'rsa-pss-sha256', data, ecSig)).toBe(false);
  });

  it('refuses, without throwing, a scheme it does not know or one with no hash', () => {
    const rsaSig = sign('sha256', data, rsa.privateKey);
    const pss = sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const ecSig = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' });
    for (const [scheme, sig, spki] of [
      ['rsa-pkcs1', rsaSig, spkiOf(rsa)], ['rsa-pss', pss, spkiOf(rsa)], ['rsa-pkcs1-md5', rsaSig, spkiOf(rsa)], ['rsa-oaep-sha256', rsaSig, spkiOf(rsa)],
      ['dsa-pkcs1-sha256', rsaSig, spkiOf(rsa)], ['ecdsa-md5', ecSig, spkiOf(ec)], ['ecdsa', ecSig, spkiOf(ec)], ['', rsaSig, spkiOf(rsa)],
    ] as const) {
      expect(verifySignature(spki, scheme as SignatureScheme, data, sig), scheme).toBe(false);
    }
  });

  it('refuses, without throwing, a key that is not an SPKI and a signature that is not one', () => {
    expect(verifySignature(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 'ecdsa-sha256', data, new Uint8Array(8))).toBe(false);
    expect(verifySignature(spkiOf(ec), 'ecdsa-sha256', data, new Uint8Array([0x30, 0xff, 0x00]))).toBe(false);
    expect(verifySignature(spkiOf(rsa), 'rsa-pss-sha256', data, new Uint8Array(3))).toBe(false);
    expect(verifySignature(spkiOf(ed), 'ed25519', data, new Uint8Array(3))).toBe(false);
  });
});

describe('public keys as PEM and their fingerprint', () => {
  it('writes exactly the PEM OpenSSL writes, for short and long keys', () => {
    for (const k of [ed, ec, rsa]) {
      expect(spkiToPem(spkiOf(k))).toBe(k.publicKey.export({ type: 'spki', format: 'pem' }));
      expect(pemToSpki(spkiToPem(spkiOf(k)))).toEqual(spkiOf(k));
    }
  });

  it('wraps at 64 characters with no blank line when the base64 fills its last line exactly', () => {
    const bytes = new Uint8Array(96).map((_, i) => i);
    const b64 = Buffer.from(bytes).toString('base64');
    expect(spkiToPem(bytes)).toBe(`-----BEGIN PUBLIC KEY-----\n${b64.slice(0, 64)}\n${b64.slice(64)}\n-----END PUBLIC KEY-----\n`);
    expect(spkiToPem(bytes.slice(0, 48))).toBe(`-----BEGIN PUBLIC KEY-----\n${b64.slice(0, 64)}\n-----END PUBLIC KEY-----\n`);
  });

  it('reads any public key PEM to its SPKI DER, and refuses what is not a key', () => {
    const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(Buffer.from(pemToSpki(pem))).toEqual(Buffer.from(createPublicKey(pem).export({ type: 'spki', format: 'der' })));
    expect(() => pemToSpki('not a key')).toThrow();
  });

  it('the fingerprint is the SHA-256 of the SPKI DER, in hex and as the PGP words of those bytes', () => {
    const spki = spkiOf(ec);
    const digest = createHash('sha256').update(spki).digest();
    const fp = publicKeyFingerprint(spki);
    expect(fp.sha256Hex).toBe(digest.toString('hex'));
    expect(fp.sha256Hex).toMatch(/^[0-9a-f]{64}$/);
    expect(fp.pgpWords).toEqual(toPgpWords(digest));
    expect(fp.pgpWords).toHaveLength(32);
  });
});
