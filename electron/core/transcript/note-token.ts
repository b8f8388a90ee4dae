/**
 * Note signers whose private key stays on a token: the transcript key (Ed25519, type 0x01) and
 * the root key signing checkpoints as proof of possession (ECDSA: type 0x02, signed-note's own;
 * RSA: type 0xff keyrite.spki/v1, as no type is assigned to RSA). A witness's Ed25519 key on a card
 * cosigns as tlog-cosignature/v1 (0x04) when the script records it so.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyAlgorithm, KeyRef, SessionId, SignatureScheme, TokenApi } from '../token/types';
import { KeyriteError } from '../util/errors';
import { cosignatureSigner, ed25519FromSpki, parseVerifierKey, spkiDigest, verifierKeyFor, type NoteKeyType, type NoteSigner, type NoteVerifier } from './note-keys';

export interface TokenNoteSigner extends NoteSigner {
  verifierKey: string;
}

function schemeFor(algorithm: KeyAlgorithm, spki: Uint8Array, type: NoteKeyType): SignatureScheme {
  if (algorithm === 'ed25519') return 'ed25519';
  if (algorithm.startsWith('rsa-')) return 'rsa-pkcs1-sha256';
  // 0x02 hashes with SHA-256 on every curve; the legacy 0xff type with the curve's own hash.
  return type === 'ecdsa' ? 'ecdsa-sha256' : `ecdsa-${spkiDigest(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }))}`;
}

/**
 * The note name of a root (or any ceremony) key: the same in every ceremony of that key, so its key
 * id is too (transcripts before this named it keyrite.key/<ceremony id>/<label>; they still verify).
 */
export function rootNoteName(label: string): string {
  return `keyrite.root/${label.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Reads the key's public half from the token and returns a signer that signs on the token. */
/** The type a key signs notes with unless a recorded key says otherwise: 0x01, 0x02 or 0xff. */
export function defaultNoteType(algorithm: KeyAlgorithm): NoteKeyType {
  if (algorithm === 'ed25519') return 'ed25519';
  return algorithm.startsWith('ec-') ? 'ecdsa' : 'keyrite.spki/v1';
}

/**
 * Reads the key's public half from the token and returns a signer that signs on the token. `type`
 * follows a recorded verifier key: an ECDSA key recorded as keyrite.spki/v1 (before 0x02) signs
 * that way, an Ed25519 key recorded as cosignature/v1 cosigns with timestamps.
 */
export async function tokenNoteSigner(token: TokenApi, session: SessionId, key: KeyRef, algorithm: KeyAlgorithm, name: string, type: NoteKeyType = defaultNoteType(algorithm)): Promise<TokenNoteSigner> {
  if (algorithm === 'ed25519' && type === 'cosignature/v1') return tokenCosigner(token, session, key, name);
  const spki = await token.exportPublicKey(session, key);
  let verifier: NoteVerifier;
  try {
    // Parsing the key text checks the key is one its type accepts (P-256/384/521, RSA >= 2048).
    verifier = parseVerifierKey(algorithm === 'ed25519' ? verifierKeyFor(name, 'ed25519', ed25519FromSpki(spki)) : verifierKeyFor(name, type === 'ecdsa' && algorithm.startsWith('ec-') ? 'ecdsa' : 'keyrite.spki/v1', spki));
  } catch (e) {
    throw new KeyriteError('NOTE_TOKEN_KEY_UNSUITABLE', `Key "${key.label}" (${algorithm}) cannot sign transcript checkpoints: ${(e as Error).message}`, {
      action: 'Use an Ed25519, ECDSA (P-256/384/521) or RSA (2048 bits or more) key.',
      cause: e,
    });
  }
  const scheme = schemeFor(algorithm, spki, verifier.type);
  return { name, keyHash: verifier.keyHash, verifierKey: verifier.key, sign: (msg) => token.sign(session, key, scheme, msg) };
}

/** A witness's Ed25519 key on their token, cosigning as tlog-cosignature/v1 (0x04, timestamped). */
export async function tokenCosigner(token: TokenApi, session: SessionId, key: KeyRef, name: string): Promise<TokenNoteSigner> {
  const spki = await token.exportPublicKey(session, key);
  const s = cosignatureSigner(name, ed25519FromSpki(spki), (m) => token.sign(session, key, 'ed25519', m));
  return { ...s, verifierKey: s.verifierKey as string };
}
