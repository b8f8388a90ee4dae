/**
 * TUF key entries for public keys, and public keys back out of TUF key entries, the way
 * securesystemslib writes them and tuf-js reads them:
 *   ECDSA P-256/P-384: keytype "ecdsa", scheme "ecdsa-sha2-nistp256/384", keyval.public = SPKI PEM
 *   RSA:               keytype "rsa", scheme "rsassa-pss-sha256", keyval.public = SPKI PEM
 *   Ed25519:           keytype "ed25519", scheme "ed25519", keyval.public = the 32 raw bytes in hex
 * A keyid is the SHA-256 (hex) of the canonical JSON of the key object as written in the root.
 */
import { createHash, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import type { SignatureScheme } from '../token/types';
import { spkiToPem } from '../token/verify';
import { canonicalBytes, isJsonObject, type JsonObject } from './canonical';
import { tufError } from './errors';

/** A key object as it sits in root.json's "keys" (other members, e.g. x-tuf-on-ci-keyowner, kept). */
export interface TufKey extends JsonObject {
  keytype: string;
  scheme: string;
  keyval: { public: string } & JsonObject;
}

/** The schemes Keyrite signs with on a token and tuf-js verifies. */
export type TufScheme = 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'rsassa-pss-sha256' | 'rsassa-pss-sha384' | 'rsassa-pss-sha512' | 'ed25519';

const TOKEN_SCHEME: Record<TufScheme, SignatureScheme> = {
  'ecdsa-sha2-nistp256': 'ecdsa-sha256',
  'ecdsa-sha2-nistp384': 'ecdsa-sha384',
  'rsassa-pss-sha256': 'rsa-pss-sha256',
  'rsassa-pss-sha384': 'rsa-pss-sha384',
  'rsassa-pss-sha512': 'rsa-pss-sha512',
  ed25519: 'ed25519',
};

export function isTufScheme(s: string): s is TufScheme {
  return Object.hasOwn(TOKEN_SCHEME, s);
}

/** The token API's scheme that makes a signature of this TUF scheme (the token hashes the bytes). */
export function tokenSchemeOf(scheme: TufScheme): SignatureScheme {
  return TOKEN_SCHEME[scheme];
}

/** keyid = hex SHA-256 of the key object's canonical JSON (every member, as securesystemslib and tuf-on-ci compute it). */
export function tufKeyId(key: JsonObject): string {
  return createHash('sha256').update(canonicalBytes(key)).digest('hex');
}

/** The TUF key entry and keyid for a public key (SPKI DER), as securesystemslib's SSlibKey.from_crypto writes it. */
export function tufKeyFromSpki(spki: Uint8Array): { keyid: string; key: TufKey } {
  let k: KeyObject;
  try {
    k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw tufError('TUF_KEY_UNSUPPORTED', `The public key cannot be read: ${(e as Error).message}.`, 'Give the public key exported from the token (SPKI, e.g. public-key.pem).');
  }
  const curve = k.asymmetricKeyDetails?.namedCurve;
  let key: TufKey;
  if (k.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1')) {
    key = { keytype: 'ecdsa', scheme: curve === 'prime256v1' ? 'ecdsa-sha2-nistp256' : 'ecdsa-sha2-nistp384', keyval: { public: spkiToPem(spki) } };
  } else if (k.asymmetricKeyType === 'rsa') {
    key = { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: spkiToPem(spki) } };
  } else if (k.asymmetricKeyType === 'ed25519') {
    key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: Buffer.from(k.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex') } };
  } else {
    throw tufError('TUF_KEY_UNSUPPORTED', `The key is ${k.asymmetricKeyType}${curve ? ` ${curve}` : ''}, which TUF clients do not verify (ECDSA P-256/P-384, RSA-PSS and Ed25519 only).`,
      'Use a token key of type EC P-256, EC P-384, RSA or Ed25519 for a TUF root key.');
  }
  return { keyid: tufKeyId(key), key };
}

const PEM_HEADER = '-----BEGIN PUBLIC KEY-----';
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const EC_SPKI_PREFIX: Record<string, Buffer> = {
  'ecdsa-sha2-nistp256': Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
  'ecdsa-sha2-nistp384': Buffer.from('3076301006072a8648ce3d020106052b81040022036200', 'hex'),
};
const isHex = (s: string): boolean => /^(?:[0-9a-fA-F]{2})+$/.test(s);

/** A verifiable public key of a TUF key entry, read by tuf-js's rules; a reason when it is none. */
export type TufPublicKey = { ok: true; scheme: TufScheme; key: KeyObject; spki: Uint8Array }
  /** unknownScheme: a scheme TUF clients do not know (they skip the key); otherwise a broken key of a known scheme. */
  | { ok: false; reason: string; unknownScheme: boolean };

const broken = (reason: string): TufPublicKey => ({ ok: false, reason, unknownScheme: false });

function fromValue(value: string, hexPrefix: Buffer | undefined): KeyObject {
  if (value.startsWith(PEM_HEADER)) return createPublicKey(value);
  if (!hexPrefix || !isHex(value)) throw new Error(hexPrefix ? 'keyval.public is neither PEM nor hex' : 'keyval.public is not a PEM public key');
  return createPublicKey({ key: Buffer.concat([hexPrefix, Buffer.from(value, 'hex')]), format: 'der', type: 'spki' });
}

/** Reads keyval.public under the key's type and scheme; a key of another curve or type than its scheme says is no key. */
export function tufPublicKey(entry: unknown): TufPublicKey {
  if (!isJsonObject(entry) || typeof entry.keytype !== 'string' || typeof entry.scheme !== 'string' || !isJsonObject(entry.keyval) || typeof entry.keyval.public !== 'string') {
    return broken('a key needs keytype, scheme (strings) and keyval.public (a string)');
  }
  const { keytype, scheme } = entry;
  if (!isTufScheme(scheme)) return { ok: false, unknownScheme: true, reason: `scheme "${scheme}" is not one TUF clients verify (ecdsa-sha2-nistp256/384, rsassa-pss-sha256/384/512, ed25519)` };
  const family = scheme.startsWith('ecdsa') ? 'ecdsa' : scheme.startsWith('rsassa') ? 'rsa' : 'ed25519';
  const typeOk = family === 'ecdsa' ? keytype === 'ecdsa' || keytype === scheme : keytype === family;
  if (!typeOk) return broken(`keytype "${keytype}" does not go with scheme "${scheme}"`);
  let key: KeyObject;
  try {
    key = fromValue(entry.keyval.public, family === 'ed25519' ? ED25519_SPKI_PREFIX : EC_SPKI_PREFIX[scheme]);
  } catch (e) {
    return broken(`keyval.public cannot be read: ${(e as Error).message}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const want = family === 'ecdsa' ? 'ec' : family;
  if (key.asymmetricKeyType !== want) return broken(`keyval.public is an ${key.asymmetricKeyType} key, not ${family}`);
  if (family === 'ecdsa' && curve !== (scheme === 'ecdsa-sha2-nistp256' ? 'prime256v1' : 'secp384r1')) {
    return broken(`keyval.public is on curve ${curve}, not the one scheme "${scheme}" names`);
  }
  return { ok: true, scheme, key, spki: new Uint8Array(key.export({ type: 'spki', format: 'der' })) };
}

/**
 * True when `sigHex` is this key's signature over `data`, checked as tuf-js checks it: ECDSA in DER,
 * RSA-PSS with MGF1 of the same hash and any salt length, Ed25519 as is. Never throws.
 */
export function verifyTufSignature(pub: { scheme: TufScheme; key: KeyObject }, data: Uint8Array, sigHex: string): boolean {
  if (!isHex(sigHex)) return false;
  const sig = Buffer.from(sigHex, 'hex');
  try {
    if (pub.scheme === 'ed25519') return verify(null, data, pub.key, sig);
    if (pub.scheme.startsWith('ecdsa')) return verify(pub.scheme === 'ecdsa-sha2-nistp256' ? 'sha256' : 'sha384', data, { key: pub.key, dsaEncoding: 'der' }, sig);
    return verify(pub.scheme.slice('rsassa-pss-'.length), data, { key: pub.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
  } catch {
    return false;
  }
}
