/**
 * C2SP signed-note: text ending in a newline, a blank line, then one or more lines
 * "— <key name> base64(<4-byte key id> || signature)". Key formats and signature types: note-keys.ts.
 */
import { KeyriteError } from '../util/errors';
import { hashHex, parseVerifierKey, strictBase64, type NoteSigner, type NoteVerifier } from './note-keys';

export * from './note-keys';

const DASH = '\u2014';
const MAX_SIGNATURES = 100;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface NoteSignature {
  name: string;
  keyHash: number;
  /** The signature without its key id. */
  sig: Uint8Array;
  /** The whole line, as written. */
  line: string;
}

export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

export interface OpenedNote {
  text: string;
  verified: { name: string; keyHash: number; verifier: NoteVerifier }[];
  /** Signatures from keys the caller does not know: ignored, not an error. */
  unverified: { name: string; keyHash: number }[];
}

function malformed(what: string): KeyriteError {
  return new KeyriteError('NOTE_MALFORMED', `The signed note is malformed: ${what}.`, {
    action: 'Use the note exactly as Keyrite wrote it; it may have been edited or damaged.',
  });
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('the text does not end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('it contains control characters');
}

/** Splits a note into text and signature lines without checking any signature. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let s: string;
  if (typeof note === 'string') s = note;
  else {
    try {
      s = utf8.decode(note);
    } catch {
      throw malformed('it is not valid UTF-8');
    }
  }
  checkText(s);
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw malformed('there is no blank line before the signatures');
  const text = s.slice(0, split + 1);
  const lines = s.slice(split + 2).split('\n');
  if (lines.pop() !== '') throw malformed('the last signature line does not end with a newline');
  if (lines.length === 0) throw malformed('there are no signatures');
  if (lines.length > MAX_SIGNATURES) throw malformed(`it has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m || (m[1] as string).includes('+')) throw malformed(`"${line}" is not a signature line`);
    const raw = strictBase64(m[2] as string);
    if (!raw || raw.length < 5) throw malformed(`the signature of ${m[1]} is not valid base64`);
    return { name: m[1] as string, keyHash: raw.readUInt32BE(0), sig: new Uint8Array(raw.subarray(4)), line };
  });
  return { text, signatures };
}

/**
 * Opens a note: every signature by a known verifier (same name and key id) must verify, else the
 * note is refused naming that key; at least one must verify; unknown signers are listed.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const msg = Buffer.from(text, 'utf8');
  const verified: OpenedNote['verified'] = [];
  const unverified: OpenedNote['unverified'] = [];
  const seen = new Set<string>();
  for (const s of signatures) {
    const v = verifiers.find((x) => x.name === s.name && x.keyHash === s.keyHash);
    if (!v) {
      unverified.push({ name: s.name, keyHash: s.keyHash });
      continue;
    }
    if (!v.verify(msg, s.sig)) {
      throw new KeyriteError('NOTE_SIGNATURE_INVALID', `The signature by ${s.name} (key ${hashHex(s.keyHash)}) does not verify: the note was changed after it was signed, or the signature was damaged.`, {
        action: 'Treat the note as forged. Compare it with the copy kept by the witnesses.',
        details: { name: s.name, keyHash: hashHex(s.keyHash) },
      });
    }
    const id = `${s.name}+${s.keyHash}`;
    if (!seen.has(id)) verified.push({ name: s.name, keyHash: s.keyHash, verifier: v });
    seen.add(id);
  }
  if (verified.length === 0) {
    throw new KeyriteError('NOTE_UNVERIFIED', 'No signature on the note is from a known key.', {
      action: 'Pass the verifier key of a signer you trust (for example --trusted-key).',
      details: { signers: unverified.map((u) => `${u.name}+${hashHex(u.keyHash)}`) },
    });
  }
  return { text, verified, unverified };
}

async function signatureLine(text: string, signer: NoteSigner, verifiers: readonly NoteVerifier[]): Promise<string> {
  if (!/^[^\s+\u2014]+$/u.test(signer.name)) throw malformed(`signer name "${signer.name}" is not allowed`);
  const msg = Buffer.from(text, 'utf8');
  const sig = await signer.sign(msg);
  const v = verifiers.find((x) => x.name === signer.name && x.keyHash === signer.keyHash);
  if (v && !v.verify(msg, sig)) {
    throw new KeyriteError('NOTE_SIGN_CHECK_FAILED', `The signature just made by ${signer.name} does not verify with its own public key.`, {
      action: 'Stop: the signing key or token is not behaving. Check that the right key was selected.',
    });
  }
  const head = Buffer.alloc(4);
  head.writeUInt32BE(signer.keyHash >>> 0);
  return `${DASH} ${signer.name} ${Buffer.concat([head, sig]).toString('base64')}\n`;
}

function selfVerifiers(signers: readonly NoteSigner[]): NoteVerifier[] {
  return signers.filter((s) => s.verifierKey).map((s) => parseVerifierKey(s.verifierKey as string));
}

/** Signs text (which must end in a newline) with each signer, in order. */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  checkText(text);
  if (signers.length === 0) throw malformed('at least one signer is needed');
  const verifiers = selfVerifiers(signers);
  let out = text + '\n';
  for (const s of signers) out += await signatureLine(text, s, verifiers);
  return out;
}

/** Adds signatures (a witness's cosignature) to an existing note; signers already on it are not added twice. */
export async function cosignNote(note: string, signers: readonly NoteSigner[]): Promise<string> {
  const parsed = parseNote(note);
  const verifiers = selfVerifiers(signers);
  let out = parsed.text + '\n' + parsed.signatures.map((s) => s.line + '\n').join('');
  for (const s of signers) {
    if (parsed.signatures.some((x) => x.name === s.name && x.keyHash === s.keyHash)) continue;
    out += await signatureLine(parsed.text, s, verifiers);
  }
  return out;
}
