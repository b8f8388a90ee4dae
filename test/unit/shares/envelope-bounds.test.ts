/**
 * The edges of the share envelope and of the split parameters, each on both sides: the envelope's
 * header fields, version, length and checksum as a decoder reads them from outside, and the split's
 * 2 <= k <= n <= 255 with distinct, named custodians. A check moved by one (or dropped) fails here.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, ENVELOPE_BYTES, makeEnvelope, SHARE_BYTES, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { checkSplitParams, splitWrappingKey } from '../../../electron/core/shares/split';
import { thrownKeyriteError as errorOf } from '../../helpers/keyrite-error';


function share(x = 7): Uint8Array {
  const s = new Uint8Array(randomBytes(SHARE_BYTES));
  s[SHARE_BYTES - 1] = x;
  return s;
}

const good = (): ShareEnvelope => makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 3, n: 5, share: share() });

/** Envelope bytes with header bytes changed and the checksum made right again (a forged header). */
function forged(set: Record<number, number>): Uint8Array {
  const e = good();
  const bytes = encodeEnvelope(e);
  const body = new Uint8Array(bytes.subarray(0, 44));
  for (const [i, v] of Object.entries(set)) body[Number(i)] = v;
  // Written again by the encoder, which checksums whatever header it is given.
  return encodeEnvelope({ ...e, k: body[9]!, n: body[10]!, share: body.slice(11, 44) });
}

describe('envelope decoder', () => {
  it('reads back what it wrote, field by field', () => {
    const e = makeEnvelope({ ceremonyTag: '00ff10ab', splitId: 'deadbeef', k: 2, n: 255, share: share(255) });
    const bytes = encodeEnvelope(e);
    expect(bytes).toHaveLength(ENVELOPE_BYTES);
    expect([bytes[0], bytes[9], bytes[10], bytes[43]]).toEqual([1, 2, 255, 255]);
    expect(Buffer.from(bytes.subarray(1, 9)).toString('hex')).toBe('00ff10abdeadbeef');
    expect(decodeEnvelope(bytes)).toEqual({ version: 1, ceremonyTag: '00ff10ab', splitId: 'deadbeef', k: 2, n: 255, x: 255, share: e.share });
  });

  it('names an empty input, another version, a wrong length and a bad checksum', () => {
    const bytes = encodeEnvelope(good());
    expect(errorOf(() => decodeEnvelope(new Uint8Array(0))).code).toBe('SHARE_EMPTY');
    const v2 = new Uint8Array(bytes);
    v2[0] = 2;
    expect(errorOf(() => decodeEnvelope(v2))).toMatchObject({ code: 'SHARE_VERSION', details: { version: 2 } });
    for (const len of [ENVELOPE_BYTES - 1, ENVELOPE_BYTES + 1]) {
      const b = new Uint8Array(len);
      b.set(bytes.subarray(0, Math.min(len, ENVELOPE_BYTES)));
      expect(errorOf(() => decodeEnvelope(b))).toMatchObject({ code: 'SHARE_FORMAT', details: { length: len } });
    }
    for (const at of [1, 9, 30, 43, 44, 47]) {
      const b = new Uint8Array(bytes);
      b[at] = (b[at]! ^ 0x01);
      expect(errorOf(() => decodeEnvelope(b)).code, `byte ${at}`).toBe('SHARE_CHECKSUM');
    }
  });

  it('refuses an impossible header with a right checksum: k < 2, n < k, x = 0; k = n is fine', () => {
    expect(errorOf(() => decodeEnvelope(forged({ 9: 1 })))).toMatchObject({ code: 'SHARE_FORMAT', details: { k: 1, n: 5, x: 7 } });
    expect(errorOf(() => decodeEnvelope(forged({ 9: 3, 10: 2 })))).toMatchObject({ code: 'SHARE_FORMAT', details: { k: 3, n: 2 } });
    expect(errorOf(() => decodeEnvelope(forged({ 43: 0 })))).toMatchObject({ code: 'SHARE_FORMAT', details: { x: 0 } });
    expect(decodeEnvelope(forged({ 9: 4, 10: 4 }))).toMatchObject({ k: 4, n: 4 });
    expect(decodeEnvelope(forged({ 9: 2, 10: 2 }))).toMatchObject({ k: 2, n: 2 });
  });

  it('makes only envelopes it can write: 4-byte lowercase hex ids, 33 share bytes, x not 0', () => {
    const base = { ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 3, n: 5 };
    for (const bad of [
      { ...base, ceremonyTag: 'a1b2c3', share: share() }, { ...base, splitId: '0BADCAFE', share: share() },
      { ...base, share: share().subarray(1) }, { ...base, share: new Uint8Array(SHARE_BYTES + 1).fill(1) }, { ...base, share: share(0) },
    ]) expect(errorOf(() => makeEnvelope(bad)).code).toBe('SHARE_PARAMS_INVALID');
    expect(makeEnvelope({ ...base, share: share(1) }).x).toBe(1);
  });

  it('refuses to write a malformed envelope object', () => {
    const e = good();
    for (const bad of [
      { ...e, version: 2 }, { ...e, k: 256 }, { ...e, n: -1 }, { ...e, k: 2.5 }, { ...e, splitId: 'xyz' },
      { ...e, share: e.share.subarray(1) }, { ...e, share: Array.from(e.share) },
    ]) expect(errorOf(() => encodeEnvelope(bad as ShareEnvelope)).code).toBe('SHARE_FORMAT');
    expect(decodeEnvelope(encodeEnvelope({ ...e, k: 255, n: 255 }))).toMatchObject({ k: 255, n: 255 });
  });
});

describe('split parameters at their edges', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
  it('accepts 2-of-2 and 2-of-255, refuses k = 1, k = 2.5, k > n and n = 256', () => {
    expect(() => checkSplitParams({ k: 2, custodians: names(2) })).not.toThrow();
    expect(() => checkSplitParams({ k: 2, custodians: names(255) })).not.toThrow();
    expect(() => checkSplitParams({ k: 255, custodians: names(255) })).not.toThrow();
    expect(errorOf(() => checkSplitParams({ k: 1, custodians: names(3) }))).toMatchObject({ code: 'SHARE_PARAMS_INVALID', details: { k: 1 } });
    expect(errorOf(() => checkSplitParams({ k: 2.5, custodians: names(3) }))).toMatchObject({ code: 'SHARE_PARAMS_INVALID', details: { k: 2.5 } });
    expect(errorOf(() => checkSplitParams({ k: 4, custodians: names(3) }))).toMatchObject({ code: 'SHARE_PARAMS_INVALID', details: { k: 4, n: 3 } });
    expect(errorOf(() => checkSplitParams({ k: 2, custodians: names(256) }))).toMatchObject({ code: 'SHARE_PARAMS_INVALID', details: { k: 2, n: 256 } });
  });

  it('needs a name of 1 to 200 characters per custodian, distinct once trimmed', () => {
    expect(() => checkSplitParams({ k: 2, custodians: ['a', 'b'.repeat(200)] })).not.toThrow();
    for (const custodians of [['a', 'b'.repeat(201)], ['a', '   '], ['a', ''], ['ann', ' ann ']]) {
      expect(errorOf(() => checkSplitParams({ k: 2, custodians })).code, JSON.stringify(custodians)).toBe('SHARE_PARAMS_INVALID');
    }
  });

  it('splits a 32-byte key only, records trimmed names, indices, x and the time given', async () => {
    const opts = { k: 2, custodians: [' ann ', 'bob', 'cy'], ceremonyTag: 'a1b2c3d4', madeBy: 'c-1', voids: [], now: new Date('2026-12-01T10:00:00Z') };
    await expect(splitWrappingKey(new Uint8Array(31), opts)).rejects.toMatchObject({ code: 'BACKUP_WRAPPING_KEY_INVALID' });
    await expect(splitWrappingKey(new Uint8Array(33), opts)).rejects.toMatchObject({ code: 'BACKUP_WRAPPING_KEY_INVALID' });
    const { split, shares } = await splitWrappingKey(new Uint8Array(randomBytes(32)), opts);
    expect(split).toMatchObject({ k: 2, n: 3, madeBy: 'c-1', ceremonyTag: 'a1b2c3d4', createdAt: '2026-12-01T10:00:00.000Z', scheme: 'shamir-secret-sharing-gf256', voids: [] });
    expect(split.shares.map((s) => [s.index, s.custodian, s.x])).toEqual(shares.map((e, i) => [i + 1, ['ann', 'bob', 'cy'][i], e.x]));
    expect(shares.every((e) => e.splitId === split.id && e.k === 2 && e.n === 3)).toBe(true);
  });
});
