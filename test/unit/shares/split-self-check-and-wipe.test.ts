/**
 * Splitting the wrapping key checks, before any share is handed out, that the shares rebuild the
 * key; if the Shamir library ever gets that wrong, the split is refused and nothing is handed out.
 * And the key copy given to the library, the raw shares it returns and the key the check rebuilds
 * are wiped once the split is done (or refused), while the caller's key and the envelopes handed out
 * stay whole. The library is the real one, watched through a pass-through mock (and, for the
 * refusals, made to rebuild a wrong key or to fail).
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { splitWrappingKey } from '../../../electron/core/shares/split';
import { ceremonyTag } from '../../../electron/core/shares/commitments';

const lib = vi.hoisted(() => ({
  given: [] as Uint8Array[],
  raw: [] as Uint8Array[][],
  rebuilt: [] as Uint8Array[],
  rebuildWrong: false,
  splitFails: false,
  spoilLast: false,
}));

vi.mock('shamir-secret-sharing', async (importOriginal) => {
  const real = await importOriginal<typeof import('shamir-secret-sharing')>();
  return {
    ...real,
    split: async (secret: Uint8Array, n: number, k: number) => {
      lib.given.push(secret);
      if (lib.splitFails) throw new Error('the Shamir library failed');
      const out = await real.split(secret, n, k);
      const last = out[n - 1] as Uint8Array;
      if (lib.spoilLast) last[0] = (last[0] ?? 0) ^ 1;
      lib.raw.push(out);
      return out;
    },
    combine: async (shares: Uint8Array[]) => {
      const out = await real.combine(shares);
      if (lib.rebuildWrong) out[0] = (out[0] ?? 0) ^ 1;
      lib.rebuilt.push(out);
      return out;
    },
  };
});

const allZero = (b: Uint8Array) => b.every((v) => v === 0);
const opts = { k: 2, custodians: ['alice', 'bob', 'carol'], ceremonyTag: ceremonyTag('split-self-check'), madeBy: 'split-self-check', voids: [] };

beforeEach(() => {
  lib.given.length = 0;
  lib.raw.length = 0;
  lib.rebuilt.length = 0;
  lib.rebuildWrong = false;
  lib.splitFails = false;
  lib.spoilLast = false;
});

describe('splitWrappingKey', () => {
  it('refuses with SHARE_COMBINE_FAILED when the new shares do not rebuild the key, and wipes what the library had', async () => {
    lib.rebuildWrong = true;
    const key = new Uint8Array(randomBytes(32));
    const before = Buffer.from(key).toString('hex');
    await expect(splitWrappingKey(key, opts)).rejects.toMatchObject({
      code: 'SHARE_COMBINE_FAILED',
      message: 'The new shares do not rebuild the wrapping key.',
      action: 'This is a bug; report it. Nothing was handed out.',
    });
    expect(Buffer.from(key).toString('hex')).toBe(before);
    expect(lib.given).toHaveLength(1);
    expect(allZero(lib.given[0] as Uint8Array)).toBe(true);
    expect((lib.raw[0] as Uint8Array[]).map(allZero)).toEqual([true, true, true]);
    expect(lib.rebuilt.map(allZero)).toEqual([true]);
  });

  it('refuses with SHARE_COMBINE_FAILED when only a share past the first k is spoiled: every share is checked, nothing is handed out', async () => {
    lib.spoilLast = true;
    const key = new Uint8Array(randomBytes(32));
    await expect(splitWrappingKey(key, opts)).rejects.toMatchObject({ code: 'SHARE_COMBINE_FAILED' });
    // The first k shares alone rebuild the key: only the subset holding the last share shows it.
    expect(lib.rebuilt).toHaveLength(2);
    expect((lib.raw[0] as Uint8Array[]).map(allZero)).toEqual([true, true, true]);
    expect(lib.rebuilt.map(allZero)).toEqual([true, true]);
  });

  it('checks a k-subset holding each share (n - k + 1 rebuilds), for 3-of-5', async () => {
    const key = new Uint8Array(randomBytes(32));
    await splitWrappingKey(key, { ...opts, k: 3, custodians: ['a', 'b', 'c', 'd', 'e'] });
    expect(lib.rebuilt).toHaveLength(3);
    expect(lib.rebuilt.map(allZero)).toEqual([true, true, true]);
  });

  it('passes a failure of the Shamir library on as it is, and wipes the key copy it was given', async () => {
    lib.splitFails = true;
    const key = new Uint8Array(randomBytes(32));
    await expect(splitWrappingKey(key, opts)).rejects.toThrow(/^the Shamir library failed$/);
    expect(allZero(lib.given[0] as Uint8Array)).toBe(true);
    expect(allZero(key)).toBe(false);
  });

  it('wipes the key copy, the raw shares and the check\'s rebuilt key; the caller\'s key and the shares handed out stay whole', async () => {
    const key = new Uint8Array(randomBytes(32));
    const before = Buffer.from(key).toString('hex');
    const { shares } = await splitWrappingKey(key, opts);
    expect(Buffer.from(key).toString('hex')).toBe(before);
    expect(lib.given[0]).not.toBe(key);
    expect(allZero(lib.given[0] as Uint8Array)).toBe(true);
    expect((lib.raw[0] as Uint8Array[]).map(allZero)).toEqual([true, true, true]);
    expect(lib.rebuilt.map(allZero)).toEqual([true, true]);
    const { combine } = await import('shamir-secret-sharing');
    const again = await combine([(shares[2] as { share: Uint8Array }).share, (shares[0] as { share: Uint8Array }).share]);
    expect(Buffer.from(again).toString('hex')).toBe(before);
  });
});
