import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import QRCode from 'qrcode';
import jsQR from 'jsqr';
import { constants, createDecipheriv, createECDH, generateKeyPairSync, hkdfSync, privateDecrypt } from 'node:crypto';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { decodeEnvelope, encodeEnvelope, makeEnvelope, shareFingerprint, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { decodeShareWords, encodeShareWords, wordsFromText } from '../../../electron/core/shares/words';
import { decodeQrPayload, renderShareQrPngDataUrl, renderShareQrSvg, shareQrPayload } from '../../../electron/core/shares/qr';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encryptShareToTokenKey, parseTokenShareFile } from '../../../electron/core/shares/token-file';
import { decodeShareInput } from '../../../electron/core/shares/share-input';
import { KeyriteError } from '../../../electron/core/util/errors';

const envelopeArb: fc.Arbitrary<ShareEnvelope> = fc
  .record({
    tag: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    split: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    k: fc.integer({ min: 2, max: 255 }),
    extra: fc.integer({ min: 0, max: 253 }),
    y: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    x: fc.integer({ min: 1, max: 255 }),
  })
  .map(({ tag, split, k, extra, y, x }) => {
    const share = new Uint8Array(33);
    share.set(y);
    share[32] = x;
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    return makeEnvelope({ ceremonyTag: hex(tag), splitId: hex(split), k, n: Math.min(255, k + extra), share });
  });

/** A decoder may only fail with a KeyriteError that has a code and an action. */
function typedOnly(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof KeyriteError) || !/^[A-Z_]+$/.test(e.code) || !e.action) throw e;
  }
}

async function typedOnlyAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof KeyriteError) || !/^[A-Z_]+$/.test(e.code) || !e.action) throw e;
  }
}

describe('share encodings round-trip', () => {
  it('envelope bytes, words and QR payload give back the same envelope', () => {
    fc.assert(fc.property(envelopeArb, (e) => {
      expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e);
      expect(decodeShareWords(encodeShareWords(e))).toEqual(e);
      expect(decodeQrPayload(shareQrPayload(e))).toEqual(e);
      expect(decodeShareInput({ text: encodeShareWords(e).join(' ') })).toEqual(e);
      expect(decodeShareInput({ text: shareQrPayload(e) })).toEqual(e);
      expect(decodeShareInput({ text: shareQrPayload(e).toLowerCase() })).toEqual(e);
    }), { numRuns: 300 });
  });

  it('the QR code a scanner reads back is the share', async () => {
    const e = fc.sample(envelopeArb, 1)[0] as ShareEnvelope;
    const qr = QRCode.create(shareQrPayload(e), { errorCorrectionLevel: 'M' });
    const scale = 4;
    const margin = 4;
    const size = (qr.modules.size + 2 * margin) * scale;
    const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
    for (let r = 0; r < qr.modules.size; r++) {
      for (let c = 0; c < qr.modules.size; c++) {
        if (!qr.modules.get(r, c)) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const p = (((r + margin) * scale + dy) * size + (c + margin) * scale + dx) * 4;
            rgba[p] = rgba[p + 1] = rgba[p + 2] = 0;
          }
        }
      }
    }
    const read = jsQR(rgba, size, size);
    expect(read?.data).toBe(shareQrPayload(e));
    expect(decodeQrPayload(read?.data ?? '')).toEqual(e);
    expect(await renderShareQrSvg(e)).toMatch(/^<svg/);
    expect(await renderShareQrPngDataUrl(e)).toMatch(/^data:image\/png;base64,/);
  });

  it('an age share opens with its passphrase only', async () => {
    await fc.assert(fc.asyncProperty(envelopeArb, fc.string({ minLength: 8, maxLength: 40 }), async (e, pass) => {
      const file = await encryptShareToPassphrase(e, pass, { scryptLogN: 10 });
      expect(file).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
      expect(await decryptAgeShare(file, pass)).toEqual(e);
      await expect(decryptAgeShare(file, pass + 'x')).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
    }), { numRuns: 5 });
  });

  it('a token share file holds only RSA-OAEP ciphertext for the custodian key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const e = fc.sample(envelopeArb, 1)[0] as ShareEnvelope;
    const text = encryptShareToTokenKey(e, spki, { keyLabel: 'alice-card' });
    const file = parseTokenShareFile(text);
    if (file.version !== 1) throw new Error(`expected an RSA-OAEP file, got version ${file.version}`);
    expect(file.recipient.keyLabel).toBe('alice-card');
    // The same decryption a token does with CKM_RSA_PKCS_OAEP (SHA-256): here in software, to check the format.
    const plain = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(file.ciphertext, 'base64'));
    expect(decodeEnvelope(new Uint8Array(plain))).toEqual(e);
  });

  it('a token share file to an EC key is ECDH + HKDF-SHA256 + AES-256-GCM, as docs/SHARES.md describes', () => {
    for (const [namedCurve, ecdhName] of [['P-256', 'prime256v1'], ['P-384', 'secp384r1']] as const) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
      const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      const e = fc.sample(envelopeArb, 1)[0] as ShareEnvelope;
      const file = parseTokenShareFile(encryptShareToTokenKey(e, spki, { keyLabel: 'bob-card' }));
      if (file.version !== 2) throw new Error('expected version 2');
      expect(file.scheme).toBe('ecdh-hkdf-sha256-aes256gcm');
      // What the card and Keyrite do together, here in software from the private key, to pin the format.
      const ecdh = createECDH(ecdhName);
      ecdh.setPrivateKey(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
      const eph = Buffer.from(file.ephemeralPublicKey, 'base64');
      const context = Buffer.concat([Buffer.from('keyrite.share.token/v2'), eph, Buffer.from(file.recipient.spkiSha256, 'hex')]);
      const kek = Buffer.from(hkdfSync('sha256', ecdh.computeSecret(eph), Buffer.alloc(0), context, 32));
      const all = Buffer.from(file.ciphertext, 'base64');
      const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.nonce, 'base64'));
      d.setAAD(context);
      d.setAuthTag(all.subarray(all.length - 16));
      expect(decodeEnvelope(new Uint8Array(Buffer.concat([d.update(all.subarray(0, all.length - 16)), d.final()])))).toEqual(e);
    }
  });

  it('the fingerprint is public: it differs per share and does not contain the share', () => {
    fc.assert(fc.property(envelopeArb, (e) => {
      const fp = shareFingerprint(e);
      expect(fp).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
      expect(Buffer.from(e.share).toString('hex')).not.toContain(fp.replace(/-/g, ''));
    }), { numRuns: 100 });
  });
});

describe('decoders never crash on garbage', () => {
  it('random bytes, words, text and QR payloads give typed errors only', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => typedOnly(() => decodeEnvelope(b))), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.string(), { maxLength: 45 }), (w) => typedOnly(() => decodeShareWords(w))), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => {
      typedOnly(() => decodeShareInput({ text: t }));
      typedOnly(() => decodeQrPayload(t));
      typedOnly(() => decodeQrPayload('KRS1:' + t));
      typedOnly(() => parseTokenShareFile(t));
      typedOnly(() => decodeShareWords(wordsFromText(t)));
    }), { numRuns: 500 });
  });

  it('random words from the list and flipped envelope bytes give typed errors only', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2047 }), { minLength: 37, maxLength: 37 }), (idx) => {
      typedOnly(() => decodeShareWords(idx.map((i) => wordlist[i] as string)));
    }), { numRuns: 500 });
    fc.assert(fc.property(envelopeArb, fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 255 }), (e, at, flip) => {
      const b = encodeEnvelope(e);
      b[at] = (b[at] ?? 0) ^ flip;
      expect(() => decodeEnvelope(b)).toThrow(KeyriteError);
    }), { numRuns: 300 });
  });

  it('random age input gives typed errors only', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), async (f) => {
      await typedOnlyAsync(() => decryptAgeShare(f, 'passphrase'));
    }), { numRuns: 200 });
    await typedOnlyAsync(() => decryptAgeShare('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n', 'passphrase'));
  });
});

describe('envelope objects from outside', () => {
  it('a malformed envelope object is refused with a typed error, a good one passes every check again', () => {
    const good = fc.sample(envelopeArb, 1)[0] as ShareEnvelope;
    expect(decodeShareInput({ envelope: good })).toEqual(good);
    const bad = [
      { ...good, share: new Uint8Array(40) },
      { ...good, ceremonyTag: 'zz' },
      { ...good, k: 300 },
      { ...good, share: Array.from(good.share) as unknown as Uint8Array },
      { ...good, k: 1 },
    ];
    for (const b of bad) expect(() => decodeShareInput({ envelope: b })).toThrow(KeyriteError);
  });
});
