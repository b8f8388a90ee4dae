/**
 * The byte scan never vouches for a line RFC 8785 orders or spells otherwise, at the edges of what
 * it reads: a key that extends another by a character below the quote (space or "!") sorts after
 * it, whatever the quote that closes the shorter key; and a number ends where the line's range ends,
 * even when the bytes after the range would carry it on (the verifier's buffer holds the next line
 * there). A \u00xx escape is vouched for only in lowercase, for a control character.
 */
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { isCanonicalJson, scansCanonical } from '../../../electron/core/transcript/canonical';

const full = (text: string): boolean => canonicalize(JSON.parse(text)) === text;
const scan = (text: string): boolean => {
  const b = Buffer.from(`\n${text}\n`, 'utf8');
  return scansCanonical(b, 1, b.length - 1);
};

describe('keys that extend another by a character below the quote', () => {
  it.each(['!', ' ', '\u0021x'])('"a%s" after "a" is refused, before it is accepted, as the full check says', (tail) => {
    const before = `{"a${tail}":1,"a":2}`;
    const after = `{"a":2,"a${tail}":1}`;
    expect(full(before)).toBe(false);
    expect(scan(before)).toBe(false);
    expect(full(after)).toBe(true);
    expect(scan(after)).toBe(true);
  });
});

describe('a \\u00xx escape with an uppercase hex digit in either place', () => {
  it.each(['\\u00A0', '\\u00F7', '\\u001F', '\\u00Ff'])('%s is refused (JSON.stringify writes the character raw, or in lowercase)', (escape) => {
    const text = `{"a":"${escape}"}`;
    expect(full(text)).toBe(false);
    expect(scan(text)).toBe(false);
  });
});

describe('a number at the end of the range', () => {
  it('is read up to the end only: "1" followed by ".0" or "0" outside the range is still canonical "1"', () => {
    expect(scansCanonical(Buffer.from('1.0'), 0, 1)).toBe(true);
    expect(scansCanonical(Buffer.from('[1]1.0'), 3, 4)).toBe(true);
    expect(scansCanonical(Buffer.from('-0.5'), 0, 2)).toBe(false);
    expect(scansCanonical(Buffer.from('1.50'), 0, 3)).toBe(true);
  });
});

describe('the check never takes an escaped lone surrogate, even where it is the only string', () => {
  it.each(['"\\ud800"', '["\\udc00"]', '{"a":"\\ud83d"}'])('%s: refused (RFC 8785 has no form for it)', (text) => {
    let accepted: boolean;
    try {
      accepted = isCanonicalJson(JSON.parse(text), text);
    } catch {
      accepted = false;
    }
    expect(accepted).toBe(false);
  });
});
