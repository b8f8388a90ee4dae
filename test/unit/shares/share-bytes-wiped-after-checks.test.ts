/**
 * Checking a share makes temporary copies of its envelope bytes; they are wiped once the check is
 * done. A share object entered (e.g. over IPC) is re-encoded to run every check again, and those
 * bytes are zeros after; a mistyped word list is tried with the one word corrected, and the corrected
 * envelope (the custodian's share) is zeros after, whether the error is then named or not. The
 * envelope module is the real one, watched through a pass-through mock.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeShareInput } from '../../../electron/core/shares/share-input';
import { correctSingleWord, decodeShareWords, encodeShareWords } from '../../../electron/core/shares/words';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { softBackup } from './fixtures';

const seen = vi.hoisted(() => ({ encoded: [] as Uint8Array[], decoded: [] as Uint8Array[] }));

vi.mock('../../../electron/core/shares/envelope', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../electron/core/shares/envelope')>();
  return {
    ...real,
    encodeEnvelope: (e: Parameters<typeof real.encodeEnvelope>[0]) => {
      const out = real.encodeEnvelope(e);
      seen.encoded.push(out);
      return out;
    },
    decodeEnvelope: (bytes: Uint8Array) => {
      seen.decoded.push(bytes);
      return real.decodeEnvelope(bytes);
    },
  };
});

const allZero = (b: Uint8Array) => b.length > 0 && b.every((v) => v === 0);

describe('temporary share bytes', () => {
  it('an envelope object is re-encoded for its checks, and those bytes are wiped after', async () => {
    const { shares } = await softBackup();
    const e = shares[0]!;
    seen.encoded.length = 0;
    const back = decodeShareInput({ envelope: e });
    expect(Buffer.from(back.share).equals(Buffer.from(e.share))).toBe(true);
    expect(seen.encoded).toHaveLength(1);
    expect(allZero(seen.encoded[0] as Uint8Array)).toBe(true);
  });

  it('the corrected envelope tried for one mistyped word is wiped, when decoding and when suggesting', async () => {
    const { shares } = await softBackup();
    const words = encodeShareWords(shares[1]!);
    const typed = [...words];
    typed[9] = words[9] === 'zoo' ? 'abandon' : 'zoo';
    seen.decoded.length = 0;
    const err = thrown(() => decodeShareWords(typed));
    expect(err.code).toBe('SHARE_CHECKSUM');
    expect(err.details).toEqual({ wordIndex: 10 });
    expect(seen.decoded.length).toBeGreaterThan(0);
    expect(seen.decoded.map(allZero)).toEqual(seen.decoded.map(() => true));

    seen.decoded.length = 0;
    expect(correctSingleWord(typed)).toEqual({ wordIndex: 10, word: words[9] });
    expect(seen.decoded.length).toBeGreaterThan(0);
    expect(seen.decoded.map(allZero)).toEqual(seen.decoded.map(() => true));
  });
});
