/**
 * Lint before and after signing, the way Let's Encrypt's ceremony tool does: the same TBS is first
 * built and signed with a throwaway software key and checked against the profile; only those exact
 * bytes may then go to the token; the token's result must carry the same TBS, verify with the
 * issuer's key and pass the profile again.
 */
import { webcrypto } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import type { KeyAlgorithm } from '../token/types';
import { signingAlgorithm, type HashName } from './token-crypto';

/** The DER element that starts at `off`: [header length, total length]. */
function element(der: Uint8Array, off: number): [number, number] {
  const first = der[off + 1] ?? 0;
  if (first < 0x80) return [2, 2 + first];
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[off + 2 + i] ?? 0);
  return [2 + n, 2 + n + len];
}

/** The to-be-signed bytes of a certificate or CRL: the first element inside the outer SEQUENCE. */
export function tbsOf(der: Uint8Array): Uint8Array {
  const [outerHeader] = element(der, 0);
  const [, tbsLength] = element(der, outerHeader);
  return der.subarray(outerHeader, outerHeader + tbsLength);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A software key of the signer's type, for the draft only: the TBS names the algorithm, never the key. */
export async function throwawayKey(algorithm: KeyAlgorithm, hash: HashName): Promise<CryptoKey> {
  const alg = signingAlgorithm(algorithm, hash);
  const params = alg.name === 'RSASSA-PKCS1-v1_5'
    ? { ...alg, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }
    : alg;
  const pair = await webcrypto.subtle.generateKey(params as EcKeyGenParams, false, ['sign', 'verify']) as CryptoKeyPair;
  return pair.privateKey;
}

export interface LintedSigning {
  /** Builds the certificate or CRL; called twice with the same inputs (draft key, then the token). */
  build(key: CryptoKey | 'token', guard: (data: Uint8Array) => void): Promise<Uint8Array>;
  /** Profile problems of a DER (the draft, then the signed result); throws when any. */
  lint(der: Uint8Array, stage: 'draft' | 'signed'): void;
  /** Checks the token's signature with the issuer's public key; throws when it fails. */
  verify(der: Uint8Array): Promise<void>;
  algorithm: KeyAlgorithm;
  hash: HashName;
  what: string;
}

function mismatch(what: string, when: string): KeyriteError {
  return new KeyriteError('TBS_MISMATCH', `The ${what} ${when} is not the one that was checked against the profile.`, {
    action: 'Nothing from this step may be used. Record a deviation; report it (the encoder is not deterministic or the signing path was altered).',
  });
}

/** Returns the signed DER, or throws before the token is touched (draft) or before anything is written (signed). */
export async function signAfterLint(s: LintedSigning): Promise<Uint8Array> {
  const draft = await s.build(await throwawayKey(s.algorithm, s.hash), () => undefined);
  s.lint(draft, 'draft');
  const linted = tbsOf(draft);
  const signed = await s.build('token', (data) => {
    if (!same(data, linted)) throw mismatch(s.what, 'sent to the token for signing');
  });
  if (!same(tbsOf(signed), linted)) throw mismatch(s.what, 'returned after signing');
  await s.verify(signed);
  s.lint(signed, 'signed');
  return signed;
}
