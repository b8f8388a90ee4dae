/**
 * The canonical-form check's fast paths (JSON.stringify + key order; the byte scan the streaming
 * verifier uses) against the full RFC 8785 serialisation, on RFC 8785's own vectors (Appendix B
 * numbers, the key-sorting example of 3.2.3) and on generated JSON: the first accepts exactly the
 * lines the full check accepts; the scan never accepts a line the full check refuses, and accepts
 * the canonical lines a journal writes.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson, scansCanonical } from '../../../electron/core/transcript/canonical';
import { parseEntryText } from '../../../electron/core/transcript/entry-codec';

const full = (text: string): boolean => canonicalize(JSON.parse(text)) === text;
const check = (text: string): boolean => isCanonicalJson(JSON.parse(text), text);
/** No lone surrogate (with the u flag a pair is one code point, a lone one is in category Cs). */
const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);
/**
 * The byte scan on the text's UTF-8, framed by other bytes (it reads only [start, end)). A text with
 * a lone surrogate has no UTF-8 form, so the scan never sees one: the reader decodes bytes fatally.
 */
const scan = (text: string): boolean => {
  if (!wellFormed(text)) throw new Error('no UTF-8 form');
  const b = Buffer.from(`x\n${text}\n{`, 'utf8');
  return scansCanonical(b, 2, b.length - 2);
};
/** The full check, as the verifier's fallback runs it: a lone surrogate is a refusal (a throw). */
const fullOrRefused = (text: string): boolean => {
  try {
    return full(text);
  } catch {
    return false;
  }
};

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

describe('scansCanonical (the byte scan) on RFC 8785 vectors', () => {
  it('Appendix B numbers: accepts each canonical spelling, never another spelling of the same number', () => {
    for (const [, spelling] of APPENDIX_B) {
      expect(scan(`{"a":[${spelling}],"n":${spelling}}`), spelling).toBe(true);
      expect(scan(`${spelling}`), spelling).toBe(true);
      for (const other of respellings(spelling)) expect(scan(`{"a":[${other}],"n":${other}}`), other).toBe(false);
    }
    // Whole numbers: the digit-only path stops at 15 digits; past it, writing the number back decides.
    for (const good of ['0', '-1', '7', '100000000000000', '999999999999999', '-999999999999999', '9007199254740992', '1e+21', '0.5', '-0.000001', '1e-7']) expect(scan(good), good).toBe(true);
    for (const bad of ['-0', '01', '-01', '1.0', '1E+21', '1e21', '1000000000000000000000', '9007199254740993', '0.50', '1e-07', '5e-1']) {
      expect(scan(bad), bad).toBe(false);
      expect(fullOrRefused(bad), bad).toBe(false);
    }
  });

  it('3.2.3 key order by UTF-16 code units, compared on UTF-8 bytes (a character past U+FFFF before U+FB33)', () => {
    const sorted = ['1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const line = (keys: string[]) => `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(`value of ${k}`)}`).join(',')}}`;
    expect(scan(line(sorted))).toBe(true);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const swapped = [...sorted];
        [swapped[i], swapped[j]] = [swapped[j] as string, swapped[i] as string];
        expect(scan(line(swapped)), JSON.stringify(swapped)).toBe(false);
        expect(full(line(swapped))).toBe(false);
      }
    }
    // Raw keys compare as code units, so an integer-like key takes no place of its own.
    expect(scan('{"10":1,"9":2}')).toBe(true);
    expect(scan('{"9":2,"10":1}')).toBe(false);
    expect(scan('{"a":1,"ab":2,"b":{"a":[{"z":1}],"b":2},"c":3}')).toBe(true);
    expect(scan('{"a":1,"b":{"a":1,"c":2},"b2":3}')).toBe(true);
    // A key's place is among its own object's keys, whatever nested objects hold.
    expect(scan('{"b":{"z":1},"a":2}')).toBe(false);
    expect(scan('{"a":{"z":1},"b":{"a":2}}')).toBe(true);
  });

  it('refuses whitespace, duplicate keys and non-canonical escapes; leaves escaped keys and lone surrogates to the full check', () => {
    for (const bad of ['{"a": 1}', '{"a":1 }', ' {}', '{}\t', '{"a":1,"a":1}', '{"a":"\\u0041"}', '{"a":"\\/"}', '{"a":"\\u001F"}', '{"a":"\\u000a"}', '{"a":"\\u0008"}', '[1 ,2]', '[true, false]']) {
      expect(scan(bad), bad).toBe(false);
      expect(full(bad), bad).toBe(false);
    }
    for (const good of ['{"a":"\\u001f"}', '{"a":"\\u0000\\u000b\\u000e\\u0010"}', '{"a":"\\n\\"\\\\\\b\\f\\r\\t"}', '{"a":"é€😀\u007f\u2028"}', '[]', '{}', '[null,true,false,"",{}]', '"x"', 'null']) {
      expect(scan(good), good).toBe(true);
      expect(full(good), good).toBe(true);
    }
    // Canonical, but the scan would have to decode the key, or it is not Unicode text: the full check decides.
    for (const undecided of ['{"\\n":1}', '{"a\\"b":1}', '{"a":"\\ud800"}', '{"a":"\\udc00x"}']) expect(scan(undecided), undecided).toBe(false);
    expect(check('{"\\n":1}')).toBe(true);
    expect(fullOrRefused('{"a":"\\ud800"}')).toBe(false);
  });

  it('follows 64 levels of nesting and leaves deeper ones to the full check', () => {
    const nest = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expect(scan(nest(64))).toBe(true);
    expect(scan(nest(65))).toBe(false);
    expect(scan(`{"a":${nest(63)}}`)).toBe(true);
    expect(scan(`{"a":${nest(64)}}`)).toBe(false);
    expect(full(nest(65))).toBe(true);
  });

  it('reads only its range: the bytes around a line do not change the answer', () => {
    const b = Buffer.from('{"a": 1}{"a":1}{"b":1,"a":2}', 'utf8');
    expect(scansCanonical(b, 0, 8)).toBe(false);
    expect(scansCanonical(b, 8, 15)).toBe(true);
    expect(scansCanonical(b, 15, b.length)).toBe(false);
    // A string running to the end of the range is not one the scan can vouch for.
    expect(scansCanonical(Buffer.from('"abc"'), 0, 4)).toBe(false);
  });
});

/** JSON text of v with its keys in the order given, numbers and strings spelled as `num` and JSON.stringify spell them. */
function spell(v: unknown, order: (keys: string[]) => string[], num: (n: number) => string, str: (s: string) => string): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return str(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => spell(x, order, num, str)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${order(Object.keys(o)).map((k) => `${str(k)}:${spell(o[k], order, num, str)}`).join(',')}}`;
}

/** Whether the scan can decide v's canonical text alone: no key needs an escape, no lone surrogate. */
function scannable(v: unknown): boolean {
  if (typeof v === 'string') return wellFormed(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(scannable);
  return Object.entries(v).every(([k, x]) => JSON.stringify(k) === `"${k}"` && scannable(x));
}

describe('scansCanonical never accepts a line the full RFC 8785 check refuses', () => {
  const sortKeys = (ks: string[]) => [...ks].sort();
  // ASCII strings, and any code points (lone surrogates included).
  const json = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }));
  const numberSpelling = fc.constantFrom<(n: number) => string>(
    (n) => String(n), (n) => n.toExponential(), (n) => n.toFixed(2), (n) => `${n}.0`, (n) => `${n}e0`, (n) => (Object.is(n, 0) ? '-0' : String(n)), (n) => n.toPrecision(17),
  );
  const stringSpelling = fc.constantFrom<(s: string) => string>(
    (s) => JSON.stringify(s),
    (s) => JSON.stringify(s).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    (s) => JSON.stringify(s).replace(/\//g, '\\/'),
    (s) => JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, (_m, h: string) => `\\u00${h.toUpperCase()}`),
  );

  it('on generated JSON written canonically: accepted whenever no key needs an escape', () => {
    fc.assert(
      fc.property(json, (v) => {
        let text: string;
        try {
          text = canonicalize(v) as string;
        } catch {
          // A lone surrogate: RFC 8785 has no form for it (the scan's refusal of its escape is tested above).
          return;
        }
        if (scannable(v)) expect(scan(text), text).toBe(true);
        if (scan(text)) expect(fullOrRefused(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('on generated JSON respelt (key order, numbers, escapes, whitespace, duplicate keys): scan => full check', () => {
    fc.assert(
      fc.property(
        json, fc.boolean(), numberSpelling, stringSpelling, fc.integer({ min: 0, max: 3 }), fc.nat(),
        (v, shuffle, num, str, edit, at) => {
          const order = shuffle ? (ks: string[]) => [...ks].reverse() : sortKeys;
          let text = spell(v, order, num, str);
          if (edit === 1) text = `${text.slice(0, at % (text.length + 1))} ${text.slice(at % (text.length + 1))}`;
          if (edit === 2) text = text.replace(/\{"([^"\\]*)":([^,}{[\]]*)/, '{"$1":$2,"$1":$2');
          if (edit === 3) text = text.replace(/,/, ',\n');
          let parsed = true;
          try {
            JSON.parse(text);
          } catch {
            parsed = false;
          }
          if (parsed && wellFormed(text) && scan(text)) expect(fullOrRefused(text), text).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('on random JSON texts from JSON\'s own characters: scan => full check', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"b"', '"é"', '"😀"', '"\\u001f"', '"\\u00e9"', '"\\n"', '"\\/"', '0', '-0', '1', '1.5', '1e2', '10', 'true', 'null', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        try {
          JSON.parse(text);
        } catch {
          return;
        }
        if (scan(text)) expect(fullOrRefused(text), text).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});
