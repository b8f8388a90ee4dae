/**
 * ECDH on the token (CKM_ECDH1_DERIVE, no KDF): the raw shared secret Z of a custodian's EC card
 * key and an ephemeral public point, for shares encrypted to EC keys (shares/token-file.ts).
 * Z is read out of a session object made for that purpose and the object destroyed at once: the
 * KDF and the decryption run in the caller, as for any share once it is opened.
 */
import { KeyriteError } from '../../util/errors';
import { pkcs11, type Handle, type Mechanism } from '../pkcs11js';
import type { ECDH1 } from 'pkcs11js';
import type { KeyRef, SessionId } from '../types';
import { ulong, type AdapterContext } from './context';

/** Field sizes in bytes by uncompressed point length (1 + 2 * size). */
const FIELD_BYTES: Record<number, number> = { 65: 32, 97: 48, 133: 66 };

/** DER OCTET STRING around the point: some tokens want the point wrapped, as CKA_EC_POINT is. */
function derOctetString(point: Buffer): Buffer {
  const len = point.length < 0x80 ? Buffer.from([point.length]) : Buffer.from([0x81, point.length]);
  return Buffer.concat([Buffer.from([0x04]), len, point]);
}

function derive(ctx: AdapterContext, session: Handle, key: Handle, publicData: Buffer, size: number): Buffer {
  const parameter: ECDH1 = { type: pkcs11.CK_PARAMS_EC_DH, kdf: pkcs11.CKD_NULL, publicData };
  const mech: Mechanism = { mechanism: pkcs11.CKM_ECDH1_DERIVE, parameter };
  const template = [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
    { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_GENERIC_SECRET },
    { type: pkcs11.CKA_TOKEN, value: false },
    { type: pkcs11.CKA_SENSITIVE, value: false },
    { type: pkcs11.CKA_EXTRACTABLE, value: true },
    { type: pkcs11.CKA_VALUE_LEN, value: size },
  ];
  const secret = ctx.call('C_DeriveKey', () => ctx.p.C_DeriveKey(session, mech, key, template));
  try {
    return ctx.readAttributes(session, secret, [pkcs11.CKA_VALUE]).get(pkcs11.CKA_VALUE) ?? Buffer.alloc(0);
  } finally {
    try {
      ctx.p.C_DestroyObject(session, secret);
    } catch {
      // A session object: it goes with the session in any case.
    }
  }
}

export function deriveSharedSecret(ctx: AdapterContext, id: SessionId, key: KeyRef, peerPoint: Uint8Array): Uint8Array {
  const s = ctx.session(id);
  const point = Buffer.from(peerPoint);
  const size = FIELD_BYTES[point.length];
  if (point[0] !== 0x04 || size === undefined) {
    throw new KeyriteError('MECHANISM_PARAM_INVALID', 'The ephemeral public key is not an uncompressed P-256, P-384 or P-521 point.', {
      action: 'Use the share file exactly as it was handed out.',
    });
  }
  const h = ctx.findKey(s.handle, key, 'private');
  const keyType = ulong(ctx.readAttributes(s.handle, h, [pkcs11.CKA_KEY_TYPE]).get(pkcs11.CKA_KEY_TYPE));
  if (keyType !== pkcs11.CKK_EC) {
    throw new KeyriteError('KEY_TYPE_INCONSISTENT', `Key "${key.label}" is not an EC key: it cannot agree a secret by ECDH.`, {
      action: 'Choose the custodian\'s EC key (the one the share was encrypted to).',
    });
  }
  try {
    return new Uint8Array(derive(ctx, s.handle, h, point, size));
  } catch (e) {
    const ckr = e instanceof KeyriteError ? e.details?.ckr : undefined;
    if (ckr !== 'CKR_MECHANISM_PARAM_INVALID' && ckr !== 'CKR_ARGUMENTS_BAD' && ckr !== 'CKR_DOMAIN_PARAMS_INVALID') throw e;
    // The spec's form is the raw point; some tokens take it only DER-wrapped.
    return new Uint8Array(derive(ctx, s.handle, h, derOctetString(point), size));
  }
}
