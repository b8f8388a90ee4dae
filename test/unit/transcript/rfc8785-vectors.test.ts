/**
 * A transcript line is accepted only in its RFC 8785 form, checked against the reference
 * implementation's own vectors (cyberphone/json-canonicalization, Apache-2.0; copied unchanged into
 * rfc8785-vectors/, see its README): each output file is accepted by the canonical-form check and
 * never refused by the byte scan for a reason of its own (the scan leaves escaped keys to the full
 * check), each input file, even with its whitespace removed, is refused by both, and an entry line
 * holding one is read, or refused and named (seq, byte offset, why) by the one reader of transcript
 * lines. The edge-case binary64 values of the reference's number generator (numgen.js staticU64s)
 * are accepted in ECMAScript's spelling and refused in every other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson, scansCanonical } from '../../../electron/core/transcript/canonical';
import { encodeEntry, hex, parseEntryLine, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { readEntryLines } from '../../../electron/core/transcript/entry-lines';
import { leafHash } from '../../../electron/core/transcript/merkle';

const DIR = path.join(__dirname, 'rfc8785-vectors');
const NAMES = readdirSync(path.join(DIR, 'input')).filter((f) => f.endsWith('.json')).sort();
const read = (kind: 'input' | 'output', name: string): string => readFileSync(path.join(DIR, kind, name), 'utf8');

/** The text without JSON whitespace outside strings: same keys, order and spellings as written. */
function minify(text: string): string {
  let out = '';
  let inString = false;
  let escape = false;
  for (const c of text) {
    if (inString) {
      out += c;
      if (escape) escape = false;
      else if (c === '\\') escape = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

const scan = (text: string): boolean => {
  const b = Buffer.from(`{"x":1}\n${text}\n[`, 'utf8');
  return scansCanonical(b, 8, b.length - 2);
};
const check = (text: string): boolean => isCanonicalJson(JSON.parse(text), text);
/** Whether any object key of v needs an escape in JSON (the byte scan then leaves the line to the full check). */
function hasEscapedKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasEscapedKey);
  return Object.entries(v).some(([k, x]) => JSON.stringify(k) !== `"${k}"` || hasEscapedKey(x));
}

const NOT_CANONICAL = 'not in RFC 8785 canonical form (bytes were changed)';

function entry(seq: number, prev: string, data: Record<string, unknown>): JournalEntry {
  return {
    v: 1, seq, time: '2026-01-01T00:00:00Z', ceremony: 'c-rfc8785', kind: 'step.note', step: 's',
    actor: { role: 'administrator', name: 'Ada' }, data, prev,
  } as JournalEntry;
}

/** Two entry lines: a plain one, then one whose data.vector is `vectorText` spelt as given. */
function twoLines(vectorText: string): { first: string; second: string } {
  const first = encodeEntry(entry(0, ZERO_HASH, { text: 'first' }));
  const prev = hex(leafHash(Buffer.from(first, 'utf8')));
  const placeholder = encodeEntry(entry(1, prev, { vector: 0 }));
  return { first, second: placeholder.replace('"data":{"vector":0}', `"data":{"vector":${vectorText}}`) };
}

describe('RFC 8785 reference vectors (cyberphone/json-canonicalization testdata)', () => {
  it('the canonical form of each input is the reference output, byte for byte', () => {
    expect(NAMES).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
    for (const name of NAMES) expect(canonicalize(JSON.parse(read('input', name))), name).toBe(read('output', name));
  });

  it.each(NAMES)('%s: the output is accepted by the canonical-form check and by the scan unless a key is escaped; the input, even minified, is refused by both', (name) => {
    const output = read('output', name);
    const value = JSON.parse(output) as unknown;
    expect(check(output)).toBe(true);
    expect(scan(output)).toBe(!hasEscapedKey(value));
    const input = read('input', name);
    expect(check(input)).toBe(false);
    expect(scan(input)).toBe(false);
    const flat = minify(input);
    // french.json's input is already in order and plainly spelt: minified, it is the output.
    if (flat === output) {
      expect(name).toBe('french.json');
    } else {
      expect(check(flat), flat).toBe(false);
      expect(scan(flat), flat).toBe(false);
    }
  });

  it.each(NAMES)('%s in an entry line: read in its RFC 8785 form; the minified input is refused, named by seq, byte offset and why', (name) => {
    const output = read('output', name);
    const good = twoLines(output);
    const ok = readEntryLines(Buffer.from(`${good.first}\n${good.second}\n`, 'utf8'));
    expect(ok.stop).toBeUndefined();
    expect(ok.entries[1]?.data).toEqual({ vector: JSON.parse(output) });
    expect(parseEntryLine(Buffer.from(good.second, 'utf8'))).toMatchObject({ ok: true });

    const flat = minify(read('input', name));
    if (flat === output) return;
    const bad = twoLines(flat);
    const buf = Buffer.from(`${bad.first}\n${bad.second}\n`, 'utf8');
    const r = readEntryLines(buf);
    expect(r.entries).toHaveLength(1);
    expect(r.stop).toEqual({ seq: 1, offset: Buffer.byteLength(bad.first, 'utf8') + 1, problem: { kind: 'malformed', why: NOT_CANONICAL } });
    // Whatever the decoding window (ASCII lines decoded together, others one by one), the same stop.
    for (const decodeWindow of [1, 64, 1 << 20]) expect(readEntryLines(buf, { decodeWindow }).stop).toEqual(r.stop);
  });
});

describe('the reference number generator\'s edge cases (numgen.js staticU64s)', () => {
  const { binary64_hex: HEX } = JSON.parse(readFileSync(path.join(DIR, 'numbers.json'), 'utf8')) as { binary64_hex: string[] };
  const value = (h: string): number => Buffer.from(h, 'hex').readDoubleBE(0);
  /** RFC 8785's spelling: ECMAScript's Number to String, -0 as 0. */
  const canonical = (n: number): string => (Object.is(n, -0) ? '0' : String(n));
  /** Other spellings of n that JSON.parse reads as the same number. */
  function respellings(n: number): string[] {
    const c = canonical(n);
    const [mantissa = '', exponent] = c.split('e');
    const withExp = (m: string): string => (exponent === undefined ? m : `${m}e${exponent}`);
    const out = [
      c.toUpperCase(), c.replace('e+', 'e'), `${c}e0`, `${c}E+0`, n.toPrecision(17), n.toExponential(),
      withExp(mantissa.includes('.') ? `${mantissa}0` : `${mantissa}.0`),
    ];
    if (Object.is(n, -0) || n === 0) out.push('-0', '0.0', '0e0');
    const same = (s: string): boolean => {
      try {
        return JSON.parse(s) === n;
      } catch {
        return false;
      }
    };
    return [...new Set(out)].filter((s) => s !== c && same(s));
  }

  it('holds the 168 values, RFC 8785 Appendix B\'s among them with the RFC\'s spelling', () => {
    expect(HEX).toHaveLength(168);
    const appendixB: Record<string, string> = {
      '0000000000000000': '0', '8000000000000000': '0', '0000000000000001': '5e-324', '8000000000000001': '-5e-324',
      '7fefffffffffffff': '1.7976931348623157e+308', ffefffffffffffff: '-1.7976931348623157e+308',
      '4340000000000000': '9007199254740992', c340000000000000: '-9007199254740992', '4430000000000000': '295147905179352830000',
      '44b52d02c7e14af5': '9.999999999999997e+22', '44b52d02c7e14af6': '1e+23', '44b52d02c7e14af7': '1.0000000000000001e+23',
      '444b1ae4d6e2ef4e': '999999999999999700000', '444b1ae4d6e2ef4f': '999999999999999900000', '444b1ae4d6e2ef50': '1e+21',
      '3eb0c6f7a0b5ed8c': '9.999999999999997e-7', '3eb0c6f7a0b5ed8d': '0.000001',
      '41b3de4355555553': '333333333.3333332', '41b3de4355555554': '333333333.33333325', '41b3de4355555555': '333333333.3333333',
      '41b3de4355555556': '333333333.3333334', '41b3de4355555557': '333333333.33333343',
      becbf647612f3696: '-0.0000033333333333333333', '43143ff3c1cb0959': '1424953923781206.2',
    };
    const padded = HEX.map((h) => h.padStart(16, '0'));
    for (const [bits, spelling] of Object.entries(appendixB)) {
      expect(padded, bits).toContain(bits);
      expect(canonical(value(bits))).toBe(spelling);
    }
  });

  it('each is accepted in its canonical spelling and refused in every other, by the check and by the scan', () => {
    let respelt = 0;
    for (const h of HEX) {
      const n = value(h.padStart(16, '0'));
      const c = canonical(n);
      expect(canonicalize(n)).toBe(c);
      for (const line of [c, `[${c}]`, `{"n":${c}}`, `{"a":[${c},${c}],"n":${c}}`]) {
        expect(check(line), line).toBe(true);
        expect(scan(line), line).toBe(true);
      }
      for (const other of respellings(n)) {
        respelt++;
        for (const line of [`[${other}]`, `{"n":${other}}`, `{"a":[${c},${other}]}`]) {
          expect(check(line), line).toBe(false);
          expect(scan(line), line).toBe(false);
        }
      }
    }
    expect(respelt).toBeGreaterThan(168 * 3);
  });

  it('an entry whose number is respelt is refused by the reader as not canonical, at that entry', () => {
    for (const h of HEX.slice(0, 40)) {
      const n = value(h.padStart(16, '0'));
      const other = respellings(n)[0] as string;
      const good = twoLines(canonical(n));
      expect(readEntryLines(Buffer.from(`${good.first}\n${good.second}\n`, 'utf8')).stop, h).toBeUndefined();
      const bad = twoLines(other);
      expect(readEntryLines(Buffer.from(`${bad.first}\n${bad.second}\n`, 'utf8')).stop, other).toEqual({
        seq: 1, offset: Buffer.byteLength(bad.first, 'utf8') + 1, problem: { kind: 'malformed', why: NOT_CANONICAL },
      });
    }
  });
});
