/**
 * What one PKCS#11 implementation needs done differently in the wrap and unwrap calls, as measured
 * (docs/TOKEN.md, test/integration/vendors/). Found from the token's own CK_TOKEN_INFO, never from a
 * script or a flag, so the same ceremony code runs on every kind. Whether a ceremony may run on the
 * token at all is the capability check's business (capabilities.ts), not this file's.
 */
import { createPublicKey } from 'node:crypto';
import { KeyriteError } from '../../util/errors';
import { CKM_AES_KEY_WRAP_KWP } from '../pkcs11-names';
import { pkcs11, type Handle, type Template } from '../pkcs11js';
import type { KeyAlgorithm } from '../types';
import { ALGORITHMS } from './algorithms';
import type { AdapterContext } from './context';

/** NSS's vendor attribute (CKA_NSS_DB, NSS_VENDOR | 0x...DB00): the public value stored with a private key. */
export const CKA_NSS_DB = 0xd5a0db00;

export interface WrapQuirks {
  /** Which vendor's quirks these are, for messages; undefined for a token that follows PKCS#11. */
  vendor?: string;
  /** The mechanism that wraps and unwraps RFC 5649 (AES key wrap with padding) on this token. */
  wrapMechanism: number;
  /** The token does not know CKA_COPYABLE and fails an unwrap that asks it: it is left out (the proof then shows it absent). */
  noCopyable: boolean;
  /** Attributes the token wants in an unwrap template beyond PKCS#11's, for this key. */
  unwrapExtras(algorithm: KeyAlgorithm, publicKey: Uint8Array | undefined): Template;
}

const STANDARD: WrapQuirks = { wrapMechanism: pkcs11.CKM_AES_KEY_WRAP_PAD, noCopyable: false, unwrapExtras: () => [] };

/**
 * NSS softokn 3.87: its CKM_AES_KEY_WRAP_PAD is RFC 3394 with PKCS#7 padding, its
 * CKM_AES_KEY_WRAP_KWP is RFC 5649; an EC private key unwraps only with CKA_NSS_DB holding the
 * public point (CKR_TEMPLATE_INCOMPLETE without it); CKA_COPYABLE=FALSE fails with CKR_GENERAL_ERROR.
 */
const NSS_SOFTOKN: WrapQuirks = {
  vendor: 'NSS softokn',
  wrapMechanism: CKM_AES_KEY_WRAP_KWP,
  noCopyable: true,
  unwrapExtras(algorithm, publicKey) {
    if (ALGORITHMS[algorithm].keyType !== pkcs11.CKK_EC) return [];
    if (!publicKey) {
      throw new KeyriteError('UNWRAP_NEEDS_PUBLIC_KEY', 'NSS softokn unwraps an EC private key only when it is also given the public key.', {
        action: 'Pass the key\'s public key (the backup file records it).',
      });
    }
    const jwk = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    return [{ type: CKA_NSS_DB, value: point }];
  },
};

/** The quirks of the token in `slot`, by its manufacturer (as capabilities.ts's KNOWN_QUIRKS). */
export function wrapQuirks(ctx: AdapterContext, slot: Handle): WrapQuirks {
  const info = ctx.call('C_GetTokenInfo', () => ctx.p.C_GetTokenInfo(slot));
  return info.manufacturerID.startsWith('Mozilla Foundation') ? NSS_SOFTOKN : STANDARD;
}
