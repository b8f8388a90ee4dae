/**
 * The text forms of signed-note keys (c2sp.org/signed-note) that every key type shares: the type
 * bytes, key names, key ids (hashes), strict base64 and the name+keyid+key split. The key types
 * themselves, and parsing, signing and verifying: note-keys.ts.
 */
import { createHash } from 'node:crypto';
import { KeyriteError } from '../util/errors';

export const ED25519_TYPE = Uint8Array.of(0x01);
/** 0xff then the ASCII identifier: the header is 16 bytes, the SPKI DER follows. */
export const SPKI_TYPE = Uint8Array.from(Buffer.concat([Buffer.of(0xff), Buffer.from('keyrite.spki/v1', 'ascii')]));
export const ECDSA_TYPE = 0x02;
export const COSIGNATURE_TYPE = 0x04;

export type NoteKeyType = 'ed25519' | 'ecdsa' | 'cosignature/v1' | 'keyrite.spki/v1';

export interface NoteSigner {
  name: string;
  /** uint32 key id. */
  keyHash: number;
  sign(msg: Uint8Array): Promise<Uint8Array>;
  /** The matching verifier key, when known: signNote then checks each signature it makes. */
  verifierKey?: string;
}

export interface NoteVerifier {
  name: string;
  keyHash: number;
  type: NoteKeyType;
  /** The verifier key text this was parsed from. */
  key: string;
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** Unicode text (no lone surrogate: a note is UTF-8) without spaces or "+". */
const NAME_RE = /^[^\s+\ud800-\udfff]+$/u;

export function checkKeyName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.includes('\u2014')) {
    throw new KeyriteError('NOTE_KEY_NAME_INVALID', `Key name "${String(name)}" is not allowed: it must be non-empty Unicode text, with no spaces, no "+" and no "\u2014".`, {
      action: 'Choose a name like keyrite.transcript/<ceremony id>.',
    });
  }
}

export function keyHash(name: string, typeAndKey: Uint8Array): number {
  const h = createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a)).update(typeAndKey).digest();
  return h.readUInt32BE(0);
}

export function hashHex(h: number): string {
  return h.toString(16).padStart(8, '0');
}

/** Strict standard base64: decoding then encoding must give the same text back. */
export function strictBase64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

export function badKey(what: string): KeyriteError {
  return new KeyriteError('NOTE_KEY_INVALID', `Signed-note key refused: ${what}.`, {
    action: 'Copy the key again exactly as it was printed (name+keyid+base64).',
  });
}

/** Splits at the first `count` plus signs (base64 key material may itself contain '+'); undefined if too few. */
export function chop(text: string, count: number): string[] | undefined {
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}
