import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromPgpWords, PGP_EVEN_WORDS, PGP_ODD_WORDS, toPgpWords } from '../../../electron/core/util/pgp-words';
import { publicKeyFingerprint } from '../../../electron/core/token/verify';

describe('PGP word list', () => {
  it('has 256 distinct words in each list, two-syllable even and three-syllable odd anchors', () => {
    expect(PGP_EVEN_WORDS).toHaveLength(256);
    expect(PGP_ODD_WORDS).toHaveLength(256);
    expect(new Set(PGP_EVEN_WORDS.map((w) => w.toLowerCase())).size).toBe(256);
    expect(new Set(PGP_ODD_WORDS.map((w) => w.toLowerCase())).size).toBe(256);
    expect([PGP_EVEN_WORDS[0], PGP_EVEN_WORDS[255], PGP_ODD_WORDS[0], PGP_ODD_WORDS[255]]).toEqual(['aardvark', 'Zulu', 'adroitness', 'Yucatan']);
  });

  it('encodes the published example fingerprint (Wikipedia, "PGP word list")', () => {
    const bytes = Buffer.from('E58294F2E9A227486E8B061B31CC528FD7FA3F19', 'hex');
    expect(toPgpWords(bytes).join(' ')).toBe(
      'topmost Istanbul Pluto vagabond treadmill Pacific brackish dictator goldfish Medusa afflict bravado chatter revolver Dupont midsummer stopwatch whimsical cowbell bottomless',
    );
  });

  it('encodes a second known fingerprint (Encode::Wordlist::PGP documentation)', () => {
    const bytes = Buffer.from('41559711308F2A21B9D5072D621958AFCB50B5F9', 'hex');
    expect(toPgpWords(bytes).join(' ')).toBe(
      'cranky equipment preshrunk Babylon chairlift midsummer brickyard Camelot sentence specialist ahead clergyman flagpole bottomless endorse pharmacy spheroid embezzle scorecard Waterloo',
    );
  });

  it('decodes back, and rejects a word in the wrong position (a swapped pair is heard, not missed)', () => {
    const bytes = createHash('sha256').update('x').digest();
    const words = toPgpWords(bytes);
    expect(fromPgpWords(words)).toEqual(new Uint8Array(bytes));
    const swapped = [words[1] ?? '', words[0] ?? '', ...words.slice(2)];
    expect(fromPgpWords(swapped)).toBeUndefined();
  });

  it('a public key fingerprint is SHA-256 of the SPKI, 32 words', () => {
    const spki = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]);
    const fp = publicKeyFingerprint(spki);
    expect(fp.sha256Hex).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(fp.pgpWords).toHaveLength(32);
    expect(fromPgpWords(fp.pgpWords)).toEqual(new Uint8Array(Buffer.from(fp.sha256Hex, 'hex')));
  });
});
