/**
 * The byte scan (scansCanonical) must never vouch for a line RFC 8785 would spell otherwise: if it
 * did, the verifier would take a re-spelt entry, whose hash differs from the canonical one, as
 * canonical. Each case below is valid JSON that the full check refuses and a plausible slip in the
 * scan would accept (found by mutating canonical.ts: the property tests never generated them): a \u
 * escape of a character JSON.stringify writes raw or as a short escape, duplicate and prefix keys out
 * of order, -0 and exponents spelt otherwise. (A line the scan does not vouch for goes to the full
 * check, which decides: canonical.test.ts.)
 */
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { scansCanonical } from '../../../electron/core/transcript/canonical';

const full = (text: string): boolean => canonicalize(JSON.parse(text)) === text;
const scan = (text: string): boolean => {
  const b = Buffer.from(`x\n${text}\n{`, 'utf8');
  return scansCanonical(b, 2, b.length - 2);
};

const NOT_CANONICAL: [string, string][] = [
  ['a \\u escape of a character written raw, high byte not 00', '{"a":"\\u0110"}'],
  ['a \\u escape of a character written raw, second byte not 0', '{"a":"\\u1000"}'],
  ['a \\u escape of a printable ASCII character', '{"a":"\\u0041"}'],
  ['a \\u escape of a character past the control range', '{"a":"\\u0020"}'],
  ['\\u0008 where JSON.stringify writes \\b', '{"a":"\\u0008"}'],
  ['\\u0009 where JSON.stringify writes \\t', '{"a":"\\u0009"}'],
  ['\\u000a where JSON.stringify writes \\n', '{"a":"\\u000a"}'],
  ['\\u000c where JSON.stringify writes \\f', '{"a":"\\u000c"}'],
  ['\\u000d where JSON.stringify writes \\r', '{"a":"\\u000d"}'],
  ['an uppercase hex escape', '{"a":"\\u001F"}'],
  ['a duplicate key', '{"a":1,"a":2}'],
  ['a duplicate key in a nested object', '{"a":{"k":1,"k":1}}'],
  ['a key before its own prefix', '{"ab":1,"a":2}'],
  ['keys out of order', '{"b":1,"a":2}'],
  ['-0 (ECMAScript writes 0)', '{"a":-0}'],
  ['an exponent without its sign (ECMAScript writes 1e+21)', '{"a":1e21}'],
  ['an uppercase exponent', '{"a":1E+21}'],
  ['a fraction with a trailing zero', '{"a":1.50}'],
];

const CANONICAL: [string, string][] = [
  ['control characters as \\u00xx, lowercase', '{"a":"\\u0000\\u0001\\u000b\\u000e\\u001f"}'],
  ['the short escapes', '{"a":"\\b\\t\\n\\f\\r\\"\\\\"}'],
  ['keys in order, a prefix first', '{"a":1,"ab":2,"b":{"a":0,"b":-1}}'],
  ['0, whole numbers and a fraction', '{"a":[0,-15,123456789012345,1.5,1e+21]}'],
];

describe('the byte scan', () => {
  it.each(NOT_CANONICAL)('does not vouch for %s', (_what, text) => {
    expect(full(text)).toBe(false);
    expect(scan(text)).toBe(false);
  });

  it.each(CANONICAL)('vouches for %s, as the full check does', (_what, text) => {
    expect(full(text)).toBe(true);
    expect(scan(text)).toBe(true);
  });
});
