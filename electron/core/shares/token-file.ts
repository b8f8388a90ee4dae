import { encryptToP256Tag, isP256TagAgeFile, isP256TagRecipient, openP256TagOnToken, p256Compressed } from './age-p256tag';
import { constants, createHash, createPublicKey, publicEncrypt } from 'node:crypto';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { isKeyriteError, KeyriteError } from '../util/errors';
import { shareError } from './errors';
import { fromBase64, isBase64, isHex, toBase64, toHex } from './bytes';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';
import { BAD_FILE, encryptEcdh, openEcdh, TOKEN_SHARE_ECDH_SCHEME, type TokenShareFileV2 } from './token-file-ecdh';

export { TOKEN_SHARE_ECDH_SCHEME, type TokenShareFileV2 } from './token-file-ecdh';

/**
 * A share encrypted to a custodian's own token key, in software to their public key; only their
 * card or HSM and PIN open it. Two forms, by the key's type:
 *
 * - version 1, RSA: RSA-OAEP (SHA-256, MGF1-SHA-256) of the share (token.decrypt).
 *   `{ format: "keyrite.share.token", version: 1, recipient: { spkiSha256, keyId?, keyLabel? }, ciphertext }`
 * - version 2, EC (P-256, P-384, P-521): ECDH with a fresh ephemeral key (Z agreed on the token by
 *   token.deriveSharedSecret), HKDF-SHA256 (no salt; info = TOKEN_SHARE_INFO || ephemeral point ||
 *   recipient SPKI SHA-256) to a 256-bit key, AES-256-GCM with the same bytes as additional data.
 *   `{ format, version: 2, scheme: "ecdh-hkdf-sha256-aes256gcm", recipient, ephemeralPublicKey, nonce, ciphertext }`
 *   (base64; the point uncompressed; the ciphertext ends with the 16-byte tag). Smart cards that
 *   cannot do RSA-OAEP (OpenPGP cards, many PIV applets) all do ECDH.
 */
export interface TokenShareFileV1 {
  format: 'keyrite.share.token';
  version: 1;
  recipient: { spkiSha256: string; keyId?: string; keyLabel?: string };
  ciphertext: string;
}

/** A share for an EC P-256 card: a standard age file with one p256tag stanza (age-p256tag.ts). */
export interface TokenShareFileAge {
  format: 'age-p256tag';
  version: 3;
  armored: string;
}

export type TokenShareFile = TokenShareFileV1 | TokenShareFileV2 | TokenShareFileAge;

export function encryptShareToTokenKey(e: ShareEnvelope, recipientSpki: Uint8Array, recipient: { keyId?: string; keyLabel?: string } = {}): string {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(recipientSpki), format: 'der', type: 'spki' });
  } catch {
    throw shareError('SHARE_PARAMS_INVALID', 'The custodian\'s public key is not a valid SPKI.', 'Export the public key from the custodian\'s token again.');
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw shareError('SHARE_PARAMS_INVALID', `The custodian's key is ${key.asymmetricKeyType ?? 'unknown'}; shares are encrypted to RSA keys (RSA-OAEP) or EC keys (ECDH).`, 'Use an RSA or EC key on the custodian\'s token.');
  }
  const who = { spkiSha256: createHash('sha256').update(recipientSpki).digest('hex'), ...recipient };
  const plain = encodeEnvelope(e);
  try {
    if (key.asymmetricKeyType === 'ec') return JSON.stringify(encryptEcdh(plain, key, who), null, 2) + '\n';
    const ct = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plain);
    const file: TokenShareFileV1 = { format: 'keyrite.share.token', version: 1, recipient: who, ciphertext: toBase64(new Uint8Array(ct)) };
    return JSON.stringify(file, null, 2) + '\n';
  } finally {
    plain.fill(0);
  }
}

/**
 * The share file for a custodian's card: an age file with a p256tag recipient for a P-256 key (a
 * format other tools read), else the RSA-OAEP (RSA) or ECDH (P-384, P-521) file above.
 */
export async function encryptShareForCard(e: ShareEnvelope, recipientSpki: Uint8Array, recipient: { keyId?: string; keyLabel?: string } = {}): Promise<string> {
  if (!p256Compressed(recipientSpki)) return encryptShareToTokenKey(e, recipientSpki, recipient);
  const plain = encodeEnvelope(e);
  try {
    return await encryptToP256Tag(plain, recipientSpki);
  } finally {
    plain.fill(0);
  }
}

export function parseTokenShareFile(text: string): TokenShareFile {
  if (isP256TagAgeFile(text)) return { format: 'age-p256tag', version: 3, armored: text };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw shareError('SHARE_TOKEN_FILE_FORMAT', 'This token share file is not valid JSON.', BAD_FILE);
  }
  const o = v as Partial<TokenShareFileV1> & Partial<Omit<TokenShareFileV2, 'version'>> | null;
  const common = !!o && typeof o === 'object' && o.format === 'keyrite.share.token' && typeof o.ciphertext === 'string' && isBase64(o.ciphertext)
    && typeof o.recipient === 'object' && o.recipient !== null && typeof o.recipient.spkiSha256 === 'string' && isHex(o.recipient.spkiSha256, 32);
  if (common && o.version === 1) return o as TokenShareFileV1;
  const v2 = o as Partial<TokenShareFileV2> | null;
  if (common && v2?.version === 2 && v2.scheme === TOKEN_SHARE_ECDH_SCHEME && typeof v2.ephemeralPublicKey === 'string' && isBase64(v2.ephemeralPublicKey)
    && typeof v2.nonce === 'string' && isBase64(v2.nonce) && fromBase64(v2.nonce).length === 12) {
    return v2 as TokenShareFileV2;
  }
  throw shareError('SHARE_TOKEN_FILE_FORMAT', 'This is not a Keyrite token share file (format keyrite.share.token, version 1 or 2).', BAD_FILE);
}

export function isTokenShareFile(text: string): boolean {
  return text.includes('"keyrite.share.token"') || isP256TagAgeFile(text);
}

/** Opens a token share with the custodian's key on their (logged-in) token. */
export async function openTokenShare(token: TokenApi, session: SessionId, key: KeyRef, fileText: string): Promise<ShareEnvelope> {
  const file = parseTokenShareFile(fileText);
  const spki = await token.exportPublicKey(session, key);
  const mine = file.version === 3 ? isP256TagRecipient(spki, file.armored) : toHex(new Uint8Array(createHash('sha256').update(spki).digest())) === file.recipient.spkiSha256;
  if (!mine) {
    throw shareError('SHARE_TOKEN_DECRYPT_FAILED', 'This share was encrypted to a different token key.', 'Use the token and key of the custodian named on the share.');
  }
  let plain: Uint8Array;
  try {
    plain = file.version === 3 ? await openP256TagOnToken(token, session, key, file.armored)
      : file.version === 2 ? await openEcdh(token, session, key, file) : await token.decrypt(session, key, 'rsa-oaep-sha256', fromBase64(file.ciphertext));
  } catch (e) {
    // Bad ciphertext comes back as WRAPPED_KEY_INVALID (or, from the age library, as a plain Error:
    // a failed AEAD, a file age refuses); login, PIN and device errors pass through as they are.
    if (isKeyriteError(e) && e.code !== 'WRAPPED_KEY_INVALID') throw e;
    throw shareError('SHARE_TOKEN_DECRYPT_FAILED', 'The token could not decrypt this share.', 'Check the custodian\'s token and key, and that the file is intact.');
  }
  try {
    return decodeEnvelope(plain);
  } finally {
    plain.fill(0);
  }
}

/** The private key on a logged-in token whose public half a token share file was encrypted to. */
export async function findRecipientKey(token: TokenApi, session: SessionId, fileText: string): Promise<KeyRef> {
  const file = parseTokenShareFile(fileText);
  if (file.version === 3) {
    for (const key of await token.findKeys(session, { class: 'private' })) {
      const spki = await token.exportPublicKey(session, key).catch(() => null);
      if (spki && isP256TagRecipient(spki, file.armored)) return key;
    }
    throw new KeyriteError('KEY_NOT_FOUND', 'No P-256 key on the chosen token is the one this share (an age file, p256tag) was encrypted to.', {
      action: 'Choose the token of the custodian named on the share, or check the share file is theirs.',
    });
  }
  const { recipient } = file;
  const keys = await token.findKeys(session, recipient.keyId ? { id: recipient.keyId, class: 'private' } : { class: 'private' });
  for (const key of keys) {
    const spki = await token.exportPublicKey(session, key).catch(() => null);
    if (spki && createHash('sha256').update(spki).digest('hex') === recipient.spkiSha256) return key;
  }
  const named = recipient.keyLabel ? ` "${recipient.keyLabel}"` : recipient.keyId ? ` with id ${recipient.keyId}` : '';
  throw new KeyriteError('KEY_NOT_FOUND', `The key${named} this share was encrypted to is not on the chosen token.`, {
    action: 'Choose the token of the custodian named on the share, or check the share file is theirs.',
  });
}

/** One login on the custodian's token (by serial), the share opened there, the session closed. */
export async function openTokenShareOnToken(token: TokenApi, tokenSerial: string, pin: string, fileText: string): Promise<ShareEnvelope> {
  parseTokenShareFile(fileText);
  const session = await token.openSession({ serial: tokenSerial }, { pin });
  try {
    return await openTokenShare(token, session, await findRecipientKey(token, session, fileText), fileText);
  } finally {
    await token.closeSession(session).catch(() => undefined);
  }
}
