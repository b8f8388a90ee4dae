/**
 * Can this token carry out this ceremony? Decided from the token's mechanism list and flags, and
 * from what was measured of its implementation (KNOWN_QUIRKS), before any step runs: a ceremony
 * that would fail half-way (a key made but no backup possible, a key whose origin cannot be shown)
 * is refused at the start, naming what is missing. A plain function: the CLI run calls it, and so
 * can the app's pre-flight.
 */
import { KeyriteError } from '../util/errors';
import type { KeyAlgorithm, TokenView } from './types';

/**
 * By name, as the token host reports them: this file runs in the caller's process, where the
 * native pkcs11js module must never load (see index.ts).
 */
const MECHANISMS: Record<KeyAlgorithm, { generate: string; sign: string }> = {
  'rsa-3072': { generate: 'CKM_RSA_PKCS_KEY_PAIR_GEN', sign: 'CKM_RSA_PKCS' },
  'rsa-4096': { generate: 'CKM_RSA_PKCS_KEY_PAIR_GEN', sign: 'CKM_RSA_PKCS' },
  'ec-p256': { generate: 'CKM_EC_KEY_PAIR_GEN', sign: 'CKM_ECDSA' },
  'ec-p384': { generate: 'CKM_EC_KEY_PAIR_GEN', sign: 'CKM_ECDSA' },
  'ec-p521': { generate: 'CKM_EC_KEY_PAIR_GEN', sign: 'CKM_ECDSA' },
  ed25519: { generate: 'CKM_EC_EDWARDS_KEY_PAIR_GEN', sign: 'CKM_EDDSA' },
};

/** What a ceremony asks of its token: taken from the script (see ceremonyNeeds). */
export interface CeremonyNeeds {
  /** Key pairs made on the token, by algorithm. */
  generates: KeyAlgorithm[];
  /** Keys the token signs with (generated, recovered or already there). */
  signsWith: KeyAlgorithm[];
  /** A backup: an AES key made on the token wraps the private key (CKM_AES_KEY_WRAP_PAD). */
  wraps: boolean;
  /**
   * A recovery: the algorithm of the private key unwrapped into the token with an imported AES key
   * (RFC 5649 under the token's own name for it, and its vendor attributes: adapter/vendor-quirks.ts).
   */
  unwraps?: KeyAlgorithm;
}

export interface CapabilityGap {
  /** A CKM_ name, a CKA_ name or a token flag. */
  missing: string;
  /** What it is needed for, and what the token did instead, in words. */
  reason: string;
}

/** A measured shortfall, and the key algorithms it applies to (all when absent). */
interface QuirkGap extends CapabilityGap {
  algorithms?: KeyAlgorithm[];
}

/**
 * Measured on each implementation (docs/TOKEN.md, test/integration/vendors/); keyed by
 * CK_TOKEN_INFO manufacturerID prefix. Only what the mechanism list cannot tell: attributes refused
 * or reported wrongly, and guarantees the token does not enforce.
 * - `lockGaps`: the ceremony's key must end locked in the token (it generates or restores one).
 * - `generationGaps`: it generates a key pair.
 * - `unwrapGaps`: it restores a key from a backup.
 */
export const KNOWN_QUIRKS: readonly { manufacturer: string; product: string; lockGaps: QuirkGap[]; generationGaps: QuirkGap[]; unwrapGaps: QuirkGap[] }[] = [
  {
    manufacturer: 'Mozilla Foundation',
    product: 'NSS softokn',
    lockGaps: [
      { missing: 'CKA_EXTRACTABLE', reason: 'NSS softokn does not enforce CKA_EXTRACTABLE=FALSE: its C_WrapKey wraps such a private key anyway (measured: a key generated non-extractable, locked or restored came out and decrypted to its PKCS#8), and C_CopyObject with CKA_EXTRACTABLE=TRUE turns the key itself extractable, so no key on it can be kept from leaving the token' },
    ],
    generationGaps: [
      { missing: 'CKA_LOCAL', reason: 'NSS softokn reports CKA_LOCAL FALSE on key pairs it generated itself, so the transcript cannot prove the key was born on the token' },
      { missing: 'CKA_COPYABLE', reason: 'NSS softokn refuses CKA_COPYABLE=FALSE at generation (CKR_GENERAL_ERROR) and does not know the attribute (CKR_ATTRIBUTE_TYPE_INVALID), so the key cannot be made final' },
    ],
    unwrapGaps: [
      { missing: 'CKA_COPYABLE', reason: 'NSS softokn does not know CKA_COPYABLE (CKR_ATTRIBUTE_TYPE_INVALID; FALSE in an unwrap template fails with CKR_GENERAL_ERROR), and a copy of a non-extractable key can be made extractable (above), so the policy\'s notCopyable cannot be met or stood in for' },
    ],
  },
];

function has(token: TokenView, name: string): boolean {
  return token.mechanisms.some((m) => m.name === name);
}

/** Every way `token` falls short of `needs`; empty means the ceremony may start on it. */
export function capabilityGaps(needs: CeremonyNeeds, token: TokenView): CapabilityGap[] {
  const gaps: CapabilityGap[] = [];
  const add = (missing: string, reason: string) => {
    if (!gaps.some((g) => g.missing === missing)) gaps.push({ missing, reason });
  };
  if (!token.flags.tokenInitialized) add('CKF_TOKEN_INITIALIZED', 'the token is not initialised');
  if (!token.flags.userPinInitialized) add('CKF_USER_PIN_INITIALIZED', 'the token has no user PIN, so no one can log in to it');
  if (token.flags.writeProtected) add('CKF_WRITE_PROTECTED', 'the token is write-protected: no key can be stored on it');
  for (const alg of needs.generates) {
    if (!token.algorithms.includes(alg)) add(MECHANISMS[alg].generate, `to generate the ${alg} key (the token does not list it for that key size)`);
  }
  for (const alg of needs.signsWith) {
    if (!has(token, MECHANISMS[alg].sign)) add(MECHANISMS[alg].sign, `to sign with the ${alg} key`);
  }
  if (needs.wraps) {
    if (!has(token, 'CKM_AES_KEY_GEN')) add('CKM_AES_KEY_GEN', 'to make the AES-256 key the backup is wrapped with');
    if (!has(token, 'CKM_AES_KEY_WRAP_PAD')) add('CKM_AES_KEY_WRAP_PAD', 'to wrap the private key for its backup (RFC 5649)');
  }
  if (needs.unwraps !== undefined && !has(token, 'CKM_AES_KEY_WRAP_PAD')) add('CKM_AES_KEY_WRAP_PAD', 'to unwrap the private key from its backup (RFC 5649)');
  const applies = (g: QuirkGap, algs: KeyAlgorithm[]) => algs.some((a) => (g.algorithms ?? [a]).includes(a));
  const restored = needs.unwraps !== undefined ? [needs.unwraps] : [];
  for (const q of KNOWN_QUIRKS.filter((k) => token.manufacturer.startsWith(k.manufacturer))) {
    for (const g of q.lockGaps) if (applies(g, [...needs.generates, ...restored])) add(g.missing, g.reason);
    for (const g of q.generationGaps) if (applies(g, needs.generates)) add(g.missing, g.reason);
    for (const g of q.unwrapGaps) if (applies(g, restored)) add(g.missing, g.reason);
  }
  return gaps;
}

/** Refuses with TOKEN_CAPABILITY_MISSING, naming each gap, when the token cannot do the ceremony. */
export function assertTokenCapable(needs: CeremonyNeeds, token: TokenView): void {
  const gaps = capabilityGaps(needs, token);
  if (gaps.length === 0) return;
  const lines = gaps.map((g) => `  ${g.missing}: ${g.reason}`).join('\n');
  throw new KeyriteError('TOKEN_CAPABILITY_MISSING', `Token "${token.label}" (${token.manufacturer} ${token.model}) cannot carry out this ceremony:\n${lines}`, {
    action: 'Use a token that has what is listed (docs/TOKEN.md says what each tested implementation can do), or change the script. Nothing was done on the token.',
    details: { token: { label: token.label, serial: token.serial, manufacturer: token.manufacturer, model: token.model }, gaps },
  });
}
