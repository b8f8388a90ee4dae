import { constants, createHash, createPublicKey, publicEncrypt } from 'node:crypto';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { isKeyriteError, KeyriteError } from '../util/errors';
import { shareError } from './errors';
import { fromBase64, isBase64, isHex, toBase64, toHex } from './bytes';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';

/**
 * A share encrypted to a custodian's own token key: RSA-OAEP (SHA-256, MGF1-SHA-256) in software to
 * their RSA public key; only their card or HSM and PIN open it (token.decrypt). File: JSON
 * `{ format: "keyrite.share.token", version: 1, recipient: { spkiSha256, keyId?, keyLabel? }, ciphertext }`.
 */
export interface TokenShareFile {
  format: 'keyrite.share.token';
  version: 1;
  recipient: { spkiSha256: string; keyId?: string; keyLabel?: string };
  ciphertext: string;
}

export function encryptShareToTokenKey(e: ShareEnvelope, recipientSpki: Uint8Array, recipient: { keyId?: string; keyLabel?: string } = {}): string {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(recipientSpki), format: 'der', type: 'spki' });
  } catch {
    throw shareError('SHARE_PARAMS_INVALID', 'The custodian\'s public key is not a valid SPKI.', 'Export the RSA public key from the custodian\'s token again.');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw shareError('SHARE_PARAMS_INVALID', `The custodian's key is ${key.asymmetricKeyType ?? 'unknown'}; shares are encrypted to RSA keys (RSA-OAEP).`, 'Use an RSA key on the custodian\'s token.');
  }
  const plain = encodeEnvelope(e);
  try {
    const ct = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plain);
    const file: TokenShareFile = {
      format: 'keyrite.share.token',
      version: 1,
      recipient: { spkiSha256: createHash('sha256').update(recipientSpki).digest('hex'), ...recipient },
      ciphertext: toBase64(new Uint8Array(ct)),
    };
    return JSON.stringify(file, null, 2) + '\n';
  } finally {
    plain.fill(0);
  }
}

const BAD_FILE = 'Use the share file exactly as it was handed out.';

export function parseTokenShareFile(text: string): TokenShareFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw shareError('SHARE_TOKEN_FILE_FORMAT', 'This token share file is not valid JSON.', BAD_FILE);
  }
  const o = v as Partial<TokenShareFile> | null;
  if (!o || typeof o !== 'object' || o.format !== 'keyrite.share.token' || o.version !== 1 || typeof o.ciphertext !== 'string' || !isBase64(o.ciphertext)
    || typeof o.recipient !== 'object' || o.recipient === null || typeof o.recipient.spkiSha256 !== 'string' || !isHex(o.recipient.spkiSha256, 32)) {
    throw shareError('SHARE_TOKEN_FILE_FORMAT', 'This is not a Keyrite token share file (format keyrite.share.token, version 1).', BAD_FILE);
  }
  return o as TokenShareFile;
}

export function isTokenShareFile(text: string): boolean {
  return text.includes('"keyrite.share.token"');
}

/** Opens a token share with the custodian's key on their (logged-in) token. */
export async function openTokenShare(token: TokenApi, session: SessionId, key: KeyRef, fileText: string): Promise<ShareEnvelope> {
  const file = parseTokenShareFile(fileText);
  const spki = await token.exportPublicKey(session, key);
  if (toHex(new Uint8Array(createHash('sha256').update(spki).digest())) !== file.recipient.spkiSha256) {
    throw shareError('SHARE_TOKEN_DECRYPT_FAILED', 'This share was encrypted to a different token key.', 'Use the token and key of the custodian named on the share.');
  }
  let plain: Uint8Array;
  try {
    plain = await token.decrypt(session, key, 'rsa-oaep-sha256', fromBase64(file.ciphertext));
  } catch (e) {
    // Bad ciphertext comes back as WRAPPED_KEY_INVALID; login, PIN and device errors pass through as they are.
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
  const { recipient } = parseTokenShareFile(fileText);
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
