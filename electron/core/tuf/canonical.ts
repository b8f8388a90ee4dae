/**
 * What a TUF signature is over: the "signed" member of the metadata in TUF's canonical JSON (the
 * OLPC dialect: sorted keys, integers only, only `"` and `\` escaped, UTF-8), exactly as
 * @tufjs/canonical-json writes it — the same bytes tuf-js and python-tuf verify.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { tufError } from './errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject { [member: string]: JsonValue }

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Refuses what canonical JSON cannot encode the way every TUF implementation would: a number that
 * is not a safe integer (a float, 1e400, a version past 2^53) anywhere in the value.
 */
export function checkCanonicalEncodable(value: JsonValue, path = '$', what?: string): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw tufError('TUF_JSON_INVALID', `${what ? `${what}: ` : ''}${path} is ${value}: TUF's canonical JSON holds integers only, so this metadata cannot be signed.`,
        'Fix the file where it was written (a float or a too-large number is not valid TUF metadata).', { path });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkCanonicalEncodable(v, `${path}[${i}]`, what));
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) checkCanonicalEncodable(v, `${path}.${k}`, what);
  }
}

/** The canonical JSON bytes of a value: for a root, pass its "signed" member; these are the bytes signed. */
export function canonicalBytes(value: JsonValue): Uint8Array {
  checkCanonicalEncodable(value);
  return new Uint8Array(Buffer.from(canonicalize(value), 'utf8'));
}

/** SHA-256 (hex) of the canonical bytes: what the transcript records as "what was signed". */
export function canonicalSha256(value: JsonValue): string {
  return createHash('sha256').update(canonicalBytes(value)).digest('hex');
}

/** Parses metadata text; anything but a JSON object is refused with a typed error. */
export function parseJsonObject(text: string | Uint8Array, what: string): JsonObject {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(s.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw tufError('TUF_JSON_INVALID', `${what} is not JSON: ${(e as Error).message}.`, `Check that ${what} is the metadata file itself (root.json), whole and unedited.`);
  }
  if (!isJsonObject(value)) {
    throw tufError('TUF_JSON_INVALID', `${what} is JSON but not an object with "signed" and "signatures".`, `Check that ${what} is TUF root metadata (root.json).`);
  }
  return value;
}
