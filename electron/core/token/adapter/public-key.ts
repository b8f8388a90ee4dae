/** Public keys: token attributes <-> SubjectPublicKeyInfo DER (through node:crypto's JWK import/export). */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { KeyriteError } from '../../util/errors';
import { pkcs11, type Template } from '../pkcs11js';
import type { KeyAlgorithm } from '../types';
import { ALGORITHMS, algorithmFromEcParams } from './algorithms';

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const fromB64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

/** CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 2.40); a few modules return the bare point. */
export function unwrapEcPoint(value: Buffer, pointLength: number): Buffer {
  if (value.length === pointLength) return value;
  if (value[0] !== 0x04) throw badPoint();
  let len = value[1] ?? 0;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = value.readUIntBE(2, n);
    off = 2 + n;
  }
  if (off + len !== value.length || len !== pointLength) throw badPoint();
  return value.subarray(off);
}

export function derOctetString(content: Buffer): Buffer {
  const len = content.length;
  const header = len < 0x80 ? Buffer.from([0x04, len]) : len < 0x100 ? Buffer.from([0x04, 0x81, len]) : Buffer.from([0x04, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([header, content]);
}

function badPoint(): KeyriteError {
  return new KeyriteError('PUBLIC_KEY_INVALID', 'The token returned an EC point Keyrite cannot read.', { action: 'Report the token model; the key itself is unaffected.' });
}

function coordLength(alg: KeyAlgorithm): number {
  return alg === 'ec-p256' ? 32 : alg === 'ec-p384' ? 48 : alg === 'ec-p521' ? 66 : 32;
}

export function rsaSpki(modulus: Buffer, exponent: Buffer): Uint8Array {
  const key = createPublicKey({ key: { kty: 'RSA', n: b64u(modulus), e: b64u(exponent) }, format: 'jwk' });
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

export function ecSpki(ecParams: Buffer, ecPoint: Buffer): { spki: Uint8Array; algorithm: KeyAlgorithm } {
  const alg = algorithmFromEcParams(ecParams);
  const crv = alg ? ALGORITHMS[alg].jwkCurve : undefined;
  if (!alg || !crv) {
    throw new KeyriteError('KEY_ALGORITHM_UNSUPPORTED', `The key's curve (params ${ecParams.toString('hex')}) is not one Keyrite uses.`, {
      action: 'Use a P-256, P-384, P-521 or Ed25519 key.',
    });
  }
  let jwk: JsonWebKey;
  if (alg === 'ed25519') {
    jwk = { kty: 'OKP', crv, x: b64u(unwrapEcPoint(ecPoint, 32)) };
  } else {
    const n = coordLength(alg);
    const point = unwrapEcPoint(ecPoint, 1 + 2 * n);
    jwk = { kty: 'EC', crv, x: b64u(point.subarray(1, 1 + n)), y: b64u(point.subarray(1 + n)) };
  }
  return { spki: new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' })), algorithm: alg };
}

/** Attributes for a public key object built from an SPKI (used when restoring a key pair from backup). */
export function publicKeyAttributes(spki: Uint8Array, alg: KeyAlgorithm): Template {
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const a = ALGORITHMS[alg];
  if (a.keyType === pkcs11.CKK_RSA) {
    if (jwk.kty !== 'RSA') throw mismatch(alg);
    return [
      { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_RSA },
      { type: pkcs11.CKA_MODULUS, value: fromB64u(jwk.n) },
      { type: pkcs11.CKA_PUBLIC_EXPONENT, value: fromB64u(jwk.e) },
    ];
  }
  if (jwk.crv !== a.jwkCurve || !a.ecParams) throw mismatch(alg);
  const point = alg === 'ed25519' ? fromB64u(jwk.x) : Buffer.concat([Buffer.from([4]), fromB64u(jwk.x), fromB64u(jwk.y)]);
  return [
    { type: pkcs11.CKA_KEY_TYPE, value: a.keyType },
    { type: pkcs11.CKA_EC_PARAMS, value: a.ecParams },
    { type: pkcs11.CKA_EC_POINT, value: derOctetString(point) },
  ];
}

function mismatch(alg: KeyAlgorithm): KeyriteError {
  return new KeyriteError('PUBLIC_KEY_MISMATCH', `The public key given is not a ${alg} key.`, { action: 'Check that the backup file belongs to this key.' });
}
