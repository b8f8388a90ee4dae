/**
 * The canonical-form check's fast path (JSON.stringify + key order) against the full RFC 8785
 * serialisation, on RFC 8785's own vectors (Appendix B numbers, the key-sorting example of 3.2.3)
 * and on generated JSON: it accepts exactly the lines the full check accepts.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson } from '../../../electron/core/transcript/canonical';
import { parseEntryText } from '../../../electron/core/transcript/entry-codec';

const full = (text: string): boolean => canonicalize(JSON.parse(text)) === text;
const check = (text: string): boolean => isCanonicalJson(JSON.parse(text), text);

// RFC 8785 Appendix B: IEEE 754 binary64 (hex) and its one canonical spelling.
const APPENDIX_B: Array<[string, string]> = [
  ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'], ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'], ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
];

/** Other spellings of the same number, none canonical. */
function respellings(canonical: string): string[] {
  const [mantissa = '', exponent] = canonical.split('e');
  const out = [canonical.toUpperCase(), canonical.replace('e+', 'e'), ` ${canonical}`, `${canonical}e0`, `${canonical}E+0`];
  out.push(mantissa.includes('.') ? `${mantissa}0${exponent ? `e${exponent}` : ''}` : `${mantissa}.0${exponent ? `e${exponent}` : ''}`);
  if (canonical === '0') out.push('-0', '0.0', '0e0', '-0.0');
  const same = (s: string): boolean => {
    try {
      const n = JSON.parse(s) as number;
      return n === Number(canonical);
    } catch {
      return false;
    }
  };
  return out.filter((s) => s !== canonical && same(s));
}

describe('isCanonicalJson on RFC 8785 vectors', () => {
  it('Appendix B numbers: the canonical spelling of each binary64 is accepted, every other spelling refused', () => {
    for (const [bits, spelling] of APPENDIX_B) {
      const n = Buffer.from(bits, 'hex').readDoubleBE(0);
      expect(String(Object.is(n, -0) ? 0 : n)).toBe(spelling);
      const line = `{"a":[${spelling}],"n":${spelling}}`;
      expect(check(line)).toBe(true);
      expect(full(line)).toBe(true);
      for (const other of respellings(spelling)) {
        const bad = `{"a":[${other}],"n":${other}}`;
        expect(check(bad), bad).toBe(false);
        expect(full(bad)).toBe(false);
      }
    }
  });

  it('3.2.3 key order (UTF-16 code units, integer-like key "1" included): sorted is accepted, any other order refused', () => {
    const sorted = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const line = (keys: string[]) => `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(`value of ${k}`)}`).join(',')}}`;
    expect(check(line(sorted))).toBe(true);
    expect(full(line(sorted))).toBe(true);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const swapped = [...sorted];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1] as string, swapped[i] as string];
      expect(check(line(swapped))).toBe(false);
    }
    // JavaScript objects put integer-like keys first: "1" before "\r" must still be refused.
    expect(check('{"1":1,"\\r":2}')).toBe(false);
    expect(check('{"10":1,"9":2}')).toBe(true);
    expect(check('{"9":2,"10":1}')).toBe(false);
  });

  it('refuses whitespace, duplicate keys and non-canonical escapes', () => {
    for (const bad of ['{"a": 1}', '{"a":1,"a":1}', '{"a":"\\u0041"}', '{"a":"\\/"}', '{"a":"\\u001F"}', '[1 ,2]']) expect(check(bad), bad).toBe(false);
    for (const good of ['{"a":"\\u001f"}', '{"a":"\\n\\"\\\\"}', '{"a":"é€😀"}', '[]', '{}']) expect(check(good), good).toBe(true);
  });
});

describe('isCanonicalJson agrees with the full RFC 8785 check', () => {
  it('on generated JSON, in its canonical form and in JSON.stringify form', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const canonical = canonicalize(v) as string;
        expect(check(canonical)).toBe(true);
        const plain = JSON.stringify(v);
        expect(check(plain)).toBe(full(plain));
        const spaced = JSON.stringify(v, null, 1);
        expect(check(spaced)).toBe(full(spaced));
      }),
      { numRuns: 2000 },
    );
  });

  it('is what the journal parser uses: a re-ordered entry line is refused as not canonical', () => {
    const line = '{"actor":{"name":"Ada","role":"administrator"},"ceremony":"c1","data":{"a":1,"b":2},"kind":"step.note","prev":"' + '0'.repeat(64) + '","seq":0,"step":"s","time":"2026-11-28T09:00:00Z","v":1}';
    expect(parseEntryText(line, line.length).ok).toBe(true);
    const reordered = line.replace('"data":{"a":1,"b":2}', '"data":{"b":2,"a":1}');
    expect(parseEntryText(reordered, reordered.length)).toEqual({ ok: false, why: 'not in RFC 8785 canonical form (bytes were changed)' });
  });
});
