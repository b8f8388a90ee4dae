import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { correctSingleWord, decodeShareWords, encodeShareWords, lookupWord, SHARE_WORDS, wordsFromText } from '../../../electron/core/shares/words';
import { formatShareSheet } from '../../../electron/core/shares/sheet';
import { KeyriteError } from '../../../electron/core/util/errors';

function sampleEnvelope(): ShareEnvelope {
  const share = new Uint8Array(randomBytes(33));
  share[32] = 7;
  return makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 3, n: 5, share });
}

function codeOf(f: () => unknown): { code: string; details: Record<string, unknown> | undefined } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyriteError);
    return { code: (e as KeyriteError).code, details: (e as KeyriteError).details };
  }
  throw new Error('expected a KeyriteError');
}

describe('share words', () => {
  it('round-trips an envelope through words, 4-letter prefixes and the share sheet', () => {
    const e = sampleEnvelope();
    const words = encodeShareWords(e);
    expect(words).toHaveLength(SHARE_WORDS);
    expect(decodeShareWords(words)).toEqual(e);
    expect(decodeShareWords(words.map((w) => w.slice(0, 4).toUpperCase()))).toEqual(e);
    const sheet = formatShareSheet(e, { custodian: 'alice', ceremonyId: 'c-1', index: 2 });
    expect(decodeShareWords(wordsFromText(sheet))).toEqual(e);
  });

  it('every 4-letter prefix names exactly one word', () => {
    for (const [i, w] of wordlist.entries()) expect(lookupWord(w.slice(0, 4))).toBe(i);
    expect(lookupWord('abandxn')).toBeUndefined();
  });

  it('detects every single-word substitution in a share, names its position (not the word) and knows the right one', () => {
    const words = encodeShareWords(sampleEnvelope());
    const misses: string[] = [];
    let checked = 0;
    for (let pos = 0; pos < words.length; pos++) {
      for (const other of wordlist) {
        if (other === words[pos]) continue;
        const typed = [...words];
        typed[pos] = other;
        try {
          decodeShareWords(typed);
          misses.push(`${pos + 1}:${other} accepted`);
        } catch (e) {
          const err = e as KeyriteError;
          if (!(err instanceof KeyriteError) || err.code !== 'SHARE_CHECKSUM' || err.details?.wordIndex !== pos + 1 || correctSingleWord(typed)?.word !== words[pos] || err.message !== `Word ${pos + 1} looks wrong; every other word checks out.`) {
            misses.push(`${pos + 1}:${other} -> ${String(err.code)} ${JSON.stringify(err.details)}`);
          }
        }
        checked++;
      }
    }
    expect(misses.slice(0, 5)).toEqual([]);
    expect(checked).toBe(SHARE_WORDS * 2047);
  });

  it('detects every swap of two adjacent different words', () => {
    for (let trial = 0; trial < 20; trial++) {
      const words = encodeShareWords(sampleEnvelope());
      for (let pos = 0; pos + 1 < words.length; pos++) {
        if (words[pos] === words[pos + 1]) continue;
        const typed = [...words];
        [typed[pos], typed[pos + 1]] = [typed[pos + 1] as string, typed[pos] as string];
        expect(codeOf(() => decodeShareWords(typed)).code).toBe('SHARE_CHECKSUM');
      }
    }
  });

  it('names an unknown word by its position and refuses a wrong word count', () => {
    const words = encodeShareWords(sampleEnvelope());
    const typed = [...words];
    typed[9] = 'qqqq';
    expect(codeOf(() => decodeShareWords(typed))).toEqual({ code: 'SHARE_WORD_UNKNOWN', details: { wordIndex: 10 } });
    expect(codeOf(() => decodeShareWords(words.slice(1))).code).toBe('SHARE_WORD_COUNT');
    expect(codeOf(() => decodeShareWords([])).code).toBe('SHARE_EMPTY');
  });
});
