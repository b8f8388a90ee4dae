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
  if (JSON.stringify(value) === text && keysInOrder(value)) return true;
  return canonicalize(value) === text;
}

// A lone surrogate: JSON may escape one (\ud800), but it is not Unicode text, and RFC 8785 refuses it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function keysInOrder(v: unknown): boolean {
  if (typeof v === 'string') return !LONE_SURROGATE.test(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(keysInOrder);
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in o) {
    // String comparison in JavaScript is by UTF-16 code units, RFC 8785's order.
    if (prev !== undefined && !(prev < k)) return false;
    if (LONE_SURROGATE.test(k)) return false;
    if (!keysInOrder(o[k])) return false;
    prev = k;
  }
  return true;
}
