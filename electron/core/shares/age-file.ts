import { Decrypter, Encrypter, armor } from 'age-encryption';
import { shareError } from './errors';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';
import { DEFAULT_SCRYPT_LOG_N, MAX_LOG_N, NativeScryptIdentity, NativeScryptRecipient } from './age-scrypt';
import { isP256TagAgeFile } from './age-p256tag';
import { isAgeRecipientFile } from './age-recipient';

/**
 * A share as an age v1 file (scrypt passphrase recipient), ASCII-armored so it can be printed or
 * mailed on a USB stick as text. The plaintext is the 48-byte envelope. Any age tool opens it:
 * `age -d share.age > envelope.bin`.
 */
export async function encryptShareToPassphrase(e: ShareEnvelope, passphrase: string, opts: { scryptLogN?: number } = {}): Promise<string> {
  if (passphrase.length < 8) {
    throw shareError('SHARE_PARAMS_INVALID', 'The passphrase for an age share must be at least 8 characters.', 'Choose a longer passphrase.');
  }
  const logN = opts.scryptLogN ?? DEFAULT_SCRYPT_LOG_N;
  // A work factor every age reader accepts (a whole number, 1 to age's ceiling): a file above it would be refused by Keyrite and age alike.
  if (!Number.isInteger(logN) || logN < 1 || logN > MAX_LOG_N) {
    throw shareError('SHARE_PARAMS_INVALID', `The scrypt work factor for an age share must be a whole number from 1 to ${MAX_LOG_N} (got ${logN}).`, `Leave it at the default (${DEFAULT_SCRYPT_LOG_N}) or choose one within the range.`);
  }
  const enc = new Encrypter();
  enc.addRecipient(new NativeScryptRecipient(passphrase, logN));
  const plain = encodeEnvelope(e);
  try {
    return armor.encode(await enc.encrypt(plain));
  } finally {
    plain.fill(0);
  }
}

/**
 * A passphrase age share; an age file to an EC card's key (p256tag) is a token share instead, and one
 * to an age recipient (X25519, mlkem768x25519) opens with the custodian's identity (age-recipient.ts).
 */
export function isAgeArmored(text: string): boolean {
  return text.includes('-----BEGIN AGE ENCRYPTED FILE-----') && !isP256TagAgeFile(text) && !isAgeRecipientFile(text);
}

/** Opens an age share (armored text or binary) with the custodian's passphrase. */
export async function decryptAgeShare(file: string | Uint8Array, passphrase: string): Promise<ShareEnvelope> {
  let binary: Uint8Array;
  try {
    // armor.decode ignores space and blank lines around the armor and takes CR LF (as the age spec allows).
    binary = typeof file === 'string' ? armor.decode(file) : file;
  } catch {
    throw shareError('SHARE_AGE_FORMAT', 'This is not a readable age file (the armor is damaged).', 'Use the .age file exactly as it was handed out.');
  }
  if (isAgeRecipientFile(binary)) {
    throw shareError('SHARE_AGE_RECIPIENT_TYPE', 'This age share was made for the custodian\'s age recipient: it opens with their identity, not a passphrase.', 'Give the custodian\'s age identity file (keyrite recover --age-identity FILE).');
  }
  const dec = new Decrypter();
  dec.addIdentity(new NativeScryptIdentity(passphrase));
  let plain: Uint8Array;
  try {
    plain = await dec.decrypt(binary);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // Only "no stanza opened" is the passphrase's doing; a refused stanza, header MAC or payload is the file's (even with the right passphrase).
    if (reason.startsWith('no identity matched')) {
      throw shareError('SHARE_AGE_PASSPHRASE', 'The passphrase does not open this age share.', 'Ask the custodian to type their passphrase again.');
    }
    throw shareError('SHARE_AGE_FORMAT', `This age file cannot be read (damaged or altered: ${reason}).`, 'Use the .age file exactly as it was handed out.');
  }
  try {
    return decodeEnvelope(plain);
  } finally {
    plain.fill(0);
  }
}
