/**
 * JSON and YAML can escape a lone UTF-16 surrogate (`"\ud800"`): a string no Unicode text holds,
 * which RFC 8785 canonicalisation, UTF-8 encoding and hashing cannot represent faithfully. Decoders
 * refuse such input up front, with a typed error, instead of failing deep inside a hash.
 */

/** In a `u` regex a paired surrogate is one code point, so \p{Cs} matches only a lone one. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The path (e.g. `sealed.key.label`) of the first string, or key, in `v` that is not Unicode text. */
export function loneSurrogatePath(v: unknown, at = ''): string | undefined {
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? at || '(value)' : undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = loneSurrogatePath(v[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const here = at ? `${at}.${k}` : k;
      if (LONE_SURROGATE.test(k)) return here;
      const p = loneSurrogatePath(x, here);
      if (p) return p;
    }
  }
  return undefined;
}
