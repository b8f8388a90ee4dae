/**
 * Version 2 of the token share file, for EC card keys (P-256, P-384, P-521): ECDH with a fresh
 * ephemeral key, HKDF-SHA256 to an AES-256-GCM key; the custodian's half of the ECDH runs on their
 * token (deriveSharedSecret). The format and the other versions: token-file.ts.
 */
import { createCipheriv, createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { KeyriteError } from '../util/errors';
import { shareError } from './errors';
import { fromBase64, toBase64 } from './bytes';

export const BAD_FILE = 'Use the share file exactly as it was handed out.';

export const TOKEN_SHARE_ECDH_SCHEME = 'ecdh-hkdf-sha256-aes256gcm';
const TOKEN_SHARE_INFO = 'keyrite.share.token/v2';

export interface TokenShareFileV2 {
  format: 'keyrite.share.token';
  version: 2;
  scheme: typeof TOKEN_SHARE_ECDH_SCHEME;
  recipient: { spkiSha256: string; keyId?: string; keyLabel?: string };
  ephemeralPublicKey: string;
  nonce: string;
  ciphertext: string;
}

/** OpenSSL's names of P-256, P-384 and P-521 (KeyObject.asymmetricKeyDetails.namedCurve, also createECDH's). */
const NIST_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

function uncompressedPoint(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
}

/** The HKDF info and GCM additional data of a version 2 file. */
function ecdhContext(ephemeralPoint: Uint8Array, spkiSha256Hex: string): Buffer {
  return Buffer.concat([Buffer.from(TOKEN_SHARE_INFO, 'utf8'), Buffer.from(ephemeralPoint), Buffer.from(spkiSha256Hex, 'hex')]);
}

function ecdhKek(z: Uint8Array, context: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(z), Buffer.alloc(0), context, 32));
}

export function encryptEcdh(plain: Uint8Array, key: KeyObject, recipient: TokenShareFileV2['recipient']): TokenShareFileV2 {
  // Read from the key's details, not its JWK: Node has no JWK form of other curves (brainpool...) and would throw untyped.
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  if (!NIST_CURVES.has(curve)) throw shareError('SHARE_PARAMS_INVALID', 'The custodian\'s EC key is not on P-256, P-384 or P-521.', 'Use an RSA key, or an EC key on a NIST curve, on the custodian\'s token.');
  const eph = createECDH(curve);
  const ephPoint = eph.generateKeys();
  const z = eph.computeSecret(uncompressedPoint(key));
  const context = ecdhContext(ephPoint, recipient.spkiSha256);
  const kek = ecdhKek(z, context);
  const nonce = randomBytes(12);
  try {
    const c = createCipheriv('aes-256-gcm', kek, nonce);
    c.setAAD(context);
    const ct = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    return { format: 'keyrite.share.token', version: 2, scheme: TOKEN_SHARE_ECDH_SCHEME, recipient, ephemeralPublicKey: toBase64(new Uint8Array(ephPoint)), nonce: toBase64(new Uint8Array(nonce)), ciphertext: toBase64(new Uint8Array(ct)) };
  } finally {
    z.fill(0);
    kek.fill(0);
  }
}

const POINT_CURVES: Record<number, string> = { 65: 'P-256', 97: 'P-384', 133: 'P-521' };

/** A damaged ephemeral key is named here: a token given a point off its curve says only "general error". */
function assertOnCurve(point: Uint8Array): void {
  const crv = POINT_CURVES[point.length];
  const size = (point.length - 1) / 2;
  try {
    if (point[0] !== 0x04 || !crv) throw new Error('not an uncompressed point');
    const b = Buffer.from(point);
    createPublicKey({ key: { kty: 'EC', crv, x: b.subarray(1, 1 + size).toString('base64url'), y: b.subarray(1 + size).toString('base64url') }, format: 'jwk' });
  } catch {
    throw shareError('SHARE_TOKEN_DECRYPT_FAILED', 'The ephemeral public key in this share file is not a point on P-256, P-384 or P-521: the file is damaged.', BAD_FILE);
  }
}

/** ECDH on the token, then the KDF and AES-GCM here; a wrong tag is WRAPPED_KEY_INVALID, as a bad RSA ciphertext is. */
export async function openEcdh(token: TokenApi, session: SessionId, key: KeyRef, file: TokenShareFileV2): Promise<Uint8Array> {
  const point = fromBase64(file.ephemeralPublicKey);
  assertOnCurve(point);
  const z = await token.deriveSharedSecret(session, key, point);
  const context = ecdhContext(point, file.recipient.spkiSha256);
  const kek = ecdhKek(z, context);
  z.fill(0);
  try {
    const all = Buffer.from(fromBase64(file.ciphertext));
    if (all.length < 17) throw new KeyriteError('WRAPPED_KEY_INVALID', 'The share ciphertext is too short.', { action: BAD_FILE });
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(fromBase64(file.nonce)));
    d.setAAD(context);
    d.setAuthTag(all.subarray(all.length - 16));
    try {
      return new Uint8Array(Buffer.concat([d.update(all.subarray(0, all.length - 16)), d.final()]));
    } catch {
      throw new KeyriteError('WRAPPED_KEY_INVALID', 'The share did not decrypt with this key (authentication failed).', { action: BAD_FILE });
    }
  } finally {
    kek.fill(0);
  }
}
