/**
 * A WebCrypto `Crypto` whose `subtle.sign` is made by the token: @peculiar/x509 builds the TBS
 * structure and asks us to sign it; the private key never leaves the token. Everything else
 * (digests for key identifiers, verification) is Node's WebCrypto.
 */
import { webcrypto } from 'node:crypto';
import { ecdsaDerToRaw } from '../token/ecdsa-der';
import type { KeyAlgorithm, KeyRef, SessionId, SignatureScheme, TokenApi } from '../token/types';

export type HashName = 'sha256' | 'sha384' | 'sha512';

export interface TokenSigner {
  token: TokenApi;
  session: SessionId;
  key: KeyRef;
  algorithm: KeyAlgorithm;
}

const EC_SIZES: Partial<Record<KeyAlgorithm, { curve: string; size: number }>> = {
  'ec-p256': { curve: 'P-256', size: 32 },
  'ec-p384': { curve: 'P-384', size: 48 },
  'ec-p521': { curve: 'P-521', size: 66 },
};

/** The WebCrypto algorithm @peculiar/x509 writes into signatureAlgorithm for this key and hash. */
export function signingAlgorithm(algorithm: KeyAlgorithm, hash: HashName): Algorithm & { hash?: string; namedCurve?: string } {
  const h = hash.replace('sha', 'SHA-');
  const ec = EC_SIZES[algorithm];
  if (ec) return { name: 'ECDSA', hash: h, namedCurve: ec.curve };
  if (algorithm === 'ed25519') return { name: 'Ed25519' };
  return { name: 'RSASSA-PKCS1-v1_5', hash: h };
}

export function signatureScheme(algorithm: KeyAlgorithm, hash: HashName): SignatureScheme {
  if (EC_SIZES[algorithm]) return `ecdsa-${hash}` as SignatureScheme;
  if (algorithm === 'ed25519') return 'ed25519';
  return `rsa-pkcs1-${hash}` as SignatureScheme;
}

/** DER ECDSA-Sig-Value -> r||s (WebCrypto's form): the token layer's strict codec. */
export { ecdsaDerToRaw } from '../token/ecdsa-der';

/** A key handle object for @peculiar/x509: only its `algorithm` is read before `subtle.sign`. */
export function tokenSigningKey(signer: TokenSigner, hash: HashName): CryptoKey {
  return { algorithm: signingAlgorithm(signer.algorithm, hash), type: 'private', extractable: false, usages: ['sign'] } as unknown as CryptoKey;
}

/** Node's WebCrypto with signing redirected to the token. Records how long the token took. */
export function tokenCrypto(signer: TokenSigner, hash: HashName, timing?: { tokenMs: number }, guard?: (tbs: Uint8Array) => void): Crypto {
  const subtle = webcrypto.subtle;
  const tokenSubtle = Object.create(subtle) as SubtleCrypto;
  Object.defineProperty(tokenSubtle, 'sign', {
    value: async (_alg: unknown, _key: unknown, data: BufferSource): Promise<ArrayBuffer> => {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      // The bytes must be the ones linted before the token is touched (presign.ts).
      guard?.(bytes);
      const t0 = performance.now();
      const sig = await signer.token.sign(signer.session, signer.key, signatureScheme(signer.algorithm, hash), new Uint8Array(bytes));
      if (timing) timing.tokenMs += performance.now() - t0;
      const ec = EC_SIZES[signer.algorithm];
      const out = ec ? ecdsaDerToRaw(sig, ec.size) : sig;
      return new Uint8Array(out).buffer as ArrayBuffer;
    },
  });
  for (const m of ['digest', 'verify', 'importKey', 'exportKey'] as const) {
    Object.defineProperty(tokenSubtle, m, { value: (subtle[m] as (...a: unknown[]) => unknown).bind(subtle) });
  }
  return { subtle: tokenSubtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto), randomUUID: webcrypto.randomUUID.bind(webcrypto) } as unknown as Crypto;
}
