/**
 * Names and numbers from the PKCS#11 headers that pkcs11js does not export (EdDSA, added in
 * PKCS#11 3.0), and reverse lookups so messages and views say CKM_ECDSA rather than 4161.
 */
import { pkcs11 } from './pkcs11js';

export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;
export const CKK_EC_EDWARDS = 0x40;
/** RFC 5649 key wrap (PKCS#11 3.0); NSS softokn's CKM_AES_KEY_WRAP_PAD is another scheme (docs/TOKEN.md). */
export const CKM_AES_KEY_WRAP_KWP = 0x210b;

type Prefix = 'CKM_' | 'CKR_' | 'CKK_';

function reverse(prefix: Prefix, extra: Record<number, string> = {}): Map<number, string> {
  const map = new Map<number, string>();
  for (const [name, value] of Object.entries(pkcs11)) {
    // The first name wins: the headers list the canonical name before its aliases (CKK_EC / CKK_ECDSA).
    if (name.startsWith(prefix) && typeof value === 'number' && !map.has(value)) map.set(value, name);
  }
  for (const [code, name] of Object.entries(extra)) map.set(Number(code), name);
  return map;
}

const MECHANISMS = reverse('CKM_', { [pkcs11.CKM_EC_KEY_PAIR_GEN]: 'CKM_EC_KEY_PAIR_GEN', [CKM_EC_EDWARDS_KEY_PAIR_GEN]: 'CKM_EC_EDWARDS_KEY_PAIR_GEN', [CKM_EDDSA]: 'CKM_EDDSA', [CKM_AES_KEY_WRAP_KWP]: 'CKM_AES_KEY_WRAP_KWP' });
const RETURN_VALUES = reverse('CKR_');
const KEY_TYPES = reverse('CKK_', { [CKK_EC_EDWARDS]: 'CKK_EC_EDWARDS', [pkcs11.CKK_EC]: 'CKK_EC' });

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

export function mechanismName(code: number): string {
  return MECHANISMS.get(code) ?? `CKM_${hex(code)}`;
}

export function mechanismCode(name: string): number | undefined {
  for (const [code, n] of MECHANISMS) if (n === name) return code;
  return undefined;
}

export function ckrName(code: number): string {
  return RETURN_VALUES.get(code) ?? `CKR_${hex(code)}`;
}

export function ckrCode(name: string): number | undefined {
  const v = (pkcs11 as unknown as Record<string, unknown>)[name];
  return typeof v === 'number' && name.startsWith('CKR_') ? v : undefined;
}

export function keyTypeName(code: number): string {
  return KEY_TYPES.get(code) ?? `CKK_${hex(code)}`;
}

const MECHANISM_FLAGS: [number, string][] = [
  [pkcs11.CKF_HW, 'HW'], [pkcs11.CKF_ENCRYPT, 'ENCRYPT'], [pkcs11.CKF_DECRYPT, 'DECRYPT'], [pkcs11.CKF_DIGEST, 'DIGEST'],
  [pkcs11.CKF_SIGN, 'SIGN'], [pkcs11.CKF_SIGN_RECOVER, 'SIGN_RECOVER'], [pkcs11.CKF_VERIFY, 'VERIFY'],
  [pkcs11.CKF_VERIFY_RECOVER, 'VERIFY_RECOVER'], [pkcs11.CKF_GENERATE, 'GENERATE'], [pkcs11.CKF_GENERATE_KEY_PAIR, 'GENERATE_KEY_PAIR'],
  [pkcs11.CKF_WRAP, 'WRAP'], [pkcs11.CKF_UNWRAP, 'UNWRAP'], [pkcs11.CKF_DERIVE, 'DERIVE'],
];

export function mechanismFlagNames(flags: number): string[] {
  return MECHANISM_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}
