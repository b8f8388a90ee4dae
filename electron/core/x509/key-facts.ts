/** What the profile rules need to know about a key: its type and size or curve. */
import { createPublicKey } from 'node:crypto';
import type { KeyAlgorithm } from '../token/types';

export interface KeyFacts {
  type: 'rsa' | 'ec' | 'ed25519' | 'other';
  /** RSA modulus length in bits. */
  bits?: number | undefined;
  /** RSA public exponent. */
  exponent?: bigint | undefined;
  /** EC named curve in NIST form: P-256, P-384, P-521 (or the OpenSSL name of another curve). */
  curve?: string | undefined;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export function keyFactsOfSpki(spki: Uint8Array): KeyFacts {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: d.modulusLength, exponent: d.publicExponent };
  if (key.asymmetricKeyType === 'ec') return { type: 'ec', curve: CURVES[d.namedCurve ?? ''] ?? d.namedCurve };
  if (key.asymmetricKeyType === 'ed25519') return { type: 'ed25519' };
  return { type: 'other' };
}

export function keyFactsOfAlgorithm(algorithm: KeyAlgorithm): KeyFacts {
  if (algorithm.startsWith('rsa-')) return { type: 'rsa', bits: Number(algorithm.slice(4)), exponent: 65537n };
  if (algorithm.startsWith('ec-p')) return { type: 'ec', curve: `P-${algorithm.slice(4)}` };
  if (algorithm === 'ed25519') return { type: 'ed25519' };
  return { type: 'other' };
}

export function describeKey(k: KeyFacts): string {
  if (k.type === 'rsa') return `RSA-${k.bits ?? '?'}`;
  if (k.type === 'ec') return `ECDSA ${k.curve ?? '?'}`;
  return k.type === 'ed25519' ? 'Ed25519' : 'an unknown key type';
}
