/**
 * A share file encrypted to a custodian's token key (RSA-OAEP, or ECDH for P-384/P-521) opens only
 * with that key, on the token the custodian logs in to, and every refusal is a typed error that says
 * what is wrong and what to do: a key that is not RSA or a NIST curve (brainpool included), a file
 * that is not a token share, a file for another key, a damaged or truncated ciphertext. The token is
 * asked for RSA-OAEP with SHA-256 and nothing else, and the secrets it hands back (the decrypted
 * share, the ECDH shared secret) are wiped once read. openssl (an outside implementation) decrypts
 * the RSA file with the custodian's private key.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encryptShareForCard, encryptShareToTokenKey, findRecipientKey, openTokenShare, openTokenShareOnToken, parseTokenShareFile, type TokenShareFileV1, type TokenShareFileV2,
} from '../../../electron/core/shares/token-file';
import { encryptEcdh, openEcdh } from '../../../electron/core/shares/token-file-ecdh';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import type { KeyAlgorithm, TokenApi } from '../../../electron/core/token/types';
import { softBackup } from './fixtures';
import { SoftToken } from './soft-token';

const BAD_FILE = 'Use the share file exactly as it was handed out.';
const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[1] as ShareEnvelope);

/** A custodian card holding one key pair, and the share file made for that key. */
async function card(algorithm: KeyAlgorithm, label = 'share-key') {
  const t = new SoftToken();
  const k = t.addKeyPair(algorithm, label);
  return { t, k, text: await encryptShareForCard(await envelope, k.spki, { keyId: k.ref.id, keyLabel: label }) };
}

/** The token API with a record of what the share code asked of it and the secret buffers it handed back. */
function watched(api: TokenApi) {
  const asked: unknown[][] = [];
  const handedBack: Uint8Array[] = [];
  const w: TokenApi = new Proxy(api, {
    get: (target, p) => {
      const f = target[p as keyof TokenApi] as (...a: unknown[]) => Promise<unknown>;
      return async (...a: unknown[]) => {
        asked.push([p, ...a]);
        const r = await f(...a);
        if (p === 'decrypt' || p === 'deriveSharedSecret') handedBack.push(r as Uint8Array);
        return r;
      };
    },
  });
  return { api: w, asked, handedBack };
}

describe('making a share file for a card key', () => {
  it('each file is indented JSON ending in one line end', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p384'] as const) {
      const { text } = await card(algorithm);
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n');
    }
  });

  it('a key not RSA and not on P-256/P-384/P-521 is SHARE_PARAMS_INVALID with what to use instead, brainpool too', async () => {
    const e = await envelope;
    for (const namedCurve of ['brainpoolP256r1', 'brainpoolP384r1', 'secp256k1', 'prime239v1']) {
      const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve }).publicKey.export({ type: 'spki', format: 'der' }));
      for (const make of [() => encryptShareToTokenKey(e, spki), () => encryptShareForCard(e, spki)]) {
        const err = await Promise.resolve().then(make).catch((x: unknown) => x);
        expect(err).toMatchObject({
          code: 'SHARE_PARAMS_INVALID', message: 'The custodian\'s EC key is not on P-256, P-384 or P-521.',
          action: 'Use an RSA key, or an EC key on a NIST curve, on the custodian\'s token.',
        });
      }
    }
    const ed = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    expect(() => encryptShareToTokenKey(e, ed)).toThrow(expect.objectContaining({
      message: 'The custodian\'s key is ed25519; shares are encrypted to RSA keys (RSA-OAEP) or EC keys (ECDH).', action: 'Use an RSA or EC key on the custodian\'s token.',
    }));
    expect(() => encryptShareToTokenKey(e, new Uint8Array([48, 0]))).toThrow(expect.objectContaining({
      code: 'SHARE_PARAMS_INVALID', action: 'Export the public key from the custodian\'s token again.',
    }));
  });

  it('the RSA file is RSA-OAEP SHA-256 that openssl decrypts with the custodian\'s private key', async () => {
    const { k, text } = await card('rsa-3072');
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-oaep-'));
    try {
      writeFileSync(join(dir, 'key.pem'), k.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'ct.bin'), Buffer.from((JSON.parse(text) as TokenShareFileV1).ciphertext, 'base64'));
      const plain = execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'ct.bin'),
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256']);
      expect(decodeEnvelope(new Uint8Array(plain))).toEqual(await envelope);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening on the token', () => {
  it('RSA: logs in to the named token with the PIN given, asks for RSA-OAEP SHA-256, wipes the decrypted bytes', async () => {
    const { t, k, text } = await card('rsa-3072');
    const w = watched(t.api());
    expect(await openTokenShareOnToken(w.api, 'SN-0042', '246810', text)).toEqual(await envelope);
    expect(w.asked[0]).toEqual(['openSession', { serial: 'SN-0042' }, { pin: '246810' }]);
    const decrypt = w.asked.find((a) => a[0] === 'decrypt');
    expect(decrypt?.slice(2, 4)).toEqual([expect.objectContaining({ id: k.ref.id }), 'rsa-oaep-sha256']);
    expect(w.handedBack).toHaveLength(1);
    expect(w.handedBack[0]?.every((b) => b === 0)).toBe(true);
  });

  it('ECDH: the shared secret the token agreed is wiped once the key is derived', async () => {
    const { t, k, text } = await card('ec-p384');
    const w = watched(t.api());
    expect(await openTokenShare(w.api, 'S', k.ref, text)).toEqual(await envelope);
    expect(w.handedBack).toHaveLength(1);
    expect(w.handedBack[0]?.length).toBe(48);
    expect(w.handedBack[0]?.every((b) => b === 0)).toBe(true);
  });

  it('looks for the recipient among private keys only', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p256'] as const) {
      const { t, k, text } = await card(algorithm);
      const w = watched(t.api());
      expect(await findRecipientKey(w.api, 'S', text)).toMatchObject(k.ref);
      // Without a key id in the file, every private key is a candidate.
      expect(await findRecipientKey(w.api, 'S', encryptShareToTokenKey(await envelope, k.spki))).toMatchObject(k.ref);
      const finds = w.asked.filter((a) => a[0] === 'findKeys');
      expect(finds.length).toBeGreaterThan(0);
      for (const f of finds) expect(f[2]).toMatchObject({ class: 'private' });
    }
  });

  it('a file for another key is refused saying whose token to use', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p384', 'ec-p256'] as const) {
      const { text } = await card(algorithm);
      const other = new SoftToken();
      const k = other.addKeyPair(algorithm, 'other');
      await expect(openTokenShare(other.api(), 'S', k.ref, text)).rejects.toMatchObject({
        code: 'SHARE_TOKEN_DECRYPT_FAILED', message: 'This share was encrypted to a different token key.', action: 'Use the token and key of the custodian named on the share.',
      });
      const action = 'Choose the token of the custodian named on the share, or check the share file is theirs.';
      await expect(findRecipientKey(other.api(), 'S', text)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', action });
    }
    const { text } = await card('ec-p256');
    await expect(findRecipientKey(new SoftToken().api(), 'S', text)).rejects.toMatchObject({
      message: 'No P-256 key on the chosen token is the one this share (an age file, p256tag) was encrypted to.',
    });
  });

  it('a damaged ciphertext says the token could not decrypt it and what to check', async () => {
    const { t, k, text } = await card('rsa-3072');
    const f = JSON.parse(text) as TokenShareFileV1;
    const ct = Buffer.from(f.ciphertext, 'base64');
    ct[9] = (ct[9] ?? 0) ^ 0x40;
    await expect(openTokenShare(t.api(), 'S', k.ref, JSON.stringify({ ...f, ciphertext: ct.toString('base64') }))).rejects.toMatchObject({
      code: 'SHARE_TOKEN_DECRYPT_FAILED', message: 'The token could not decrypt this share.', action: 'Check the custodian\'s token and key, and that the file is intact.',
    });
  });
});

describe('version 2 (ECDH) ciphertext', () => {
  async function v2(plain: Uint8Array) {
    const t = new SoftToken();
    const k = t.addKeyPair('ec-p384');
    const spkiSha256 = (parseTokenShareFile(encryptShareToTokenKey(await envelope, k.spki)) as TokenShareFileV2).recipient.spkiSha256;
    return { t, k, file: encryptEcdh(plain, createPublicKey({ key: Buffer.from(k.spki), format: 'der', type: 'spki' }), { spkiSha256 }) };
  }

  it('the shortest ciphertext that can hold a tag and one byte decrypts: it is the envelope that is then refused', async () => {
    const { t, k, file } = await v2(new Uint8Array([7]));
    expect(Buffer.from(file.ciphertext, 'base64')).toHaveLength(17);
    expect(await openEcdh(t.api(), 'S', k.ref, file)).toEqual(new Uint8Array([7]));
    const err = await openTokenShare(t.api(), 'S', k.ref, JSON.stringify(file)).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: expect.stringMatching(/^SHARE_/) });
    expect((err as { code: string }).code).not.toBe('SHARE_TOKEN_DECRYPT_FAILED');
  });

  it('a ciphertext shorter than a tag and one byte, or failing authentication, is WRAPPED_KEY_INVALID saying which', async () => {
    const { t, k, file } = await v2(encodeEnvelope(await envelope));
    const ct = Buffer.from(file.ciphertext, 'base64');
    for (const n of [0, 5, 16]) {
      await expect(openEcdh(t.api(), 'S', k.ref, { ...file, ciphertext: ct.subarray(0, n).toString('base64') })).rejects.toMatchObject({
        code: 'WRAPPED_KEY_INVALID', message: 'The share ciphertext is too short.', action: BAD_FILE,
      });
    }
    ct[0] = (ct[0] ?? 0) ^ 1;
    await expect(openEcdh(t.api(), 'S', k.ref, { ...file, ciphertext: ct.toString('base64') })).rejects.toMatchObject({
      code: 'WRAPPED_KEY_INVALID', message: 'The share did not decrypt with this key (authentication failed).', action: BAD_FILE,
    });
  });
});

describe('not a token share file', () => {
  it('an empty list where a base64 string belongs is SHARE_TOKEN_FILE_FORMAT, saying what the file should be', async () => {
    const { text } = await card('ec-p384');
    const f = JSON.parse(text) as TokenShareFileV2;
    for (const bad of [{ ...f, ciphertext: [] }, { ...f, ephemeralPublicKey: [] }, { ...f, version: 1, ciphertext: [] }]) {
      expect(() => parseTokenShareFile(JSON.stringify(bad))).toThrow(expect.objectContaining({
        code: 'SHARE_TOKEN_FILE_FORMAT', message: 'This is not a Keyrite token share file (format keyrite.share.token, version 1 or 2).', action: BAD_FILE,
      }));
    }
  });
});
