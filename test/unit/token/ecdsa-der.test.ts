/**
 * The one ECDSA DER codec, fuzzed: every r||s round-trips; every byte string the strict decoder
 * accepts re-encodes to itself (one encoding per signature); the decoder fails only with a typed
 * error; and what it accepts, OpenSSL's (node:crypto's) DER parser also accepts as a signature.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../electron/core/token/ecdsa-der';

const SIZES = [32, 48, 66];

function decodes(der: Uint8Array, size: number): Uint8Array | undefined {
  try {
    return ecdsaDerToRaw(der, size);
  } catch (e) {
    expect((e as { code?: string }).code).toBe('SIGNATURE_MALFORMED');
    return undefined;
  }
}

describe('ECDSA DER codec', () => {
  it('round-trips r||s for every curve size', () => {
    fc.assert(fc.property(fc.constantFrom(...SIZES).chain((n) => fc.tuple(fc.constant(n), fc.uint8Array({ minLength: 2 * n, maxLength: 2 * n }))), ([n, raw]) => {
      // r and s are non-zero: ECDSA never makes a zero.
      fc.pre(raw.subarray(0, n).some((b) => b !== 0) && raw.subarray(n).some((b) => b !== 0));
      expect(ecdsaDerToRaw(ecdsaRawToDer(raw), n)).toEqual(raw);
    }), { numRuns: 2000 });
  });

  it('accepts only canonical DER: whatever it decodes re-encodes to the same bytes; anything else is a typed error', () => {
    const mutated = fc.tuple(fc.constantFrom(...SIZES), fc.uint8Array({ minLength: 64, maxLength: 132 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.integer({ min: -2, max: 2 }));
    fc.assert(fc.property(mutated, ([n, seed, edits, cut]) => {
      const raw = seed.subarray(0, 2 * n).length === 2 * n ? seed.subarray(0, 2 * n) : new Uint8Array(2 * n).fill(1);
      const der = Array.from(ecdsaRawToDer(new Uint8Array(raw).map((b) => b || 1)));
      for (const [at, v] of edits) der[at % der.length] = v;
      const bytes = new Uint8Array(cut >= 0 ? [...der, ...new Array<number>(cut).fill(0)] : der.slice(0, cut));
      const out = decodes(bytes, n);
      if (out) expect(ecdsaRawToDer(out)).toEqual(bytes);
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), fc.constantFrom(...SIZES), (bytes, n) => {
      const out = decodes(bytes, n);
      if (out) expect(ecdsaRawToDer(out)).toEqual(bytes);
    }), { numRuns: 5000 });
  });

  it('refuses the classic malleations: a needless leading zero, a negative integer, long-form short lengths, trailing bytes', () => {
    const der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07];
    expect(decodes(new Uint8Array(der), 32)).toBeDefined();
    expect(decodes(new Uint8Array([0x30, 0x07, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x07]), 32)).toBeUndefined();
    expect(decodes(new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07]), 32)).toBeUndefined();
    expect(decodes(new Uint8Array([0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]), 32)).toBeUndefined();
    expect(decodes(new Uint8Array([...der, 0]), 32)).toBeUndefined();
    expect(decodes(new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x07]), 32)).toBeUndefined();
  });

  it('agrees with OpenSSL on real signatures of every curve', () => {
    for (const [curve, n] of [['P-256', 32], ['P-384', 48], ['P-521', 66]] as const) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      for (let i = 0; i < 20; i++) {
        const msg = Buffer.from(`message ${i}`);
        const derSig = new Uint8Array(sign('sha256', msg, privateKey));
        const raw = ecdsaDerToRaw(derSig, n);
        expect(verify('sha256', msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
        expect(ecdsaRawToDer(raw)).toEqual(derSig);
      }
    }
  });
});
