/**
 * Note signers whose private key stays on a token: the transcript key (Ed25519, type 0x01) and
 * the new root key signing checkpoints as proof of possession (RSA/ECDSA: type keyrite.spki/v1).
 */
import { createPublicKey } from 'node:crypto';
import type { KeyAlgorithm, KeyRef, SessionId, SignatureScheme, TokenApi } from '../token/types';
import { KeyriteError } from '../util/errors';
import { ed25519FromSpki, parseVerifierKey, spkiDigest, verifierKeyFor, type NoteSigner } from './note-keys';

export interface TokenNoteSigner extends NoteSigner {
  verifierKey: string;
}

function schemeFor(algorithm: KeyAlgorithm, spki: Uint8Array): SignatureScheme {
  if (algorithm === 'ed25519') return 'ed25519';
  const digest = spkiDigest(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
  if (algorithm.startsWith('rsa-')) return 'rsa-pkcs1-sha256';
  return `ecdsa-${digest}` as SignatureScheme;
}

/** Reads the key's public half from the token and returns a signer that signs on the token. */
export async function tokenNoteSigner(token: TokenApi, session: SessionId, key: KeyRef, algorithm: KeyAlgorithm, name: string): Promise<TokenNoteSigner> {
  const spki = await token.exportPublicKey(session, key);
  let verifierKey: string;
  try {
    verifierKey = algorithm === 'ed25519' ? verifierKeyFor(name, 'ed25519', ed25519FromSpki(spki)) : verifierKeyFor(name, 'keyrite.spki/v1', spki);
  } catch (e) {
    throw new KeyriteError('NOTE_TOKEN_KEY_UNSUITABLE', `Key "${key.label}" (${algorithm}) cannot sign transcript checkpoints: ${(e as Error).message}`, {
      action: 'Use an Ed25519, ECDSA (P-256/384/521) or RSA (2048 bits or more) key.',
      cause: e,
    });
  }
  const scheme = schemeFor(algorithm, spki);
  const { keyHash } = parseVerifierKey(verifierKey);
  return { name, keyHash, verifierKey, sign: (msg) => token.sign(session, key, scheme, msg) };
}
