/**
 * What a custodian typing words meets at the edges, and what the error says: the word lookup
 * (case, spaces, 4-letter prefixes, 3-letter words), the share-sheet text reader (comments,
 * numbering), the single-word correction shown on screen, words whose padding bits are set, and
 * the GF(2^11) error locator refusing damage that is not one word. Messages are checked too: they
 * are what the room reads. Found by mutation testing (docs/MUTATION.md).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { encodeEnvelope, makeEnvelope, SHARE_BYTES, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { addChecks, gfDiv, gfMul, gfPow, locateSingleError, syndromes } from '../../../electron/core/shares/gf2048';
import { checkSplitParams, splitWrappingKey } from '../../../electron/core/shares/split';
import { bytesToSymbols, correctSingleWord, decodeShareWords, encodeShareWords, lookupWord, SHARE_WORDS, wordsFromText } from '../../../electron/core/shares/words';
import { decodeEnvelope } from '../../../electron/core/shares/envelope';
import { thrownKeyriteError as errorOf } from '../../helpers/keyrite-error';


function envelope(): ShareEnvelope {
  const share = new Uint8Array(randomBytes(SHARE_BYTES));
  share[SHARE_BYTES - 1] = 9;
  return makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 3, n: 5, share });
}

const symbolsOf = (words: string[]) => words.map((w) => wordlist.indexOf(w));
const wordsOf = (symbols: number[]) => symbols.map((s) => wordlist[s]!);

/** Two words changed so that the first syndrome stays zero (same change at both), or the second. */
function twoWrong(words: string[], keep: 's0' | 's1'): string[] {
  const c = symbolsOf(words);
  const [i, j, d] = [3, 20, 0x155];
  const dj = keep === 's0' ? d : gfMul(d, gfPow(i - j));
  c[i] = c[i]! ^ d;
  c[j] = c[j]! ^ dj;
  return wordsOf(c);
}

describe('word lookup', () => {
  it('takes any case and surrounding spaces, a unique 4-letter prefix, and a whole 3-letter word', () => {
    expect(lookupWord(' ABANDON ')).toBe(0);
    expect(lookupWord('aban')).toBe(0);
    expect(lookupWord('act')).toBe(wordlist.indexOf('act'));
    for (const no of ['', '   ', 'aba', 'abandonx', 'zzzz', 'zoo1']) expect(lookupWord(no), JSON.stringify(no)).toBeUndefined();
  });

  it('reads words from a share sheet\'s text: comments (indented too), numbering and separators are skipped', () => {
    const text = '# Keyrite share for Carol abandon\n   # indented note about\n1. abandon, ability;able\n2) about\t3: above\n12\nabsent word1 2fa\r\n';
    expect(wordsFromText(text)).toEqual(['abandon', 'ability', 'able', 'about', 'above', 'absent', 'word1', '2fa']);
  });
});

describe('typed share words', () => {
  it('say what is wrong in words the room can act on', () => {
    const words = encodeShareWords(envelope());
    expect(errorOf(() => decodeShareWords([]))).toMatchObject({ code: 'SHARE_EMPTY', message: 'No words were given.' });
    const unknown = [...words];
    unknown[9] = 'qqqq';
    expect(errorOf(() => decodeShareWords(unknown))).toMatchObject({ code: 'SHARE_WORD_UNKNOWN', message: 'Word 10 is not in the word list.' });
    expect(errorOf(() => decodeShareWords(words.slice(1)))).toMatchObject({
      code: 'SHARE_WORD_COUNT', action: 'Check for a skipped or repeated line on the share sheet.', message: `A share has ${SHARE_WORDS} words; ${SHARE_WORDS - 1} were given.`, details: { expected: SHARE_WORDS, got: SHARE_WORDS - 1 },
    });
    for (const keep of ['s0', 's1'] as const) {
      const e = errorOf(() => decodeShareWords(twoWrong(words, keep)));
      expect(e).toMatchObject({ code: 'SHARE_CHECKSUM', message: 'The words do not check out: more than one word is wrong, or two words are swapped.' });
      expect(e.details).toBeUndefined();
    }
  });

  it('refuses words whose checks pass but whose padding bits are set', () => {
    const data = bytesToSymbols(encodeEnvelope(envelope()));
    data[data.length - 1] = data[data.length - 1]! | 1; // the last data word carries one padding bit
    const words = wordsOf(addChecks(data));
    expect(syndromes(symbolsOf(words))).toEqual([0, 0]);
    expect(errorOf(() => decodeShareWords(words))).toMatchObject({ code: 'SHARE_CHECKSUM', message: 'The words do not form a share (padding bits set).' });
    // And one wrong word on top: the fix would give padding bits set, so no single word is blamed.
    const typed = [...words];
    typed[5] = wordlist[(wordlist.indexOf(typed[5]!) + 3) % 2048]!;
    expect(errorOf(() => decodeShareWords(typed)).message).toBe('The words do not check out: more than one word is wrong, or two words are swapped.');
  });

  it('the on-screen correction names one wrong word and the sheet\'s word, and nothing for other damage', () => {
    const words = encodeShareWords(envelope());
    for (const pos of [0, 12, SHARE_WORDS - 1]) {
      const typed = [...words];
      typed[pos] = wordlist[(wordlist.indexOf(words[pos]!) + 1) % 2048]!;
      expect(correctSingleWord(typed)).toEqual({ wordIndex: pos + 1, word: words[pos] });
    }
    expect(correctSingleWord(words)).toBeUndefined();
    expect(correctSingleWord(words.slice(1))).toBeUndefined();
    expect(correctSingleWord([...words.slice(0, -1), 'qqqq'])).toBeUndefined();
    expect(correctSingleWord(twoWrong(words, 's0'))).toBeUndefined();
    expect(correctSingleWord(twoWrong(words, 's1'))).toBeUndefined();
  });
});

describe('damage that looks like one wrong word but is not', () => {
  it('is not blamed on one word when the corrected share still fails its envelope checksum', () => {
    const words = encodeShareWords(envelope());
    // Two changes (at 4 and 17) whose syndromes are those of one error at 25: fixing 25 cannot give the share.
    const [i, j, p, e] = [4, 17, 25, 0x2a5];
    const di = gfDiv(gfMul(e, gfPow(p) ^ gfPow(j)), gfPow(i) ^ gfPow(j));
    const c = symbolsOf(words);
    c[i] = c[i]! ^ di;
    c[j] = c[j]! ^ (e ^ di);
    expect(locateSingleError(c)?.position).toBe(p);
    const typed = wordsOf(c);
    const err = errorOf(() => decodeShareWords(typed));
    expect(err.message).toBe('The words do not check out: more than one word is wrong, or two words are swapped.');
    expect(correctSingleWord(typed)).toBeUndefined();
  });

  it('a wrong first check word is named like any other', () => {
    const words = encodeShareWords(envelope());
    const pos = SHARE_WORDS - 2;
    const typed = [...words];
    typed[pos] = wordlist[(wordlist.indexOf(words[pos]!) + 5) % 2048]!;
    expect(errorOf(() => decodeShareWords(typed)).message).toBe(`Word ${pos + 1} looks wrong; every other word checks out.`);
    expect(correctSingleWord(typed)).toEqual({ wordIndex: pos + 1, word: words[pos] });
  });
});

describe('GF(2^11) for the word check', () => {
  it('multiplies by zero to zero and refuses to divide by zero', () => {
    expect([gfMul(0, 5), gfMul(5, 0), gfMul(0, 0)]).toEqual([0, 0, 0]);
    expect(gfDiv(0, 5)).toBe(0);
    expect(() => gfDiv(5, 0)).toThrow(new RangeError('division by zero in GF(2^11)'));
  });

  it('locates no single error when one syndrome is zero or the position is past the end', () => {
    const c = addChecks(Array.from({ length: 33 }, (_, i) => (i * 97 + 5) % 2048));
    const s0zero = [...c];
    s0zero[2] = s0zero[2]! ^ 7;
    s0zero[9] = s0zero[9]! ^ 7;
    expect(locateSingleError(s0zero)).toBeUndefined();
    const s1zero = [...c];
    s1zero[2] = s1zero[2]! ^ 7;
    s1zero[9] = s1zero[9]! ^ gfMul(7, gfPow(2 - 9));
    expect(syndromes(s1zero)[1]).toBe(0);
    expect(locateSingleError(s1zero)).toBeUndefined();
    // A guard dropped would compute a position from log(0); these make that position land inside.
    const lands = [...c];
    const dSame = gfDiv(gfPow(6 - 1), gfPow(2) ^ gfPow(9));
    lands[2] = lands[2]! ^ dSame;
    lands[9] = lands[9]! ^ dSame;
    expect(syndromes(lands)[0]).toBe(0);
    expect(locateSingleError(lands)).toBeUndefined();
    const lands1 = [...c];
    const d2 = gfDiv(gfPow(2040), 1 ^ gfPow(2 - 9));
    lands1[2] = lands1[2]! ^ d2;
    lands1[9] = lands1[9]! ^ gfMul(d2, gfPow(2 - 9));
    expect(syndromes(lands1)[1]).toBe(0);
    expect(locateSingleError(lands1)).toBeUndefined();
    // Syndromes of one error at index L (one past the end), made with changes at 0 and 1.
    const L = c.length;
    const d = 11;
    const d1 = gfDiv(gfMul(d, gfPow(L)) ^ d, 1 ^ gfPow(1));
    const past = [...c];
    past[0] = past[0]! ^ d ^ d1;
    past[1] = past[1]! ^ d1;
    expect(syndromes(past)).toEqual([d, gfMul(d, gfPow(L))]);
    expect(locateSingleError(past)).toBeUndefined();
    const one = [...c];
    one[L - 1] = one[L - 1]! ^ d;
    expect(locateSingleError(one)).toEqual({ position: L - 1, fixed: c[L - 1] });
  });
});

describe('envelope and split errors say what is wrong', () => {
  it('in the envelope', () => {
    const bytes = encodeEnvelope(envelope());
    expect(errorOf(() => decodeEnvelope(new Uint8Array(0))).message).toBe('The share is empty.');
    const v7 = new Uint8Array(bytes);
    v7[0] = 7;
    expect(errorOf(() => decodeEnvelope(v7)).message).toBe('This share has envelope version 7; this Keyrite reads version 1.');
    expect(errorOf(() => decodeEnvelope(bytes.subarray(1))).message).toBe('This share has envelope version 161; this Keyrite reads version 1.');
    const short = new Uint8Array(bytes.subarray(0, 40));
    expect(errorOf(() => decodeEnvelope(short)).message).toBe('A share envelope is 48 bytes; this one is 40.');
    const flipped = new Uint8Array(bytes);
    flipped[20] = flipped[20]! ^ 1;
    expect(errorOf(() => decodeEnvelope(flipped))).toMatchObject({ message: 'The share\'s checksum does not match: it was damaged or mistyped.', action: 'Re-read the share from its original sheet or file.' });
    const e = envelope();
    const bad = encodeEnvelope({ ...e, k: 1 });
    expect(errorOf(() => decodeEnvelope(bad)).message).toBe('The share\'s header is impossible (k=1, n=5, x=9).');
    expect(errorOf(() => encodeEnvelope({ ...e, version: 2 } as unknown as ShareEnvelope))).toMatchObject({ message: 'The share object is malformed.', action: 'Enter the share again from its sheet or file.' });
    expect(errorOf(() => makeEnvelope({ ceremonyTag: 'x', splitId: '0badcafe', k: 3, n: 5, share: e.share }))).toMatchObject({
      message: 'Ceremony tag and split id must each be 4 bytes of lowercase hex.', action: 'This is a bug in Keyrite; report it.',
    });
    expect(errorOf(() => makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 3, n: 5, share: e.share.subarray(1) }))).toMatchObject({
      message: `A share must be ${SHARE_BYTES} bytes with a non-zero x.`, action: 'This is a bug in Keyrite; report it.',
    });
  });

  it('in the split', async () => {
    const action = 'Choose 2 <= k <= n <= 255 and one distinct custodian name per share.';
    expect(errorOf(() => checkSplitParams({ k: 1, custodians: ['a', 'b'] }))).toMatchObject({ action, message: 'Threshold k=1 is refused: with k=1 any one custodian alone could restore the key.' });
    expect(errorOf(() => checkSplitParams({ k: 3, custodians: ['a', 'b'] }))).toMatchObject({ action, message: 'n=2 shares with threshold k=3 is not possible.' });
    expect(errorOf(() => checkSplitParams({ k: 2, custodians: ['a', ''] }))).toMatchObject({ action, message: 'Every custodian needs a name (1 to 200 characters).' });
    expect(errorOf(() => checkSplitParams({ k: 2, custodians: ['a', 'a'] }))).toMatchObject({ action, message: 'Custodian names must be distinct: a person holds at most one share.' });
    const opts = { ceremonyTag: 'a1b2c3d4', madeBy: 'c-1', voids: [] };
    await expect(splitWrappingKey(new Uint8Array(32), { ...opts, k: 1, custodians: ['a', 'b'] })).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID' });
    await expect(splitWrappingKey(new Uint8Array(16), { ...opts, k: 2, custodians: ['a', 'b'] })).rejects.toMatchObject({
      message: 'The wrapping key is 16 bytes; AES-256 needs 32.', action: 'This is a bug in Keyrite or the token; report it.',
    });
  });
});
