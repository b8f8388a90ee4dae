/**
 * The custodian token key a `token` share is encrypted to, as the script records it (PEM SPKI).
 * Checked at load so `keyrite ceremony check` and the load screen name the script line.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { toPgpWords } from '../util/pgp-words';

/** Share files to RSA keys are RSA-OAEP: anything smaller than this is refused as a recipient. */
export const MIN_RECIPIENT_RSA_BITS = 2048;
/** EC recipients (ECDH): the NIST curves cards offer. */
const RECIPIENT_EC_CURVES = ['P-256', 'P-384', 'P-521'];

interface RecipientLike {
  publicKey: string;
  keyLabel?: string | undefined;
  token?: { label?: string | undefined; serial?: string | undefined } | undefined;
}

function publicKeyOf(pem: string): KeyObject {
  return createPublicKey({ key: pem.trim() + '\n', format: 'pem', type: 'spki' });
}

/** Why this PEM cannot be a share recipient, or undefined when it can. */
export function recipientKeyProblem(pem: string): string | undefined {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) return 'expected a PEM public key (-----BEGIN PUBLIC KEY-----), as exported from the custodian\'s token';
  let key: KeyObject;
  try {
    key = publicKeyOf(pem);
  } catch {
    return 'this PEM public key cannot be read (damaged or not SubjectPublicKeyInfo)';
  }
  if (key.asymmetricKeyType === 'ec') {
    const crv = key.export({ format: 'jwk' }).crv ?? 'an unknown curve';
    return RECIPIENT_EC_CURVES.includes(crv) ? undefined : `the EC key is on ${crv}; share files are encrypted by ECDH on ${RECIPIENT_EC_CURVES.join(', ')} only`;
  }
  if (key.asymmetricKeyType !== 'rsa') return `the key is ${key.asymmetricKeyType ?? 'of an unknown type'}: share files are encrypted to RSA keys (RSA-OAEP) or EC keys on NIST curves (ECDH)`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RECIPIENT_RSA_BITS) return `the RSA key has ${bits} bits; at least ${MIN_RECIPIENT_RSA_BITS} are needed`;
  return undefined;
}

/** What the custodian compares with their token's key: its SPKI's SHA-256 (hex and PGP words), the names the script gives. */
export interface RecipientFacts {
  spkiSha256: string;
  words: string;
  keyLabel: string | null;
  tokenLabel: string | null;
  tokenSerial: string | null;
}

export interface Recipient {
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  facts: RecipientFacts;
}

/** The recipient's SPKI and the facts the custodian checks against their token (fingerprint as hex and PGP words). */
export function recipientOf(r: RecipientLike): Recipient {
  const spki = new Uint8Array(publicKeyOf(r.publicKey).export({ format: 'der', type: 'spki' }));
  const digest = createHash('sha256').update(spki).digest();
  return {
    spki,
    facts: {
      spkiSha256: digest.toString('hex'),
      words: toPgpWords(new Uint8Array(digest)).join(' '),
      keyLabel: r.keyLabel ?? null,
      tokenLabel: r.token?.label ?? null,
      tokenSerial: r.token?.serial ?? null,
    },
  };
}
