/**
 * The byte helpers the share code checks input with: hex and base64 are strict (case, length,
 * padding), equality is by content and length, views are read at their own offset, secrets zeroed.
 */
import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, fromBase64, fromHex, isBase64, isHex, toBase64, toHex, zero } from '../../../electron/core/shares/bytes';

describe('share byte helpers', () => {
  it('hex: lower case, whole bytes, and the length asked for', () => {
    expect(isHex('')).toBe(true);
    expect(isHex('0a1b')).toBe(true);
    expect(isHex('0A1B')).toBe(false);
    expect(isHex('0a1')).toBe(false);
    expect(isHex('0g')).toBe(false);
    expect(isHex('x0a1b')).toBe(false);
    expect(isHex('0a1bx')).toBe(false);
    expect(isHex('0a1b', 2)).toBe(true);
    expect(isHex('0a1b', 3)).toBe(false);
    expect(isHex('0a1b2c', 2)).toBe(false);
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
  });

  it('base64: the standard alphabet, padded to a multiple of 4', () => {
    expect(isBase64('')).toBe(true);
    expect(isBase64('QUJD')).toBe(true);
    expect(isBase64('QUI=')).toBe(true);
    expect(isBase64('QQ==')).toBe(true);
    expect(isBase64('QQ===')).toBe(false);
    expect(isBase64('QUI')).toBe(false);
    expect(isBase64('QU-_')).toBe(false);
    expect(isBase64('!QUJD')).toBe(false);
    expect(isBase64('QUJD!')).toBe(false);
    expect(toBase64(fromBase64('QUJD'))).toBe('QUJD');
  });

  it('reads a view at its own offset', () => {
    const buf = new Uint8Array([1, 2, 3, 4, 5]);
    expect(toHex(buf.subarray(1, 3))).toBe('0203');
    expect(toBase64(buf.subarray(2))).toBe(Buffer.from([3, 4, 5]).toString('base64'));
  });

  it('equality needs the same length and bytes, and never throws on different lengths', () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('concatenates in order, and zeroes every buffer given', () => {
    expect([...concatBytes(new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3]))]).toEqual([1, 2, 3]);
    expect(concatBytes()).toEqual(new Uint8Array(0));
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    zero(a, undefined, null, b);
    expect([...a, ...b]).toEqual([0, 0, 0]);
  });
});
