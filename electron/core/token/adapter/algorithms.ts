/** Which mechanisms make and use each key algorithm, and how a token's mechanism list maps to them. */
import { CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA } from '../pkcs11-names';
import { pkcs11 } from '../pkcs11js';
import type { KeyAlgorithm, MechanismView } from '../types';

export interface AlgorithmSpec {
  keyType: number;
  genMechanism: number;
  signMechanism: number;
  /** RSA modulus bits, or EC curve order bits (the unit tokens use in CK_MECHANISM_INFO). */
  bits: number;
  /** DER OID of the curve for CKA_EC_PARAMS. */
  ecParams?: Buffer;
  jwkCurve?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
}

const oid = (hex: string): Buffer => Buffer.from(hex, 'hex');

export const ALGORITHMS: Record<KeyAlgorithm, AlgorithmSpec> = {
  'rsa-3072': { keyType: pkcs11.CKK_RSA, genMechanism: pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN, signMechanism: pkcs11.CKM_RSA_PKCS, bits: 3072 },
  'rsa-4096': { keyType: pkcs11.CKK_RSA, genMechanism: pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN, signMechanism: pkcs11.CKM_RSA_PKCS, bits: 4096 },
  'ec-p256': { keyType: pkcs11.CKK_EC, genMechanism: pkcs11.CKM_EC_KEY_PAIR_GEN, signMechanism: pkcs11.CKM_ECDSA, bits: 256, ecParams: oid('06082a8648ce3d030107'), jwkCurve: 'P-256' },
  'ec-p384': { keyType: pkcs11.CKK_EC, genMechanism: pkcs11.CKM_EC_KEY_PAIR_GEN, signMechanism: pkcs11.CKM_ECDSA, bits: 384, ecParams: oid('06052b81040022'), jwkCurve: 'P-384' },
  'ec-p521': { keyType: pkcs11.CKK_EC, genMechanism: pkcs11.CKM_EC_KEY_PAIR_GEN, signMechanism: pkcs11.CKM_ECDSA, bits: 521, ecParams: oid('06052b81040023'), jwkCurve: 'P-521' },
  ed25519: { keyType: 0x40, genMechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN, signMechanism: CKM_EDDSA, bits: 255, ecParams: oid('06032b6570'), jwkCurve: 'Ed25519' },
};

/** The printable-string form of the Ed25519 curve some tokens (OpenSC, older SoftHSM) report instead of the OID. */
export const ED25519_PRINTABLE_PARAMS = Buffer.from('130c656477617264733235353139', 'hex');

function supports(mechs: MechanismView[], code: number, bits: number): boolean {
  const m = mechs.find((x) => x.code === code);
  if (!m) return false;
  // Tokens report 0/0 when the size does not apply; otherwise the range must hold our size.
  if (m.minKeySize === 0 && m.maxKeySize === 0) return true;
  return m.minKeySize <= bits && bits <= m.maxKeySize;
}

/** Offered only where the token lists both the generation and the signing mechanism. */
export function algorithmsFor(mechs: MechanismView[]): KeyAlgorithm[] {
  return (Object.keys(ALGORITHMS) as KeyAlgorithm[]).filter((alg) => {
    const a = ALGORITHMS[alg];
    // Ed25519's size is reported as 255 or 256 depending on the module; accept either.
    const bits = alg === 'ed25519' ? [255, 256] : [a.bits];
    return bits.some((b) => supports(mechs, a.genMechanism, b)) && mechs.some((m) => m.code === a.signMechanism);
  });
}

export function algorithmFromEcParams(params: Buffer): KeyAlgorithm | undefined {
  if (params.equals(ED25519_PRINTABLE_PARAMS)) return 'ed25519';
  return (Object.keys(ALGORITHMS) as KeyAlgorithm[]).find((alg) => ALGORITHMS[alg].ecParams?.equals(params));
}
