import { wordlist } from '@scure/bip39/wordlists/english.js';
import { shareError } from './errors';
import { addChecks, locateSingleError, syndromes } from './gf2048';
import { decodeEnvelope, encodeEnvelope, ENVELOPE_BYTES, type ShareEnvelope } from './envelope';

/**
 * Word encoding of a share envelope. The 48 envelope bytes become 35 data words of 11 bits (the
 * last bit is padding, always 0), followed by 2 check words: a Reed-Solomon code over GF(2^11).
 * Any single wrong word changes the syndromes and their ratio names its position; two adjacent
 * words swapped (different words) always leave a non-zero syndrome. The envelope's own SHA-256
 * checksum then guards against anything the word check lets through.
 */
export const DATA_WORDS = Math.ceil((ENVELOPE_BYTES * 8) / 11);
export const SHARE_WORDS = DATA_WORDS + 2;

const INDEX_BY_PREFIX = new Map<string, number>();
wordlist.forEach((w, i) => INDEX_BY_PREFIX.set(w.slice(0, 4), i));

export function bytesToSymbols(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 11) {
      bits -= 11;
      out.push((acc >> bits) & 0x7ff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (11 - bits)) & 0x7ff);
  return out;
}

/** Inverse of bytesToSymbols; returns undefined if the padding bits are not zero. */
export function symbolsToBytes(symbols: readonly number[], byteLength: number): Uint8Array | undefined {
  const out = new Uint8Array(byteLength);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const s of symbols) {
    acc = (acc << 11) | s;
    bits += 11;
    while (bits >= 8 && o < byteLength) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return acc === 0 ? out : undefined;
}

export function encodeShareWords(e: ShareEnvelope): string[] {
  return addChecks(bytesToSymbols(encodeEnvelope(e))).map((i) => wordlist[i] ?? '');
}

/** Looks a typed word up: the whole word, or at least its first 4 letters (all a word needs). */
export function lookupWord(typed: string): number | undefined {
  const w = typed.trim().toLowerCase();
  if (w.length === 0) return undefined;
  const idx = INDEX_BY_PREFIX.get(w.slice(0, 4));
  if (idx === undefined) return undefined;
  const full = wordlist[idx] ?? '';
  return full.startsWith(w) && w.length >= Math.min(4, full.length) ? idx : undefined;
}

const RETYPE = 'Compare each word with the share sheet; the first 4 letters of each word are enough.';

/**
 * Decodes a list of typed words into an envelope, naming the word that is wrong where possible.
 * `correctSingleWord` gives the screen the word a single wrong word should be (shown only to the
 * custodian, never put in an error).
 */
export function decodeShareWords(typed: readonly string[]): ShareEnvelope {
  if (typed.length === 0) throw shareError('SHARE_EMPTY', 'No words were given.', RETYPE);
  const symbols: number[] = [];
  typed.forEach((t, i) => {
    const idx = lookupWord(t);
    if (idx === undefined) {
      throw shareError('SHARE_WORD_UNKNOWN', `Word ${i + 1} is not in the word list.`, RETYPE, { wordIndex: i + 1 });
    }
    symbols.push(idx);
  });
  if (symbols.length !== SHARE_WORDS) {
    throw shareError('SHARE_WORD_COUNT', `A share has ${SHARE_WORDS} words; ${symbols.length} were given.`, 'Check for a skipped or repeated line on the share sheet.', { expected: SHARE_WORDS, got: symbols.length });
  }
  const [s0, s1] = syndromes(symbols);
  if (s0 !== 0 || s1 !== 0) {
    const single = locateSingleError(symbols);
    // Only the position is named: words (typed or suggested) are share material and error
    // messages may be logged.
    if (single && fixesEnvelope(symbols, single)) {
      throw shareError('SHARE_CHECKSUM', `Word ${single.position + 1} looks wrong; every other word checks out.`, `Check word ${single.position + 1} against the share sheet.`, { wordIndex: single.position + 1 });
    }
    throw shareError('SHARE_CHECKSUM', 'The words do not check out: more than one word is wrong, or two words are swapped.', RETYPE);
  }
  const bytes = symbolsToBytes(symbols.slice(0, DATA_WORDS), ENVELOPE_BYTES);
  if (!bytes) throw shareError('SHARE_CHECKSUM', 'The words do not form a share (padding bits set).', RETYPE);
  return decodeEnvelope(bytes);
}

function fixesEnvelope(symbols: readonly number[], single: { position: number; fixed: number }): boolean {
  const fixed = symbols.slice(0, DATA_WORDS);
  if (single.position < DATA_WORDS) fixed[single.position] = single.fixed;
  const bytes = symbolsToBytes(fixed, ENVELOPE_BYTES);
  if (!bytes) return false;
  try {
    decodeEnvelope(bytes);
    return true;
  } catch {
    return false;
  } finally {
    bytes.fill(0);
  }
}

/** Splits free text (numbered lines, commas, several per line) into words; `#` lines are comments. */
export function wordsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/[\s,;]+/))
    .filter((t) => t.length > 0 && !/^\d+[.):]?$/.test(t));
}

/** For a share with exactly one wrong word: its position (1-based) and the word the sheet has. */
export function correctSingleWord(typed: readonly string[]): { wordIndex: number; word: string } | undefined {
  const symbols = typed.map(lookupWord);
  if (symbols.length !== SHARE_WORDS || symbols.some((v) => v === undefined)) return undefined;
  const values = symbols as number[];
  const single = locateSingleError(values);
  if (!single || !fixesEnvelope(values, single)) return undefined;
  return { wordIndex: single.position + 1, word: wordlist[single.fixed] ?? '' };
}
