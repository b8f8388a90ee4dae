/**
 * PKCS#11 URIs (RFC 7512): one parser and one printer, so a token named in a script, shown by
 * `keyrite tokens` and recorded in the transcript is the same text everywhere.
 * Values are UTF-8 after percent-decoding, except `id`, which is raw bytes (CKA_ID).
 */
import { KeyriteError } from '../util/errors';

/** Path attributes (RFC 7512 2.3): what identifies the library, slot, token and object. */
export const PATH_ATTRIBUTES = [
  'token', 'manufacturer', 'serial', 'model', 'library-manufacturer', 'library-description',
  'library-version', 'object', 'type', 'id', 'slot-description', 'slot-manufacturer', 'slot-id',
] as const;
export type PathAttribute = (typeof PATH_ATTRIBUTES)[number];

/** Query attributes: how to reach the module and where the PIN comes from. */
export const QUERY_ATTRIBUTES = ['pin-source', 'pin-value', 'module-name', 'module-path'] as const;
export type QueryAttribute = (typeof QUERY_ATTRIBUTES)[number];

export const OBJECT_TYPES = ['public', 'private', 'cert', 'secret-key', 'data'] as const;

export interface Pkcs11Uri {
  /** Standard path attributes, decoded (id as lowercase hex of its bytes). */
  path: Partial<Record<PathAttribute, string>>;
  query: Partial<Record<QueryAttribute, string>>;
  /** Vendor-specific attributes kept in order, decoded: [name, value]. */
  vendorPath: [string, string][];
  vendorQuery: [string, string][];
}

const SCHEME = 'pkcs11:';
const UNRESERVED = 'A-Za-z0-9\\-._~';
const RES_AVAIL = ':\\[\\]@!$\'()*+,=';
/** Characters a path value may carry unescaped (RFC 7512 pk11-pchar, with "&"). */
const PATH_CHAR = new RegExp(`^[${UNRESERVED}${RES_AVAIL}&]$`);
/** Characters a query value may carry unescaped (pk11-qchar, with "/", "?" and "|"). */
const QUERY_CHAR = new RegExp(`^[${UNRESERVED}${RES_AVAIL}/?|]$`);
const ATTR_NAME = /^[A-Za-z0-9_-]+$/;

function bad(uri: string, why: string): KeyriteError {
  return new KeyriteError('PKCS11_URI_INVALID', `"${redactUri(uri)}" is not a valid PKCS#11 URI (RFC 7512): ${why}.`, {
    action: 'Write it as pkcs11:token=LABEL;serial=SERIAL?module-path=/path/to/module.so, percent-encoding spaces and ";", "?", "%", "/".',
  });
}

/** The URI with any pin-value blanked: an invalid URI is echoed in errors, and a PIN must never be. */
export function redactUri(uri: string): string {
  return uri.replace(/([?&]pin-value=)[^&]*/gi, '$1***');
}

function decodeBytes(uri: string, text: string, allowed: RegExp): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw bad(uri, `"%${hex}" is not a percent-encoded byte`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (allowed.test(c)) {
      out.push(...new TextEncoder().encode(c));
    } else {
      throw bad(uri, `the character "${c}" must be percent-encoded`);
    }
  }
  return Uint8Array.from(out);
}

function decodeText(uri: string, name: string, text: string, allowed: RegExp): string {
  const bytes = decodeBytes(uri, text, allowed);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bad(uri, `the value of ${name} is not UTF-8 text`);
  }
}

function splitPair(uri: string, part: string): [string, string] {
  const eq = part.indexOf('=');
  if (eq <= 0) throw bad(uri, `"${part}" is not name=value`);
  const name = part.slice(0, eq).toLowerCase();
  if (!ATTR_NAME.test(name)) throw bad(uri, `"${name}" is not an attribute name`);
  return [name, part.slice(eq + 1)];
}

/** Parses a PKCS#11 URI; throws PKCS11_URI_INVALID naming what is wrong (a pin-value is never echoed). */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (uri.slice(0, SCHEME.length).toLowerCase() !== SCHEME) throw bad(uri, 'it does not start with "pkcs11:"');
  const rest = uri.slice(SCHEME.length);
  const q = rest.indexOf('?');
  const pathText = q < 0 ? rest : rest.slice(0, q);
  const queryText = q < 0 ? '' : rest.slice(q + 1);
  const parsed: Pkcs11Uri = { path: {}, query: {}, vendorPath: [], vendorQuery: [] };
  for (const part of pathText === '' ? [] : pathText.split(';')) {
    const [name, raw] = splitPair(uri, part);
    if ((QUERY_ATTRIBUTES as readonly string[]).includes(name)) throw bad(uri, `${name} belongs in the query (after "?"), not the path`);
    if (!(PATH_ATTRIBUTES as readonly string[]).includes(name)) {
      parsed.vendorPath.push([name, decodeText(uri, name, raw, PATH_CHAR)]);
      continue;
    }
    const key = name as PathAttribute;
    if (parsed.path[key] !== undefined) throw bad(uri, `${name} appears twice in the path`);
    parsed.path[key] = key === 'id' ? Buffer.from(decodeBytes(uri, raw, PATH_CHAR)).toString('hex') : decodeText(uri, name, raw, PATH_CHAR);
  }
  for (const part of queryText === '' ? [] : queryText.split('&')) {
    const [name, raw] = splitPair(uri, part);
    if ((PATH_ATTRIBUTES as readonly string[]).includes(name)) throw bad(uri, `${name} belongs in the path (before "?"), not the query`);
    const value = decodeText(uri, name, raw, QUERY_CHAR);
    if (!(QUERY_ATTRIBUTES as readonly string[]).includes(name)) {
      parsed.vendorQuery.push([name, value]);
      continue;
    }
    const key = name as QueryAttribute;
    if (parsed.query[key] !== undefined) throw bad(uri, `${name} appears twice in the query`);
    parsed.query[key] = value;
  }
  checkValues(uri, parsed);
  return parsed;
}

function checkValues(uri: string, p: Pkcs11Uri): void {
  const v = p.path['library-version'];
  if (v !== undefined && !/^\d+(\.\d+)?$/.test(v)) throw bad(uri, `library-version "${v}" is not M or M.N`);
  const t = p.path.type;
  if (t !== undefined && !(OBJECT_TYPES as readonly string[]).includes(t)) throw bad(uri, `type "${t}" is not one of ${OBJECT_TYPES.join(', ')}`);
  const s = p.path['slot-id'];
  if (s !== undefined && !/^\d+$/.test(s)) throw bad(uri, `slot-id "${s}" is not a decimal number`);
  if (p.query['module-name'] !== undefined && p.query['module-path'] !== undefined) throw bad(uri, 'give module-name or module-path, not both');
}

function encode(text: string | Uint8Array, allowed: RegExp): string {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && allowed.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Prints the URI in RFC 7512's attribute order; `id` is always fully percent-encoded (it is bytes). */
export function formatPkcs11Uri(u: Partial<Pkcs11Uri>): string {
  const path: string[] = [];
  for (const name of PATH_ATTRIBUTES) {
    const value = u.path?.[name];
    if (value === undefined) continue;
    path.push(`${name}=${name === 'id' ? [...Buffer.from(value, 'hex')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('') : encode(value, PATH_CHAR)}`);
  }
  for (const [name, value] of u.vendorPath ?? []) path.push(`${name}=${encode(value, PATH_CHAR)}`);
  const query: string[] = [];
  for (const name of QUERY_ATTRIBUTES) {
    const value = u.query?.[name];
    if (value !== undefined) query.push(`${name}=${encode(value, QUERY_CHAR)}`);
  }
  for (const [name, value] of u.vendorQuery ?? []) query.push(`${name}=${encode(value, QUERY_CHAR)}`);
  return `${SCHEME}${path.join(';')}${query.length ? `?${query.join('&')}` : ''}`;
}

/** The URI naming one token: what `keyrite tokens` prints and the transcript records (no PIN, ever). */
export function tokenUri(t: { label: string; serial: string; model?: string; manufacturer?: string }, modulePath?: string): string {
  return formatPkcs11Uri({
    path: { token: t.label, ...(t.manufacturer ? { manufacturer: t.manufacturer } : {}), serial: t.serial, ...(t.model ? { model: t.model } : {}) },
    query: modulePath ? { 'module-path': modulePath } : {},
  });
}
