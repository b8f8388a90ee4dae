import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { Key } from '@tufjs/models';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../electron/core/tuf/canonical';
import { tokenSchemeOf, tufKeyFromSpki, tufKeyId, tufPublicKey, verifyTufSignature } from '../../../electron/core/tuf/keys';
import { softKey, softSignRaw, type SoftKind } from '../../fixtures/tuf/roots';
import { thrownKeyriteError } from '../../helpers/keyrite-error';

// A root key of Sigstore's TUF root (root-signing, root version 12): its keyid is the SHA-256 of the
// canonical JSON of the whole entry as written, x-tuf-on-ci-keyowner and keyid_hash_algorithms included.
const SIGSTORE_KEY = {
  keyid_hash_algorithms: ['sha256', 'sha512'],
  keytype: 'ecdsa',
  keyval: { public: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEzBzVOmHCPojMVLSI364WiiV8NPrD\n6IgRxVliskz/v+y3JER5mcVGcONliDcWMC5J2lfHmjPNPhb4H7xm8LzfSA==\n-----END PUBLIC KEY-----\n' },
  scheme: 'ecdsa-sha2-nistp256',
  'x-tuf-on-ci-keyowner': '@santiagotorres',
};

describe('keyids', () => {
  it('equal the keyid securesystemslib / tuf-on-ci wrote for a published key', () => {
    expect(tufKeyId(SIGSTORE_KEY)).toBe('22f4caec6d8e6f9555af66b3d4c3cb06a3bb23fdc7e39c916c61f462e6f52b06');
  });

  it('are the SHA-256 of @tufjs/canonical-json\'s encoding of the key object', () => {
    const k = softKey('p256');
    expect(k.keyid).toBe(createHash('sha256').update(canonicalize(k.key)).digest('hex'));
  });
});

describe('key entries from a public key', () => {
  it('write ECDSA and RSA keys as SPKI PEM (64-column lines, final newline), Ed25519 as 32 bytes of hex', () => {
    const p256 = softKey('p256');
    expect(p256.key).toEqual({ keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: createPublicKey(p256.privateKey).export({ type: 'spki', format: 'pem' }) } });
    expect(softKey('p384').key.scheme).toBe('ecdsa-sha2-nistp384');
    const rsa = softKey('rsa');
    expect(rsa.key).toMatchObject({ keytype: 'rsa', scheme: 'rsassa-pss-sha256' });
    expect(rsa.key.keyval.public).toMatch(/^-----BEGIN PUBLIC KEY-----\n(?:.{64}\n)+.{1,64}\n-----END PUBLIC KEY-----\n$/);
    const ed = softKey('ed25519');
    expect(ed.key).toMatchObject({ keytype: 'ed25519', scheme: 'ed25519' });
    expect(ed.key.keyval.public).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(ed.spki).subarray(-32).toString('hex')).toBe(ed.key.keyval.public);
  });

  it('refuses a key TUF clients do not verify (P-521)', () => {
    const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey.export({ type: 'spki', format: 'der' }));
    expect(thrownKeyriteError(() => tufKeyFromSpki(spki)).code).toBe('TUF_KEY_UNSUPPORTED');
    expect(thrownKeyriteError(() => tufKeyFromSpki(new Uint8Array([1, 2, 3]))).code).toBe('TUF_KEY_UNSUPPORTED');
  });

  it('map each scheme to the token scheme that signs it', () => {
    expect(['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'rsassa-pss-sha256', 'ed25519'].map((s) => tokenSchemeOf(s as 'ed25519')))
      .toEqual(['ecdsa-sha256', 'ecdsa-sha384', 'rsa-pss-sha256', 'ed25519']);
  });
});

describe('public keys of key entries, read as tuf-js reads them', () => {
  it.each(['p256', 'p384', 'rsa', 'ed25519'] as SoftKind[])('%s: our entry reads back to the same key, and tuf-js verifies what we verify', (kind) => {
    const k = softKey(kind);
    const pub = tufPublicKey(k.key);
    expect(pub.ok && Buffer.from(pub.spki).equals(Buffer.from(k.spki))).toBe(true);
    if (!pub.ok) return;
    const signed = { _type: 'root', n: 1 };
    const sig = Buffer.from(softSignRaw(k.privateKey, tokenSchemeOf(pub.scheme), canonicalBytes(signed))).toString('hex');
    expect(verifyTufSignature(pub, canonicalBytes(signed), sig)).toBe(true);
    expect(verifyTufSignature(pub, canonicalBytes({ ...signed, n: 2 }), sig)).toBe(false);
    const metadata = { signed: { toJSON: () => signed }, signatures: { [k.keyid]: { keyID: k.keyid, sig } } };
    expect(() => Key.fromJSON(k.keyid, k.key).verifySignature(metadata as never)).not.toThrow();
  });

  it('reads ECDSA and Ed25519 keys written as hex (the uncompressed point; the raw key)', () => {
    const ec = softKey('p256');
    const point = Buffer.from(ec.spki).subarray(-65).toString('hex');
    expect(tufPublicKey({ ...ec.key, keyval: { public: point } }).ok).toBe(true);
    const ed = softKey('ed25519');
    const pem = createPublicKey(ed.privateKey).export({ type: 'spki', format: 'pem' });
    expect(tufPublicKey({ ...ed.key, keyval: { public: pem } }).ok).toBe(true);
  });

  it('refuses a key whose curve, type or encoding is not what its scheme says', () => {
    const p256 = softKey('p256');
    expect(tufPublicKey({ ...p256.key, scheme: 'ecdsa-sha2-nistp384' })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ ...p256.key, keytype: 'rsa' })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ ...softKey('rsa').key, keyval: { public: 'abcd' } })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ ...p256.key, keyval: { public: 'xyz' } })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ ...p256.key, keytype: 'ed25519', scheme: 'ed25519' })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ keytype: 'ecdsa' })).toMatchObject({ ok: false, unknownScheme: false });
    expect(tufPublicKey({ ...p256.key, scheme: 'ecdsa-sha2-nistp521' })).toMatchObject({ ok: false, unknownScheme: true });
  });

  it('never throws on a malformed signature', () => {
    const pub = tufPublicKey(softKey('p256').key);
    if (!pub.ok) throw new Error('no key');
    for (const sig of ['', 'zz', '0', '00'.repeat(80)]) expect(verifyTufSignature(pub, new Uint8Array([1]), sig)).toBe(false);
  });
});
