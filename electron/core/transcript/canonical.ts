/**
 * Whether a line is the RFC 8785 (JCS) form of the value JSON.parse made of it, cheaply. RFC 8785
 * writes numbers and strings exactly as ECMAScript's JSON.stringify does; what it adds is keys sorted
 * by UTF-16 code units. So when JSON.stringify(value) gives the line back and every object's keys are
 * already in that order, the line is canonical, decided by one native call and a walk over the keys.
 * Anything else (whitespace, another spelling of a number or escape, duplicate or unsorted keys, and
 * integer-like keys, which JavaScript objects reorder) goes to the full RFC 8785 serialisation.
 */
import canonicalize from 'canonicalize';

export function isCanonicalJson(value: unknown, text: string): boolean {
  // When JSON.stringify gives the text back, a lone surrogate in it is spelled \udxxx (stringify's
  // escape for one), so a text without "\ud" holds none and the per-string search can be skipped.
  if (JSON.stringify(value) === text && keysInOrder(value, text.includes('\\ud'))) return true;
  return canonicalize(value) === text;
}

// A lone surrogate: JSON may escape one (\ud800), but it is not Unicode text, and RFC 8785 refuses it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function keysInOrder(v: unknown, surrogates: boolean): boolean {
  if (typeof v === 'string') return !surrogates || !LONE_SURROGATE.test(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) {
    for (const x of v) if (!keysInOrder(x, surrogates)) return false;
    return true;
  }
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in o) {
    // String comparison in JavaScript is by UTF-16 code units, RFC 8785's order.
    if (prev !== undefined && !(prev < k)) return false;
    if (surrogates && LONE_SURROGATE.test(k)) return false;
    if (!keysInOrder(o[k], surrogates)) return false;
    prev = k;
  }
  return true;
}
