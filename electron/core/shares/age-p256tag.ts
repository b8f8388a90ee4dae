/**
 * Shares for a custodian's EC P-256 card as standard age files: one `p256tag` recipient stanza
 * (age v1.3 tag recipients, c2sp.org/age, made by age-encryption's TagRecipient). Opening does the
 * ECDH on the card through PKCS#11 (token.deriveSharedSecret) and the rest of the HPKE base-mode
 * decapsulation (RFC 9180: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) here, as an
 * age Identity: the card's private key never leaves it. P-384/P-521 cards keep Keyrite's ECDH JSON
 * file (no age tag type exists for them); RSA cards keep RSA-OAEP.
 */
import { createHash, createHmac, createPublicKey } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { armor, Decrypter, Encrypter, type Identity, type Stanza } from 'age-encryption';
import { base64nopad, bech32 } from '@scure/base';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { ageStanzaTypes } from './age-recipient';

const LABEL = 'age-encryption.org/p256tag';
const KEM_P256 = 0x0010;

/** The 33-byte compressed point of a P-256 SPKI, or undefined for any other key. */
export function p256Compressed(spki: Uint8Array): Uint8Array | undefined {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  // Only an EC key has a named curve (RSA and EdDSA keys have none).
  if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return undefined;
  const jwk = key.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  return new Uint8Array(Buffer.concat([Buffer.of(2 | (y[31]! & 1)), x]));
}

function uncompressed(spki: Uint8Array): Buffer {
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

/** `age1tag1...`: the recipient string age prints for a P-256 tag key. */
export function p256TagRecipient(spki: Uint8Array): string | undefined {
  const c = p256Compressed(spki);
  return c ? bech32.encode('age1tag', bech32.toWords(c), false) : undefined;
}

export async function encryptToP256Tag(plain: Uint8Array, spki: Uint8Array): Promise<string> {
  const recipient = p256TagRecipient(spki);
  if (!recipient) throw new Error('not a P-256 key');
  const enc = new Encrypter();
  enc.addRecipient(recipient);
  return armor.encode(await enc.encrypt(plain));
}

/** True for an armored age file whose header has a p256tag stanza (a share for an EC card). */
export function isP256TagAgeFile(text: string): boolean {
  try {
    return ageStanzaTypes(text).includes('p256tag');
  } catch {
    return false;
  }
}

const hmac = (key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(data).digest());
const cat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** RFC 9180 4: LabeledExtract / LabeledExpand with "HPKE-v1" and the suite id. */
const labeledExtract = (suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) => hmac(salt, cat(utf8('HPKE-v1'), suite, utf8(label), ikm));
/**
 * HKDF-Expand (RFC 5869) of at most one SHA-256 block, which is all this schedule asks for (32 and
 * 12 bytes): T(1) = HMAC(prk, info || 0x01), truncated to `l`.
 */
const labeledExpand = (suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, l: number) =>
  hmac(prk, cat(Uint8Array.of(l >> 8, l & 0xff), utf8('HPKE-v1'), suite, utf8(label), info, Uint8Array.of(1))).subarray(0, l);

/** The stanza's 4-byte tag for a recipient: HKDF-Extract(label, enc || SHA-256(compressed point)[:4]). */
export function p256Tag(enc: Uint8Array, compressed: Uint8Array): Uint8Array {
  const recipientHash = createHash('sha256').update(compressed).digest().subarray(0, 4);
  return hmac(Buffer.from(LABEL), cat(enc, recipientHash)).subarray(0, 4);
}

/** Base-mode key schedule from the KEM shared secret: the ChaCha20-Poly1305 key and nonce for the stanza body. */
export function p256TagKeyNonce(z: Uint8Array, enc: Uint8Array, recipientUncompressed: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const kemSuite = cat(utf8('KEM'), Uint8Array.of(KEM_P256 >> 8, KEM_P256 & 0xff));
  const eaePrk = labeledExtract(kemSuite, new Uint8Array(0), 'eae_prk', z);
  const shared = labeledExpand(kemSuite, eaePrk, 'shared_secret', cat(enc, recipientUncompressed), 32);
  const suite = cat(utf8('HPKE'), Uint8Array.of(KEM_P256 >> 8, KEM_P256 & 0xff, 0, 1, 0, 3));
  const empty = new Uint8Array(0);
  const ks = cat(Uint8Array.of(0), labeledExtract(suite, empty, 'psk_id_hash', empty), labeledExtract(suite, empty, 'info_hash', Buffer.from(LABEL)));
  const secret = labeledExtract(suite, shared, 'secret', empty);
  return { key: labeledExpand(suite, secret, 'key', ks, 32), nonce: labeledExpand(suite, secret, 'base_nonce', ks, 12) };
}

/** The bytes of a stanza argument that is canonical unpadded base64 of exactly `length` bytes, else undefined. */
function canonicalArg(arg: string, length: number): Uint8Array | undefined {
  // Node's decoder is lenient; encoding the bytes again gives back the argument only when it was canonical.
  const b = new Uint8Array(Buffer.from(arg, 'base64'));
  return b.length === length && base64nopad.encode(b) === arg ? b : undefined;
}

/**
 * An age Identity for a P-256 key: `dh(enc)` is the ECDH x-coordinate (on the card). As the age spec
 * requires, a p256tag stanza with other than two arguments after its type, a tag that is not 4 bytes
 * or an enc that is not 65 (canonical base64), or a body that is not 32 bytes is refused (the file is
 * damaged), before any ECDH on the card; a stanza whose tag is another key's is passed over.
 */
export function p256TagIdentity(spki: Uint8Array, dh: (enc: Uint8Array) => Promise<Uint8Array>): Identity {
  const compressed = p256Compressed(spki);
  const pkR = uncompressed(spki);
  return {
    async unwrapFileKey(stanzas: Stanza[]) {
      for (const s of stanzas) {
        if (s.args[0] !== 'p256tag' || !compressed) continue;
        if (s.args.length !== 3) throw new Error('invalid p256tag stanza');
        const tag = canonicalArg(s.args[1]!, 4);
        const enc = canonicalArg(s.args[2]!, 65);
        if (!tag || !enc || s.body.length !== 32) throw new Error('invalid p256tag stanza');
        if (!Buffer.from(tag).equals(Buffer.from(p256Tag(enc, compressed)))) continue;
        const z = await dh(enc);
        const { key, nonce } = p256TagKeyNonce(z, enc, pkR);
        z.fill(0);
        try {
          // @noble/ciphers, not createDecipheriv: Electron's BoringSSL has no chacha20-poly1305 cipher (as in age-scrypt.ts).
          return chacha20poly1305(key, nonce).decrypt(s.body);
        } catch {
          return null;
        } finally {
          key.fill(0);
        }
      }
      return null;
    },
  };
}

/** Opens a p256tag share file with the card's key: ECDH on the token, HPKE and age here. */
export async function openP256TagOnToken(token: TokenApi, session: SessionId, key: KeyRef, text: string): Promise<Uint8Array> {
  const spki = await token.exportPublicKey(session, key);
  const dec = new Decrypter();
  dec.addIdentity(p256TagIdentity(spki, (enc) => token.deriveSharedSecret(session, key, enc)));
  return dec.decrypt(armor.decode(text));
}

/** Whether a key's public half is the recipient of a p256tag file (its tag matches a stanza). */
export function isP256TagRecipient(spki: Uint8Array, text: string): boolean {
  const c = p256Compressed(spki);
  if (!c) return false;
  const header = Buffer.from(armor.decode(text)).toString('latin1');
  return [...header.matchAll(/^-> p256tag (\S+) (\S+)$/gm)].some((m) => Buffer.from(base64nopad.decode(m[1]!)).equals(Buffer.from(p256Tag(base64nopad.decode(m[2]!), c))));
}
