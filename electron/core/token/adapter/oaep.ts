/**
 * RSA-OAEP decoding (RFC 8017 §7.1.2) for tokens that decrypt only with OAEP-SHA1 (SoftHSM2 2.6
 * refuses SHA-256 parameters): the token does the raw RSA private operation (CKM_RSA_X_509), the
 * host removes the OAEP padding. The private key never leaves the token either way.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { KeyriteError } from '../../util/errors';

function mgf1(seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; out.length * 32 < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(createHash('sha256').update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

function decodingError(): KeyriteError {
  return new KeyriteError('WRAPPED_KEY_INVALID', 'The encrypted data did not decrypt with this key.', {
    action: 'Check that the data was encrypted to this key (RSA-OAEP with SHA-256).',
  });
}

/** `em` is the raw RSA result, left-padded to the modulus length `k`. Empty label. */
export function oaepSha256Decode(em: Buffer, k: number): Uint8Array {
  const hLen = 32;
  if (em.length !== k || k < 2 * hLen + 2) throw decodingError();
  const y = em[0];
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seedMask = mgf1(maskedDb, hLen);
  const seed = Buffer.from(maskedSeed.map((b, i) => b ^ (seedMask[i] ?? 0)));
  const dbMask = mgf1(seed, k - hLen - 1);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ (dbMask[i] ?? 0)));
  const lHash = createHash('sha256').update(Buffer.alloc(0)).digest();
  const one = db.indexOf(1, hLen);
  const zerosOk = one > 0 && db.subarray(hLen, one).every((b) => b === 0);
  if (y !== 0 || !timingSafeEqual(db.subarray(0, hLen), lHash) || !zerosOk) throw decodingError();
  return new Uint8Array(db.subarray(one + 1));
}
