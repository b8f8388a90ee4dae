/** Signing on the token for every SignatureScheme, and RSA-OAEP decryption. */
import { createHash } from 'node:crypto';
import { KeyriteError } from '../../util/errors';
import { CKM_EDDSA } from '../pkcs11-names';
import { pkcs11, type Handle, type Mechanism } from '../pkcs11js';
import type { RsaOAEP, RsaPSS } from 'pkcs11js';
import type { KeyRef, SessionId, SignatureScheme } from '../types';
import type { AdapterContext } from './context';
import { ecdsaRawToDer } from '../verify';
import { oaepSha256Decode } from './oaep';

// CK_RSA_PKCS_OAEP_SOURCE_TYPE: the label (empty) is given in the parameters; pkcs11js does not export it.
const CKZ_DATA_SPECIFIED = 1;

type Hash = 'sha256' | 'sha384' | 'sha512';

const HASH: Record<Hash, { ckm: number; mgf: number; len: number }> = {
  sha256: { ckm: pkcs11.CKM_SHA256, mgf: pkcs11.CKG_MGF1_SHA256, len: 32 },
  sha384: { ckm: pkcs11.CKM_SHA384, mgf: pkcs11.CKG_MGF1_SHA384, len: 48 },
  sha512: { ckm: pkcs11.CKM_SHA512, mgf: pkcs11.CKG_MGF1_SHA512, len: 64 },
};

const RSA_PKCS1: Record<Hash, number> = { sha256: pkcs11.CKM_SHA256_RSA_PKCS, sha384: pkcs11.CKM_SHA384_RSA_PKCS, sha512: pkcs11.CKM_SHA512_RSA_PKCS };
const RSA_PSS: Record<Hash, number> = { sha256: pkcs11.CKM_SHA256_RSA_PKCS_PSS, sha384: pkcs11.CKM_SHA384_RSA_PKCS_PSS, sha512: pkcs11.CKM_SHA512_RSA_PKCS_PSS };

export interface SignPlan {
  keyType: number;
  mechanism: Mechanism;
  /** ECDSA: the token signs a digest we compute (CKM_ECDSA is what every EC token offers; CKM_ECDSA_SHA* is rare). */
  prehash?: Hash;
}

export function signPlan(scheme: SignatureScheme): SignPlan {
  const [family, variant, hash] = scheme.split('-') as [string, string, Hash | undefined];
  if (scheme === 'ed25519') return { keyType: 0x40, mechanism: { mechanism: CKM_EDDSA } };
  if (family === 'ecdsa') return { keyType: pkcs11.CKK_EC, mechanism: { mechanism: pkcs11.CKM_ECDSA }, prehash: variant as Hash };
  if (family === 'rsa' && hash && variant === 'pkcs1') return { keyType: pkcs11.CKK_RSA, mechanism: { mechanism: RSA_PKCS1[hash] } };
  if (family === 'rsa' && hash && variant === 'pss') {
    const h = HASH[hash];
    // Salt length = hash length: what RFC 8017 recommends and what X.509 verifiers expect by default.
    const parameter: RsaPSS = { type: pkcs11.CK_PARAMS_RSA_PSS, hashAlg: h.ckm, mgf: h.mgf, saltLen: h.len };
    return { keyType: pkcs11.CKK_RSA, mechanism: { mechanism: RSA_PSS[hash], parameter } };
  }
  throw new KeyriteError('SIGNATURE_SCHEME_UNSUPPORTED', `Unknown signature scheme "${scheme}".`, { action: 'Use one of the schemes Keyrite lists (rsa-pss-sha256, ecdsa-sha384, ed25519, ...).' });
}

export function sign(ctx: AdapterContext, id: SessionId, key: KeyRef, scheme: SignatureScheme, data: Uint8Array): Uint8Array {
  const s = ctx.session(id);
  const plan = signPlan(scheme);
  const input = plan.prehash ? createHash(plan.prehash).update(data).digest() : Buffer.from(data);
  const sig = ctx.withKey(s.handle, key, 'private', (h) => {
    checkKeyType(ctx, s.handle, h, plan, key, scheme);
    return ctx.call('C_Sign', () => {
      ctx.p.C_SignInit(s.handle, plan.mechanism, h);
      return ctx.p.C_Sign(s.handle, input, Buffer.alloc(1024));
    });
  });
  return plan.prehash ? ecdsaRawToDer(new Uint8Array(sig)) : new Uint8Array(sig);
}

/** The key must be of the scheme's type: an EC key asked for RSA-PSS is refused before the token sees it. */
export function checkKeyType(ctx: AdapterContext, session: Handle, h: Handle, plan: SignPlan, key: KeyRef, scheme: SignatureScheme): void {
  if (ctx.keyType(session, h) !== plan.keyType) {
    throw new KeyriteError('KEY_TYPE_INCONSISTENT', `Key "${key.label}" cannot sign with ${scheme}.`, {
      action: 'Choose a signature scheme that matches the key (RSA, ECDSA or Ed25519).',
      details: { scheme },
    });
  }
}

export function decrypt(ctx: AdapterContext, id: SessionId, key: KeyRef, mechanism: 'rsa-oaep-sha256', data: Uint8Array): Uint8Array {
  const s = ctx.session(id);
  if (mechanism !== 'rsa-oaep-sha256') {
    throw new KeyriteError('MECHANISM_INVALID', `Unknown decryption mechanism "${String(mechanism)}".`, { action: 'Use rsa-oaep-sha256.' });
  }
  const h = ctx.findKey(s.handle, key, 'private');
  const parameter: RsaOAEP = { type: pkcs11.CK_PARAMS_RSA_OAEP, hashAlg: pkcs11.CKM_SHA256, mgf: pkcs11.CKG_MGF1_SHA256, source: CKZ_DATA_SPECIFIED };
  const mech: Mechanism = { mechanism: pkcs11.CKM_RSA_PKCS_OAEP, parameter };
  let out: Buffer;
  try {
    out = ctx.call('C_Decrypt', () => {
      ctx.p.C_DecryptInit(s.handle, mech, h);
      return ctx.p.C_Decrypt(s.handle, Buffer.from(data), Buffer.alloc(1024));
    });
  } catch (e) {
    const ckr = e instanceof KeyriteError ? e.details?.ckr : undefined;
    if (ckr !== 'CKR_ARGUMENTS_BAD' && ckr !== 'CKR_MECHANISM_PARAM_INVALID') throw e;
    // The token does OAEP only with SHA-1: do the raw RSA step on the token and unpad here.
    const k = (ctx.readAttributes(s.handle, h, [pkcs11.CKA_MODULUS]).get(pkcs11.CKA_MODULUS) ?? Buffer.alloc(0)).length;
    const raw = ctx.call('C_Decrypt', () => {
      ctx.p.C_DecryptInit(s.handle, { mechanism: pkcs11.CKM_RSA_X_509 }, h);
      return ctx.p.C_Decrypt(s.handle, Buffer.from(data), Buffer.alloc(1024));
    });
    return oaepSha256Decode(Buffer.concat([Buffer.alloc(Math.max(0, k - raw.length)), raw]), k);
  }
  return new Uint8Array(out);
}
