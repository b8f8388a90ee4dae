/**
 * p256tag recipients as c2sp.org/age ("The tagged recipient types", p256tag recipient stanza) defines
 * them: the recipient is the compressed point in Bech32 `age1tag`; the stanza is `p256tag`, a 4-byte
 * tag and a 65-byte enc (canonical unpadded base64) and a 32-byte body, HPKE base mode with
 * DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305 and info "age-encryption.org/p256tag";
 * tag = HKDF-Extract(salt = label, ikm = enc || SHA-256(recipient)[:4])[:4]. An identity ignores
 * other stanza types and MUST reject a p256tag stanza of the wrong shape (checked before any ECDH on
 * the card). Checked against outside implementations: a stanza sealed with pyca/cryptography 48's
 * HPKE (vector below), the spec's own example recipient, and age-encryption's TagRecipient.
 */
import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey, diffieHellman, ECDH, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { armor, Decrypter, Encrypter, generateX25519Identity, identityToRecipient, Stanza, type Recipient } from 'age-encryption';
import { base64nopad, bech32 } from '@scure/base';
import {
  encryptToP256Tag, isP256TagAgeFile, isP256TagRecipient, openP256TagOnToken, p256Compressed, p256TagIdentity, p256TagRecipient,
} from '../../../electron/core/shares/age-p256tag';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';
import { SoftToken } from './soft-token';

const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/**
 * Made once with pyca/cryptography 48 (`hpke.Suite(KEM.P256, KDF.HKDF_SHA256, AEAD.CHACHA20_POLY1305)
 * .encrypt(fileKey, pub, info=b"age-encryption.org/p256tag")`), the tag with Python's hmac per the
 * spec's formula: an implementation Keyrite's authors did not write. Test key only.
 */
const PYCA = {
  d: '69a8cf63454ce22412c821966f644c5b08392212b9773238525e424aa9c70e91',
  spki: '3059301306072a8648ce3d020106082a8648ce3d0301070342000441405c5db87fcfab94bd1605536dccd500716357eb5db3c9e1acb51e33178aa42a26f76598f68857842f75942e1b0038f969d00a5dc68c9c6c473cf6a55d070b',
  fileKey: '797f53b1c633c4e3e9550f8d52975227',
  tag: 'cU40qQ',
  enc: 'BGmVwlzv2IGXaW/puATI+efp6H1/UiZRTBToo/2hb0NSHoDUrT0SeNdHnF91P2dR/FrnxnxQtedkJoPpN5qYvwM',
  body: 'vzveUR/ANvE5HY7WolWzDnDUnJAn9631mMEfLyzy5Vc',
};
/** The example recipient in c2sp.org/age (an even-y point: prefix 02). */
const SPEC_RECIPIENT = 'age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e';

function pycaKey(): { spki: Uint8Array; privateKey: KeyObject } {
  const spki = hex(PYCA.spki);
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return { spki, privateKey: createPrivateKey({ key: { ...jwk, d: Buffer.from(PYCA.d, 'hex').toString('base64url') }, format: 'jwk' }) };
}

/** A software stand-in for the card's ECDH that counts its calls and keeps what it handed out. */
function softDh(privateKey: KeyObject) {
  const handed: Uint8Array[] = [];
  const dh = async (enc: Uint8Array) => {
    const jwk = ECDH.convertKey(Buffer.from(enc), 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
    const peer = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.subarray(1, 33).toString('base64url'), y: jwk.subarray(33).toString('base64url') }, format: 'jwk' });
    const z = new Uint8Array(diffieHellman({ privateKey, publicKey: peer }));
    handed.push(z);
    return z;
  };
  return { dh, handed };
}

function spkiOfRecipient(recipient: string): Uint8Array {
  const compressed = bech32.fromWords(bech32.decode(recipient as `${string}1${string}`, false).words);
  const point = ECDH.convertKey(Buffer.from(compressed), 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

const spkiOf = (k: KeyObject) => new Uint8Array((k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' }));

/** An armored age file to `recipients` (strings or Recipient objects), payload the envelope. */
async function ageFile(...recipients: (string | Recipient)[]): Promise<string> {
  const enc = new Encrypter();
  for (const r of recipients) enc.addRecipient(r);
  return armor.encode(await enc.encrypt(encodeEnvelope(await envelope)));
}

describe('recipient encoding', () => {
  it('the spec\'s example recipient round-trips: compressed point, Bech32 age1tag', () => {
    const spki = spkiOfRecipient(SPEC_RECIPIENT);
    expect(p256TagRecipient(spki)).toBe(SPEC_RECIPIENT);
    expect(p256Compressed(spki)?.[0]).toBe(2);
  });

  it('odd and even y both get the SEC 1 prefix (03 and 02), 33 bytes, the x-coordinate after it', () => {
    const seen = new Set<number>();
    while (seen.size < 2) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const y = Buffer.from(jwk.y!, 'base64url');
      const c = p256Compressed(spkiOf(publicKey))!;
      expect(c.length).toBe(33);
      expect(c[0]).toBe(2 + (y[31]! & 1));
      expect(Buffer.from(c.subarray(1)).equals(Buffer.from(jwk.x!, 'base64url'))).toBe(true);
      seen.add(c[0]!);
    }
    const pyca = p256Compressed(hex(PYCA.spki))!;
    expect(pyca[0]).toBe(3);
  });

  it('only a P-256 key has a tag recipient: P-384, secp256k1, Ed25519 and RSA do not, and encrypting to one is refused', async () => {
    for (const pair of [
      generateKeyPairSync('ec', { namedCurve: 'P-384' }), generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
      generateKeyPairSync('ed25519'), generateKeyPairSync('rsa', { modulusLength: 1024 }),
    ]) {
      const spki = spkiOf(pair.publicKey);
      expect(p256Compressed(spki)).toBeUndefined();
      expect(p256TagRecipient(spki)).toBeUndefined();
      await expect(encryptToP256Tag(new Uint8Array(48), spki)).rejects.toThrow('not a P-256 key');
    }
  });
});

describe('the stanza against outside implementations', () => {
  it('unwraps the file key from a stanza sealed by pyca/cryptography\'s HPKE', async () => {
    const { spki, privateKey } = pycaKey();
    const { dh, handed } = softDh(privateKey);
    const got = await p256TagIdentity(spki, dh).unwrapFileKey([new Stanza(['p256tag', PYCA.tag, PYCA.enc], base64nopad.decode(PYCA.body))]);
    expect(Buffer.from(got!).toString('hex')).toBe(PYCA.fileKey);
    // The card's ECDH output is wiped once the key schedule has used it.
    expect(handed).toHaveLength(1);
    expect(handed[0]!.every((b) => b === 0)).toBe(true);
  });

  it('a pyca stanza for another key is passed over without asking the card; a changed body is no key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = softDh(privateKey);
    const stanza = new Stanza(['p256tag', PYCA.tag, PYCA.enc], base64nopad.decode(PYCA.body));
    expect(await p256TagIdentity(spkiOf(privateKey), other.dh).unwrapFileKey([stanza])).toBeNull();
    expect(other.handed).toHaveLength(0);
    const { spki, privateKey: mine } = pycaKey();
    const body = base64nopad.decode(PYCA.body);
    body[3] = body[3]! ^ 1;
    const own = softDh(mine);
    expect(await p256TagIdentity(spki, own.dh).unwrapFileKey([new Stanza(['p256tag', PYCA.tag, PYCA.enc], body)])).toBeNull();
    expect(own.handed).toHaveLength(1);
  });

  it('opens a whole file made by age-encryption\'s TagRecipient, on a card (software token)', async () => {
    const t = new SoftToken();
    const k = t.addKeyPair('ec-p256', 'card');
    const text = await ageFile(p256TagRecipient(k.spki)!);
    expect(await openP256TagOnToken(t.api(), 'S', k.ref, `\n  ${text.trim()}  \n\n`)).toEqual(encodeEnvelope(await envelope));
    expect(t.calls.filter((c) => c === 'deriveSharedSecret')).toHaveLength(1);
    // And Keyrite's own file is one that library's format: one p256tag stanza, opened by the identity.
    const ours = await encryptToP256Tag(encodeEnvelope(await envelope), k.spki);
    const header = Buffer.from(armor.decode(ours)).toString('latin1').split('\n---')[0]!.split('\n');
    expect(header[0]).toBe('age-encryption.org/v1');
    expect(header[1]).toMatch(/^-> p256tag [A-Za-z0-9+/]{6} [A-Za-z0-9+/]{87}$/);
    const d = new Decrypter();
    d.addIdentity(p256TagIdentity(k.spki, softDh(k.privateKey).dh));
    expect(await d.decrypt(armor.decode(ours))).toEqual(encodeEnvelope(await envelope));
  });

  it('picks its own stanza among several: another key\'s p256tag and an X25519 stanza before it', async () => {
    const t = new SoftToken();
    const k = t.addKeyPair('ec-p256', 'card');
    const stranger = t.addKeyPair('ec-p256', 'stranger');
    const x = await identityToRecipient(await generateX25519Identity());
    const text = await ageFile(x, p256TagRecipient(stranger.spki)!, p256TagRecipient(k.spki)!);
    expect(await openP256TagOnToken(t.api(), 'S', k.ref, text)).toEqual(encodeEnvelope(await envelope));
    // Only the stanza whose tag is this key's costs an ECDH on the card.
    expect(t.calls.filter((c) => c === 'deriveSharedSecret')).toHaveLength(1);
    expect(isP256TagRecipient(k.spki, text)).toBe(true);
    expect(isP256TagRecipient(stranger.spki, text)).toBe(true);
  });
});

describe('a stanza that names the key but does not open', () => {
  it('ends the search: a second stanza to the same key after it is not tried (as the reference identity: the file is refused)', async () => {
    const { spki, privateKey } = pycaKey();
    const { dh, handed } = softDh(privateKey);
    const body = base64nopad.decode(PYCA.body);
    const damaged = body.slice();
    damaged[0] = damaged[0]! ^ 1;
    const stanzas = [new Stanza(['p256tag', PYCA.tag, PYCA.enc], damaged), new Stanza(['p256tag', PYCA.tag, PYCA.enc], body)];
    expect(await p256TagIdentity(spki, dh).unwrapFileKey(stanzas)).toBeNull();
    expect(handed).toHaveLength(1);
  });
});

describe('malformed p256tag stanzas are refused before the card is asked (spec: MUST reject)', () => {
  const good = () => ({ args: ['p256tag', PYCA.tag, PYCA.enc], body: base64nopad.decode(PYCA.body) });
  const b64 = (n: number) => base64nopad.encode(new Uint8Array(n).fill(4));
  it.each([
    ['two arguments after the type are missing', (s: { args: string[] }) => { s.args = ['p256tag', PYCA.tag]; }],
    ['a fourth argument', (s: { args: string[] }) => { s.args.push('x'); }],
    ['a 3-byte tag', (s: { args: string[] }) => { s.args[1] = b64(3); }],
    ['a 5-byte tag', (s: { args: string[] }) => { s.args[1] = b64(5); }],
    ['a tag that is not base64', (s: { args: string[] }) => { s.args[1] = 'cU4*qQ'; }],
    ['a padded tag', (s: { args: string[] }) => { s.args[1] = `${PYCA.tag}==`; }],
    ['a tag with non-zero spare bits (not canonical)', (s: { args: string[] }) => { s.args[1] = 'cU40qR'; }],
    ['a 64-byte enc', (s: { args: string[] }) => { s.args[2] = b64(64); }],
    ['a 66-byte enc', (s: { args: string[] }) => { s.args[2] = b64(66); }],
    ['a 31-byte body', (s: { body: Uint8Array }) => { s.body = s.body.subarray(0, 31); }],
    ['a 33-byte body', (s: { body: Uint8Array }) => { s.body = new Uint8Array([...s.body, 0]); }],
    ['an empty body', (s: { body: Uint8Array }) => { s.body = new Uint8Array(0); }],
  ])('%s', async (_what, edit) => {
    const { spki, privateKey } = pycaKey();
    const { dh, handed } = softDh(privateKey);
    const s = good();
    edit(s as never);
    await expect(p256TagIdentity(spki, dh).unwrapFileKey([new Stanza(s.args, s.body)])).rejects.toThrow('invalid p256tag stanza');
    expect(handed).toHaveLength(0);
  });

  it('stanzas of other types are ignored, whatever their shape; a key that is not P-256 matches none', async () => {
    const { spki, privateKey } = pycaKey();
    const { dh, handed } = softDh(privateKey);
    const id = p256TagIdentity(spki, dh);
    expect(await id.unwrapFileKey([new Stanza(['X25519', 'abc'], new Uint8Array(32)), new Stanza(['p256tagx', PYCA.tag, PYCA.enc, 'x'], new Uint8Array(7))])).toBeNull();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await p256TagIdentity(spkiOf(p384.publicKey), dh).unwrapFileKey([new Stanza(['p256tag', PYCA.tag, PYCA.enc], base64nopad.decode(PYCA.body))])).toBeNull();
    expect(handed).toHaveLength(0);
  });

  it('a whole file with a malformed stanza does not open on the card, and the card is not asked', async () => {
    const t = new SoftToken();
    const k = t.addKeyPair('ec-p256', 'card');
    const tagR = p256TagRecipient(k.spki)!;
    const probe = new Encrypter();
    probe.addRecipient(tagR);
    const inner = (probe as unknown as { recipients: Recipient[] }).recipients[0]!;
    const file = await ageFile({ wrapFileKey: async (fk: Uint8Array) => (await inner.wrapFileKey(fk)).map((s) => new Stanza([...s.args, 'extra'], s.body)) });
    await expect(openP256TagOnToken(t.api(), 'S', k.ref, file)).rejects.toThrow('invalid p256tag stanza');
    expect(t.calls).not.toContain('deriveSharedSecret');
    // Its tag is the card's, but a stanza of four arguments is not one the card is named by.
    expect(isP256TagRecipient(k.spki, file)).toBe(false);
  });
});

describe('telling a card share from other age files', () => {
  it('an armored file with a p256tag stanza is one, around surrounding space and blank lines; others are not', async () => {
    const { spki } = pycaKey();
    const text = await ageFile(p256TagRecipient(spki)!);
    expect(isP256TagAgeFile(text)).toBe(true);
    expect(isP256TagAgeFile(`\n\n  ${text.trim()}\n\n\n`)).toBe(true);
    expect(isP256TagRecipient(spki, `\n  ${text.trim()}\n\n\n`)).toBe(true);
    expect(isP256TagAgeFile(await ageFile(await identityToRecipient(await generateX25519Identity())))).toBe(false);
    expect(isP256TagAgeFile(await encryptShareToPassphrase(await envelope, 'correct horse battery', { scryptLogN: 4 }))).toBe(false);
    expect(isP256TagAgeFile('-> p256tag abc def\n')).toBe(false);
    expect(isP256TagAgeFile(`x${text}`)).toBe(false);
    expect(isP256TagAgeFile('-----BEGIN AGE ENCRYPTED FILE-----\n!!!\n-----END AGE ENCRYPTED FILE-----\n')).toBe(false);
  });

  it('a p256tag stanza after a long post-quantum stanza is still found (the whole header is read)', async () => {
    const { spki } = pycaKey();
    const { generateHybridIdentity } = await import('age-encryption');
    const pq = await identityToRecipient(await generateHybridIdentity());
    // The library refuses to mix PQ and classic recipients, so the PQ stanza is written by hand around a tag recipient.
    const probe = new Encrypter();
    probe.addRecipient(pq);
    const pqInner = (probe as unknown as { recipients: Recipient[] }).recipients[0]!;
    const tagProbe = new Encrypter();
    tagProbe.addRecipient(p256TagRecipient(spki)!);
    const tagInner = (tagProbe as unknown as { recipients: Recipient[] }).recipients[0]!;
    const text = await ageFile({ wrapFileKey: async (fk: Uint8Array) => [...(await pqInner.wrapFileKey(fk)), ...(await tagInner.wrapFileKey(fk))] });
    expect(Buffer.from(armor.decode(text)).toString('latin1').indexOf('\n-> p256tag ')).toBeGreaterThan(512);
    expect(isP256TagAgeFile(text)).toBe(true);
    expect(isP256TagRecipient(spki, text)).toBe(true);
  });

  it('a stanza line that only ends with "-> p256tag TAG ENC" is not a p256tag stanza', async () => {
    const { spki } = pycaKey();
    const probe = new Encrypter();
    probe.addRecipient(p256TagRecipient(spki)!);
    const inner = (probe as unknown as { recipients: Recipient[] }).recipients[0]!;
    const text = await ageFile({ wrapFileKey: async (fk: Uint8Array) => (await inner.wrapFileKey(fk)).map((s) => new Stanza(['grease->', ...s.args], s.body)) });
    expect(Buffer.from(armor.decode(text)).toString('latin1')).toContain('\n-> grease-> p256tag ');
    expect(isP256TagRecipient(spki, text)).toBe(false);
  });
});
