/**
 * One journal line <-> one entry. A line is accepted only if it is exactly the RFC 8785 (JCS)
 * encoding of a well-formed entry, so there is one byte string per entry and any change to a byte
 * changes its hash.
 */
import canonicalize from 'canonicalize';
import { KeyriteError } from '../util/errors';
import { isCanonicalJson } from './canonical';
import type { JournalEntry } from './entry-kinds';

export const ZERO_HASH = '0'.repeat(64);

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

const ENTRY_KEYS = ['actor', 'ceremony', 'data', 'kind', 'prev', 'seq', 'step', 'time', 'v'];
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const HASH_RE = /^[0-9a-f]{64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JCS would silently drop undefined and write NaN as null: refuse both, so what is hashed is what was
 * meant. `inside`: the arrays and objects that contain v (a value that contains itself has no JSON form).
 */
function plainJsonProblem(v: unknown, at: string, inside = new Set<object>()): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${at} is ${v}`;
  if (Array.isArray(v) || (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null))) {
    if (inside.has(v)) return `${at} contains itself`;
    inside.add(v);
    try {
      const items: [string, unknown][] = Array.isArray(v) ? Array.from(v, (x, i): [string, unknown] => [`${at}[${i}]`, x]) : Object.entries(v).map(([k, x]) => [`${at}.${k}`, x]);
      for (const [where, x] of items) {
        const p = plainJsonProblem(x, where, inside);
        if (p) return p;
      }
      return undefined;
    } finally {
      inside.delete(v);
    }
  }
  return `${at} is a ${typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v}, not plain JSON`;
}

export function encodeEntry(entry: JournalEntry): string {
  const plain = plainJsonProblem(entry, 'entry');
  if (plain) {
    throw new KeyriteError('ENTRY_NOT_JSON', `Entry data cannot be written as JSON: ${plain}.`, {
      action: 'This is a bug in the step that wrote the entry: data must be plain JSON (no NaN, Infinity, undefined, Dates or byte arrays).',
    });
  }
  let text: string;
  try {
    // A plain JSON object (checked above) always has a JSON form.
    text = canonicalize(entry) as string;
  } catch (e) {
    throw new KeyriteError('ENTRY_NOT_JSON', `Entry data cannot be written as JSON: ${(e as Error).message}.`, {
      action: 'This is a bug in the step that wrote the entry: data must be plain JSON (no NaN, Infinity, functions or cycles).',
    });
  }
  const problem = entryShapeProblem(JSON.parse(text) as unknown);
  if (problem) throw new KeyriteError('ENTRY_INVALID', `Entry ${(entry as Partial<JournalEntry> | null)?.seq} is not well formed: ${problem}.`, { action: 'This is a bug in the step that wrote the entry.' });
  return text;
}

/** Whether the object's keys are ENTRY_KEYS in that order (a canonical line's), without sorting a copy. */
function hasEntryKeysInOrder(o: Record<string, unknown>): boolean {
  let i = 0;
  for (const k in o) if (k !== ENTRY_KEYS[i++]) return false;
  return i === ENTRY_KEYS.length;
}

/**
 * What is wrong with the shape of a parsed entry, or undefined. `knownPrev`: a hash the caller
 * already knows to be well formed (the previous entry's); a prev equal to it needs no pattern test.
 */
export function entryShapeProblem(v: unknown, knownPrev?: string): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (!hasEntryKeysInOrder(o)) {
    const keys = Object.keys(o).sort();
    if (keys.join(',') !== ENTRY_KEYS.join(',')) return `fields are [${keys.join(', ')}], expected [${ENTRY_KEYS.join(', ')}]`;
  }
  if (o.v !== 1) return `format version ${JSON.stringify(o.v)} is not 1`;
  if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 0) return 'seq is not a whole number';
  if (typeof o.time !== 'string' || !TIME_RE.test(o.time) || Number.isNaN(Date.parse(o.time))) return 'time is not a UTC ISO 8601 time';
  if (typeof o.ceremony !== 'string' || o.ceremony.length === 0) return 'ceremony id is missing';
  if (typeof o.kind !== 'string' || o.kind.length === 0) return 'kind is missing';
  if (typeof o.step !== 'string') return 'step is not a string';
  const a = o.actor as Record<string, unknown> | null;
  if (typeof a !== 'object' || a === null || typeof a.role !== 'string' || typeof a.name !== 'string' || Object.keys(a).length !== 2) {
    return 'actor is not { role, name }';
  }
  if (typeof o.prev !== 'string' || (o.prev !== knownPrev && !HASH_RE.test(o.prev))) return 'prev is not a 64-digit hex hash';
  return undefined;
}

export type ParsedLine = { ok: true; entry: JournalEntry } | { ok: false; why: string };

/** Parses one line (without its newline) and checks it is canonical and well formed. */
export function parseEntryLine(line: Uint8Array, knownPrev?: string): ParsedLine {
  if (!(line instanceof Uint8Array)) return { ok: false, why: 'not a line of bytes' };
  let text: string;
  try {
    text = utf8.decode(line);
  } catch {
    return { ok: false, why: 'not valid UTF-8' };
  }
  return parseEntryText(text, line.length, knownPrev);
}

/** Same as parseEntryLine, for a line already decoded. */
export function parseEntryText(text: string, _byteLength: number, knownPrev?: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: `not valid JSON (${(e as Error).message})` };
  }
  const shape = entryShapeProblem(value, knownPrev);
  if (shape) return { ok: false, why: shape };
  let canonical: boolean;
  try {
    canonical = isCanonicalJson(value, text);
  } catch {
    // JSON may escape a lone surrogate (\ud800) that no Unicode text holds, and JCS refuses it.
    return { ok: false, why: 'not Unicode text: a string holds an escaped lone surrogate' };
  }
  if (!canonical) return { ok: false, why: 'not in RFC 8785 canonical form (bytes were changed)' };
  return { ok: true, entry: value as JournalEntry };
}
