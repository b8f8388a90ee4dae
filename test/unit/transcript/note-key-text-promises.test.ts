/**
 * Signed-note key texts are taken only in their one exact form (c2sp.org/signed-note, Go's
 * golang.org/x/mod/sumdb/note): each refusal is NOTE_KEY_INVALID saying what is wrong, and a key that
 * is taken verifies exactly the signatures its type defines, answering false (never throwing) for any
 * other bytes. Signer key files, witness keys and fresh keys come out in the same forms.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  cosignatureSigner, cosignedMessage, ecdsaKeyHash, ed25519FromSpki, generateNoteKey, generateWitnessKey, hashHex, keyFileSigner,
  keyHash, parseVerifierKey, SPKI_TYPE, strictBase64, verifierKeyFor,
} from '../../../electron/core/transcript/note-keys';

const MSG = new TextEncoder().encode('example.org/log\n7\nAAAA\n');
const sha = (...parts: (string | Uint8Array)[]) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
/** A verifier key text with a correct name-based key id for the given body (type byte(s) || key). */
const keyText = (name: string, body: Buffer) => `${name}+${sha(name, '\n', body).subarray(0, 4).toString('hex')}+${body.toString('base64')}`;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, action } = e as { code?: string; action?: string };
    // Every key refusal says what to do; a name refusal says how to choose one.
    expect(action).toBe(code === 'NOTE_KEY_INVALID' ? 'Copy the key again exactly as it was printed (name+keyid+base64).' : 'Choose a name like keyrite.transcript/<ceremony id>.');
    return { code, message: (e as Error).message };
  }
  return undefined;
};
const invalid = (what: string) => ({ code: 'NOTE_KEY_INVALID', message: `Signed-note key refused: ${what}.` });

const ed = generateKeyPairSync('ed25519');
const ed32 = Buffer.from(ed25519FromSpki(ed.publicKey.export({ format: 'der', type: 'spki' })));

describe('a verifier key text', () => {
  it('is refused, saying why, when any part of its form is wrong', () => {
    const good = verifierKeyFor('n', 'ed25519', ed32);
    // base64 may itself hold '+': split at the first two only.
    const [, id, b64] = /^([^+]+)\+([^+]+)\+(.*)$/.exec(good)!.slice(1) as [string, string, string];
    expect(refusal(() => parseVerifierKey('n+' + id))).toEqual(invalid('expected name+keyid+key'));
    expect(refusal(() => parseVerifierKey(`n+${id.toUpperCase().replace(/^[0-9]/, 'A')}+${b64}`))).toEqual(invalid('key id is not 8 lowercase hex digits'));
    expect(refusal(() => parseVerifierKey(`n+${id.slice(1)}+${b64}`))).toEqual(invalid('key id is not 8 lowercase hex digits'));
    expect(refusal(() => parseVerifierKey(`n+${id}0+${b64}`))).toEqual(invalid('key id is not 8 lowercase hex digits'));
    expect(refusal(() => parseVerifierKey(`n+${id}+`))).toEqual(invalid('key is not valid base64'));
    expect(refusal(() => parseVerifierKey(`n+${id}+${b64.slice(0, -1)}`))).toEqual(invalid('key is not valid base64'));
    expect(refusal(() => parseVerifierKey(`m+${id}+${b64}`))).toEqual(invalid('key id does not match the name and key'));
    expect(parseVerifierKey(good)).toMatchObject({ name: 'n', keyHash: parseInt(id, 16), type: 'ed25519', key: good });
  });

  it('of each type has its length or form, and an unknown type is named in hex', () => {
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(1), ed32.subarray(1)]))))).toEqual(invalid('an Ed25519 key is 32 bytes'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(1), ed32, Buffer.of(0)]))))).toEqual(invalid('an Ed25519 key is 32 bytes'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(4), ed32.subarray(1)]))))).toEqual(invalid('a cosignature/v1 key is a 32-byte Ed25519 key'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(4), ed32, Buffer.of(0)]))))).toEqual(invalid('a cosignature/v1 key is a 32-byte Ed25519 key'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(7), ed32]))))).toEqual(invalid('unknown signature type 0x07'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(0x3e), ed32]))))).toEqual(invalid('unknown signature type 0x3e'));
    // 0xff with no key after the type header, or another 0xff header, is no known type.
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.from(SPKI_TYPE))))).toEqual(invalid('unknown signature type 0xff'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([Buffer.of(0xff), Buffer.from('keyrite.spki/v2'), ed32]))))).toEqual(invalid('unknown signature type 0xff'));
    expect(refusal(() => parseVerifierKey(keyText('n', Buffer.concat([SPKI_TYPE, Buffer.from('not der')]))))).toEqual(invalid('the SubjectPublicKeyInfo does not parse'));
    const spkiBody = (spki: Buffer) => keyText('n', Buffer.concat([SPKI_TYPE, spki]));
    expect(refusal(() => parseVerifierKey(spkiBody(ed.publicKey.export({ format: 'der', type: 'spki' }))))).toEqual(invalid('key type ed25519 is not RSA or ECDSA'));
    const ecBody = Buffer.concat([Buffer.of(2), Buffer.from('not der')]);
    expect(refusal(() => parseVerifierKey(`n+${sha(Buffer.from('not der')).subarray(0, 4).toString('hex')}+${ecBody.toString('base64')}`))).toEqual(invalid('the SubjectPublicKeyInfo does not parse'));
  });

  it('of type 0x02 has the SPKI hash as its id and any name; 0xff RSA of 2048 bits is taken, of 2047 not', () => {
    const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
    const k = verifierKeyFor('any/name', 'ecdsa', spki);
    expect(k.split('+')[1]).toBe(sha(spki).subarray(0, 4).toString('hex'));
    expect(ecdsaKeyHash(spki)).toBe(sha(spki).readUInt32BE(0));
    expect(parseVerifierKey(k)).toMatchObject({ name: 'any/name', type: 'ecdsa', keyHash: ecdsaKeyHash(spki) });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' });
    expect(parseVerifierKey(verifierKeyFor('r', 'keyrite.spki/v1', rsa)).type).toBe('keyrite.spki/v1');
    const short = generateKeyPairSync('rsa', { modulusLength: 2047 }).publicKey.export({ format: 'der', type: 'spki' });
    expect(refusal(() => parseVerifierKey(verifierKeyFor('r', 'keyrite.spki/v1', short)))).toEqual(invalid('RSA keys must be at least 2048 bits'));
  });

  it('with a key id below 0x10000000 keeps its leading zeros', () => {
    let name = '';
    for (let i = 0; ; i++) {
      name = `leading-zero/${i}`;
      if (keyHash(name, Buffer.concat([Buffer.of(1), ed32])) < 0x10000000) break;
    }
    const k = verifierKeyFor(name, 'ed25519', ed32);
    expect(k.split('+')[1]).toMatch(/^0[0-9a-f]{7}$/);
    expect(hashHex(keyHash(name, Buffer.concat([Buffer.of(1), ed32])))).toBe(k.split('+')[1]);
    expect(hashHex(1)).toBe('00000001');
    expect(parseVerifierKey(k).name).toBe(name);
  });
});

describe('a key that is taken', () => {
  it('verifies its own signatures and answers false, without throwing, for any other bytes', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases = [
      { key: verifierKeyFor('e', 'ed25519', ed32), sig: sign(null, MSG, ed.privateKey) },
      { key: verifierKeyFor('e', 'ecdsa', ec.publicKey.export({ format: 'der', type: 'spki' })), sig: sign('sha256', MSG, { key: ec.privateKey, dsaEncoding: 'der' }) },
      { key: verifierKeyFor('e', 'keyrite.spki/v1', ec.publicKey.export({ format: 'der', type: 'spki' })), sig: sign('sha384', MSG, { key: ec.privateKey, dsaEncoding: 'der' }) },
      { key: verifierKeyFor('e', 'keyrite.spki/v1', rsa.publicKey.export({ format: 'der', type: 'spki' })), sig: sign('sha256', MSG, rsa.privateKey) },
    ];
    for (const c of cases) {
      const v = parseVerifierKey(c.key);
      expect(v.verify(MSG, c.sig), c.key).toBe(true);
      expect(v.verify(Buffer.concat([MSG, Buffer.of(10)]), c.sig)).toBe(false);
      for (const bad of [c.sig.subarray(0, c.sig.length - 1), Buffer.concat([c.sig, Buffer.of(0)]), Buffer.alloc(0), Buffer.from('garbage'), Buffer.alloc(c.sig.length, 0x30)]) {
        expect(v.verify(MSG, bad)).toBe(false);
      }
    }
  });

  it('of type 0x04 verifies a u64 timestamp then Ed25519 over the cosigned message, 72 bytes exactly', () => {
    const v = parseVerifierKey(verifierKeyFor('w', 'cosignature/v1', ed32));
    const ts = 1_700_000_000n;
    const head = Buffer.alloc(8);
    head.writeBigUInt64BE(ts);
    expect(cosignedMessage(ts, MSG).toString()).toBe(`cosignature/v1\ntime 1700000000\n${Buffer.from(MSG).toString()}`);
    const sig = Buffer.concat([head, sign(null, cosignedMessage(ts, MSG), ed.privateKey)]);
    expect(v.verify(MSG, sig)).toBe(true);
    expect(v.verify(MSG, Buffer.concat([sig, Buffer.of(0)]))).toBe(false);
    expect(v.verify(MSG, sig.subarray(0, 71))).toBe(false);
    expect(v.verify(MSG, sign(null, MSG, ed.privateKey))).toBe(false);
    const max = Buffer.alloc(8);
    max.writeBigUInt64BE((1n << 63n) - 1n);
    expect(v.verify(MSG, Buffer.concat([max, sign(null, cosignedMessage((1n << 63n) - 1n, MSG), ed.privateKey)]))).toBe(true);
  });

  it('a cosignature signer stamps the whole second it signs in', async () => {
    const signer = cosignatureSigner('w', ed32, async (m) => new Uint8Array(sign(null, m, ed.privateKey)), () => new Date(1_700_000_000_999));
    const sig = Buffer.from(await signer.sign(MSG));
    expect(sig.readBigUInt64BE(0)).toBe(1_700_000_000n);
    expect(parseVerifierKey(signer.verifierKey as string).verify(MSG, sig)).toBe(true);
    expect(signer.keyHash).toBe(parseVerifierKey(signer.verifierKey as string).keyHash);
  });
});

describe('an Ed25519 SubjectPublicKeyInfo', () => {
  it('gives its 32-byte key; anything else is refused', () => {
    const spki = ed.publicKey.export({ format: 'der', type: 'spki' });
    expect(Buffer.from(ed25519FromSpki(spki))).toEqual(spki.subarray(12));
    const other = Buffer.from(spki);
    other[5] = (other[5] as number) ^ 1;
    for (const bad of [spki.subarray(0, 43), Buffer.concat([spki, Buffer.of(0)]), other]) {
      expect(refusal(() => ed25519FromSpki(bad))).toEqual(invalid('not an Ed25519 SubjectPublicKeyInfo'));
    }
  });
});

describe('a signer key text', () => {
  const { signerKey, verifierKey } = generateNoteKey('keyrite.transcript/c-1');
  // base64 may itself hold '+': split at the first four only.
  const [, name, id, b64] = /^PRIVATE\+KEY\+([^+]+)\+([^+]+)\+(.*)$/.exec(signerKey) as unknown as [string, string, string, string];

  it('is PRIVATE+KEY+name+keyid+base64(0x01 || 32-byte seed), and signs for its verifier key', async () => {
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+keyrite\.transcript\/c-1\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(id).toBe(verifierKey.split('+')[1]);
    const seed = Buffer.from(b64, 'base64');
    expect(seed).toHaveLength(33);
    expect(seed[0]).toBe(1);
    const signer = keyFileSigner(`  ${signerKey}\n`);
    expect(signer).toMatchObject({ name, keyHash: parseInt(id, 16), verifierKey });
    const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed.subarray(1)]), format: 'der', type: 'pkcs8' });
    expect(Buffer.from(await signer.sign(MSG))).toEqual(sign(null, MSG, priv));
  });

  it('is refused, saying why, when any part is wrong', () => {
    const form = invalid('a signer key is PRIVATE+KEY+name+keyid+key');
    expect(refusal(() => keyFileSigner(`PUBLIC+KEY+${name}+${id}+${b64}`))).toEqual(form);
    expect(refusal(() => keyFileSigner(`PRIVATE+KEX+${name}+${id}+${b64}`))).toEqual(form);
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${id}`))).toEqual(form);
    expect(refusal(() => keyFileSigner(verifierKey))).toEqual(form);
    const ed25519Only = invalid('only Ed25519 signer keys (type 0x01, 32-byte seed) are supported');
    const seed = Buffer.from(b64, 'base64');
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.of(4), seed.subarray(1)]).toString('base64')}`))).toEqual(ed25519Only);
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${id}+${seed.subarray(0, 32).toString('base64')}`))).toEqual(ed25519Only);
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${id}+${Buffer.concat([seed, Buffer.of(0)]).toString('base64')}`))).toEqual(ed25519Only);
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${id}+${b64}x`))).toEqual(ed25519Only);
    const otherId = (parseInt(id, 16) ^ 1).toString(16).padStart(8, '0');
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+${name}+${otherId}+${b64}`))).toEqual(invalid('key id does not match the name and key'));
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+other+${id}+${b64}`))).toEqual(invalid('key id does not match the name and key'));
    expect(refusal(() => keyFileSigner(`PRIVATE+KEY+a b+${id}+${b64}`))?.code).toBe('NOTE_KEY_NAME_INVALID');
  });

  it('cosigning: the same key as a tlog-cosignature/v1 key, with its own key id; a witness key is one', async () => {
    const cos = keyFileSigner(signerKey, 'cosignature/v1');
    const v = parseVerifierKey(cos.verifierKey as string);
    expect(v.type).toBe('cosignature/v1');
    expect(cos.keyHash).toBe(v.keyHash);
    expect(cos.keyHash).not.toBe(parseInt(id, 16));
    expect(v.verify(MSG, await cos.sign(MSG))).toBe(true);
    const w = generateWitnessKey('witness/Wendy');
    expect(parseVerifierKey(w.verifierKey)).toMatchObject({ name: 'witness/Wendy', type: 'cosignature/v1' });
    expect(keyFileSigner(w.signerKey, 'cosignature/v1').verifierKey).toBe(w.verifierKey);
    expect(parseVerifierKey(keyFileSigner(w.signerKey).verifierKey as string).type).toBe('ed25519');
  });
});

describe('strict base64', () => {
  it('takes only the one standard spelling of the bytes', () => {
    expect(strictBase64('')).toEqual(Buffer.alloc(0));
    expect(strictBase64('AQ==')).toEqual(Buffer.of(1));
    expect(strictBase64('AQID')).toEqual(Buffer.of(1, 2, 3));
    expect(strictBase64('+/+/')).toEqual(Buffer.from('+/+/', 'base64'));
    for (const bad of ['AQ', 'AQ=', 'AR==', 'AQ===', 'A===', '-_-_', 'AQ==AQ==', ' AQ==', 'AQ==\n', 'AQI']) expect(strictBase64(bad), bad).toBeUndefined();
  });
});
