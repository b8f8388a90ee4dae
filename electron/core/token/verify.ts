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

function derLength(len: number): number[] {
  return len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
}

function derInteger(bytes: Uint8Array): number[] {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = Array.from(bytes.subarray(i));
  if ((v[0] ?? 0) & 0x80) v.unshift(0);
  return [0x02, ...derLength(v.length), ...v];
}

/** PKCS#11 returns ECDSA signatures as r||s; X.509, OpenSSL and node:crypto's default want DER. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))];
  return new Uint8Array([0x30, ...derLength(body.length), ...body]);
}

/** DER -> r||s, each padded to the curve's coordinate length (e.g. 32 for P-256, 66 for P-521). */
export function ecdsaDerToRaw(der: Uint8Array, coordLength: number): Uint8Array {
  const b = Buffer.from(der);
  let off = 2 + ((b[1] ?? 0) & 0x80 ? (b[1] ?? 0) & 0x7f : 0);
  const out = new Uint8Array(2 * coordLength);
  for (let k = 0; k < 2; k++) {
    const len = b[off + 1] ?? 0;
    let v = b.subarray(off + 2, off + 2 + len);
    while (v.length > coordLength && v[0] === 0) v = v.subarray(1);
    out.set(v, (k + 1) * coordLength - v.length);
    off += 2 + len;
  }
  return out;
}

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
    if (family === 'ecdsa') return type === 'ec' && verify(HASHES[variant] ?? 'none', data, { key, dsaEncoding: 'der' }, sig);
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
