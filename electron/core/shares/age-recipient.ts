/**
 * A share as an age file to the custodian's own age recipient: X25519 (`age1...`) or the hybrid
 * post-quantum ML-KEM-768 + X25519 type (`age1pq1...`, stanza `mlkem768x25519`, age v1.3), both made
 * by age-encryption. The custodian keeps the identity (`AGE-SECRET-KEY-1...` or
 * `AGE-SECRET-KEY-PQ-1...`); nothing secret of theirs enters the room. Any age tool that knows the
 * type opens the file: `age -d -i identity.txt share.age > envelope.bin`.
 */
import { armor, Decrypter, Encrypter, type Identity, type Recipient, type Stanza } from 'age-encryption';
import { bech32 } from '@scure/base';
import { shareError } from './errors';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';

export const AGE_RECIPIENT_KINDS = ['x25519', 'mlkem768x25519'] as const;
export type AgeRecipientKind = (typeof AGE_RECIPIENT_KINDS)[number];

/** The header stanza type each recipient kind writes (age spec; c2sp.org/age). */
const STANZA_TYPE: Record<AgeRecipientKind, string> = { x25519: 'X25519', mlkem768x25519: 'mlkem768x25519' };
/** Recipient string prefix and public-key length of each kind. */
const FORMAT: Record<AgeRecipientKind, { hrp: string; bytes: number }> = { x25519: { hrp: 'age', bytes: 32 }, mlkem768x25519: { hrp: 'age1pq', bytes: 1216 } };

export function isPostQuantum(kind: AgeRecipientKind): boolean {
  return kind === 'mlkem768x25519';
}

export function describeRecipientKind(kind: AgeRecipientKind): string {
  return isPostQuantum(kind) ? 'post-quantum hybrid (ML-KEM-768 + X25519)' : 'X25519';
}

/** The kind of an age recipient string, or a sentence saying why it is not one Keyrite delivers to. */
export function parseAgeRecipient(text: string): { kind: AgeRecipientKind } | { problem: string } {
  const s = text.trim();
  if (!s.toLowerCase().startsWith('age1')) return { problem: 'expected an age recipient (age1... or age1pq1...), as age-keygen -y or age-encryption\'s identityToRecipient prints it' };
  if (s !== s.toLowerCase()) return { problem: 'an age recipient is written in lower case' };
  if (s.startsWith('age1tag')) return { problem: 'a tag recipient (age1tag...) is a hardware key: use delivery token with the card\'s public key instead' };
  const kind: AgeRecipientKind = s.startsWith('age1pq1') ? 'mlkem768x25519' : 'x25519';
  let decoded: { prefix: string; bytes: Uint8Array };
  try {
    const d = bech32.decode(s as `${string}1${string}`, false);
    decoded = { prefix: d.prefix, bytes: bech32.fromWords(d.words) };
  } catch {
    return { problem: 'this age recipient is damaged (its bech32 checksum does not match): copy it again from the custodian' };
  }
  const f = FORMAT[kind];
  if (decoded.prefix !== f.hrp || decoded.bytes.length !== f.bytes) {
    return { problem: `unknown age recipient type "${decoded.prefix}1...": Keyrite delivers to X25519 (age1...) and post-quantum (age1pq1...) recipients` };
  }
  return { kind };
}

function recipientKind(recipient: string): AgeRecipientKind {
  const r = parseAgeRecipient(recipient);
  if ('problem' in r) throw shareError('SHARE_AGE_RECIPIENT_TYPE', `The recipient is not usable: ${r.problem}.`, 'Ask the custodian for their age recipient again (age-keygen -y on their identity file).');
  return r.kind;
}

/** Catches the file key as the library's own recipient wraps it, so Keyrite can open its own file once, without the identity. */
class KeyCatcher implements Recipient {
  fileKey: Uint8Array | undefined;
  constructor(private readonly inner: Recipient) {}
  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    this.fileKey = fileKey.slice();
    return this.inner.wrapFileKey(fileKey);
  }
}

/** age-encryption's own recipient object for a string (its classes are not exported: the Encrypter builds them). */
function libraryRecipient(recipient: string): Recipient {
  const probe = new Encrypter();
  probe.addRecipient(recipient);
  // A change of this in age-encryption fails every test that makes a recipient share at once.
  return (probe as unknown as { recipients: Recipient[] }).recipients[0]!;
}

export interface SealedToRecipient {
  /** The armored age file. */
  text: string;
  kind: AgeRecipientKind;
  /**
   * Opens the file just made with its file key (header MAC, payload and envelope checked), as a
   * check that the written file holds the share; the key is wiped after. Once only.
   */
  selfCheck: (file: string) => Promise<ShareEnvelope>;
}

/** Encrypts a share envelope to a custodian's age recipient (ASCII armor, one stanza). */
export async function encryptShareToRecipient(e: ShareEnvelope, recipient: string): Promise<SealedToRecipient> {
  const kind = recipientKind(recipient);
  const catcher = new KeyCatcher(libraryRecipient(recipient.trim()));
  const enc = new Encrypter();
  enc.addRecipient(catcher);
  const plain = encodeEnvelope(e);
  let text: string;
  try {
    text = armor.encode(await enc.encrypt(plain));
  } finally {
    plain.fill(0);
  }
  const selfCheck = async (file: string): Promise<ShareEnvelope> => {
    const key = catcher.fileKey;
    catcher.fileKey = undefined;
    if (!key) throw new Error('the file key was already used');
    const known: Identity = { unwrapFileKey: (stanzas) => (stanzas.length === 1 && stanzas[0]?.args[0] === STANZA_TYPE[kind] ? key.slice() : null) };
    try {
      return await openWith(file, [known], kind);
    } finally {
      key.fill(0);
    }
  };
  return { text, kind, selfCheck };
}

function toBinary(file: string | Uint8Array): Uint8Array {
  try {
    // armor.decode ignores space and blank lines around the armor and takes CR LF (as the age spec allows).
    return typeof file === 'string' ? armor.decode(file) : file;
  } catch {
    throw shareError('SHARE_AGE_FORMAT', 'This is not a readable age file (the armor is damaged).', 'Use the .age file exactly as it was handed out.');
  }
}

/** The stanza types in an age file's header (e.g. `X25519`, `mlkem768x25519`, `scrypt`), in order. */
export function ageStanzaTypes(file: string | Uint8Array): string[] {
  const bin = toBinary(file);
  const head = Buffer.from(bin.subarray(0, Math.min(bin.length, 64 * 1024))).toString('latin1');
  const lines = head.split('\n');
  if (lines.shift() !== 'age-encryption.org/v1') throw shareError('SHARE_AGE_FORMAT', 'This is not an age file (no age-encryption.org/v1 header).', 'Use the .age file exactly as it was handed out.');
  const types: string[] = [];
  for (const line of lines) {
    if (line.startsWith('---')) return types;
    if (line.startsWith('-> ')) types.push(line.slice(3).split(' ')[0] ?? '');
  }
  throw shareError('SHARE_AGE_FORMAT', 'This age file\'s header is cut short.', 'Use the .age file exactly as it was handed out.');
}

/** Which recipient kind an age file was made for; undefined when it is a passphrase, card or other age file. */
export function ageFileRecipientKind(file: string | Uint8Array): AgeRecipientKind | undefined {
  const types = ageStanzaTypes(file);
  return AGE_RECIPIENT_KINDS.find((k) => types.length > 0 && types.every((t) => t === STANZA_TYPE[k]));
}

/** True for an age file (armored text, or binary) to an X25519 or post-quantum recipient; false for anything else, unreadable included. */
export function isAgeRecipientFile(file: string | Uint8Array): boolean {
  try {
    return ageFileRecipientKind(file) !== undefined;
  } catch {
    return false;
  }
}

/** The kind of an identity line (trimmed by the caller). */
function identityKind(s: string): AgeRecipientKind {
  if (s.startsWith('AGE-SECRET-KEY-PQ-1')) return 'mlkem768x25519';
  if (s.startsWith('AGE-SECRET-KEY-1')) return 'x25519';
  throw shareError('SHARE_AGE_IDENTITY', 'This is not an age identity (AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1...).', 'Give the custodian\'s identity file (the one age-keygen wrote), not their recipient.');
}

/** The identity lines of an identity file (age-keygen's format: comments start with #). */
export function identitiesFromText(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

async function openWith(file: string | Uint8Array, identities: readonly (Identity | string)[], kind: AgeRecipientKind): Promise<ShareEnvelope> {
  const dec = new Decrypter();
  for (const id of identities) {
    try {
      dec.addIdentity(id);
    } catch {
      throw shareError('SHARE_AGE_IDENTITY', 'The identity is damaged (its bech32 checksum or length is wrong).', 'Give the custodian\'s identity file exactly as age-keygen wrote it.');
    }
  }
  let plain: Uint8Array;
  try {
    plain = await dec.decrypt(toBinary(file));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (reason.startsWith('no identity matched')) {
      throw shareError('SHARE_AGE_IDENTITY', `This identity does not open this share: it was made for another ${describeRecipientKind(kind)} recipient.`, 'Use the identity of the custodian named on the file (age-keygen -y on it must print the recipient in the script).');
    }
    throw shareError('SHARE_AGE_FORMAT', `This age file cannot be read (damaged or altered: ${reason}).`, 'Use the .age file exactly as it was handed out.');
  }
  try {
    return decodeEnvelope(plain);
  } finally {
    plain.fill(0);
  }
}

/** Opens a share made for an age recipient with the custodian's identity (or identities, from one identity file). */
export async function decryptRecipientShare(file: string | Uint8Array, identity: string | readonly string[]): Promise<ShareEnvelope> {
  const types = ageStanzaTypes(file);
  const kind = ageFileRecipientKind(file);
  if (!kind) {
    throw shareError('SHARE_AGE_RECIPIENT_TYPE', `This age file was made for ${types.map((t) => `"${t}"`).join(', ') || 'no'} recipients, not for an X25519 or post-quantum (mlkem768x25519) age recipient.`,
      types.includes('scrypt') ? 'It is a passphrase share: give the custodian\'s passphrase instead of an identity.' : 'Open it with the tool or card it was made for.');
  }
  const ids = typeof identity === 'string' ? identitiesFromText(identity) : identity.map((i) => i.trim());
  const kinds = ids.map(identityKind);
  if (!kinds.includes(kind)) {
    throw shareError('SHARE_AGE_IDENTITY', `This share was made for a ${describeRecipientKind(kind)} recipient, but the identity given is ${kinds.length === 0 ? 'empty' : `a ${describeRecipientKind(kinds[0]!)} one`}.`,
      `Give the custodian's ${isPostQuantum(kind) ? 'AGE-SECRET-KEY-PQ-1...' : 'AGE-SECRET-KEY-1...'} identity.`);
  }
  return openWith(file, ids, kind);
}
