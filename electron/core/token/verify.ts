/**
 * Software checks of what the token produced: every signature Keyrite makes is verified with
 * node:crypto against the exported public key before it is trusted. No pkcs11js here: this file is
 * safe to import in any process.
 */
import { createHash, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { toPgpWords } from '../util/pgp-words';
import type { SignatureScheme } from './types';

export function spkiToPem(spki: Uint8Array): string {
  const b64 = Buffer.from(spki).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

export function pemToSpki(pem: string): Uint8Array {
  return new Uint8Array(createPublicKey(pem).export({ type: 'spki', format: 'der' }));
}

/** SHA-256 of the SPKI DER, as hex and as PGP words (for reading aloud during the ceremony). */
export function publicKeyFingerprint(spki: Uint8Array): { sha256Hex: string; pgpWords: string[] } {
  const digest = createHash('sha256').update(spki).digest();
  return { sha256Hex: digest.toString('hex'), pgpWords: toPgpWords(digest) };
}

// One strict codec for r||s <-> DER, shared with x509 (token-crypto.ts).
export { ecdsaRawToDer, ecdsaDerToRaw } from './ecdsa-der';

const HASHES: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** True when `sig` is a valid signature by the key `spki` over `data` under `scheme`; never throws on bad input. */
export function verifySignature(spki: Uint8Array, scheme: SignatureScheme, data: Uint8Array, sig: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  const type = key.asymmetricKeyType;
  try {
    if (scheme === 'ed25519') return type === 'ed25519' && verify(null, data, key, sig);
    const [family, variant, hashName] = scheme.split('-') as [string, string, string | undefined];
    if (family === 'ecdsa') {
      // Named, never defaulted: node:crypto would pick the key's default digest for an undefined one.
      const digest = HASHES[variant];
      return type === 'ec' && digest !== undefined && verify(digest, data, { key, dsaEncoding: 'der' }, sig);
    }
    const hash = hashName ? HASHES[hashName] : undefined;
    if (family !== 'rsa' || type !== 'rsa' || !hash) return false;
    if (variant === 'pss') {
      const saltLength = hash === 'sha256' ? 32 : hash === 'sha384' ? 48 : 64;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, sig);
    }
    return variant === 'pkcs1' && verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
  } catch {
    return false;
  }
}
