/**
 * Reads and checks a TUF root.json (TUF specification 1.x, section 4.3): the "signed" part with its
 * spec version, version, expiry, consistent_snapshot, keys and the four top-level roles, and the
 * signatures. What would make tuf-js or python-tuf refuse the file is refused here with a typed
 * error naming the field; what they accept but a person should see is a note.
 * The signed part is kept exactly as read: it is what canonical JSON encodes and what is signed.
 */
import { publicKeyFingerprint } from '../token/verify';
import { checkCanonicalEncodable, isJsonObject, parseJsonObject, type JsonObject } from './canonical';
import { tufError } from './errors';
import { tufKeyId, tufPublicKey } from './keys';

export const TOP_LEVEL_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;
export type TopLevelRole = (typeof TOP_LEVEL_ROLES)[number];

export interface TufSignature { keyid: string; sig: string }

export interface RootKeyView {
  keyid: string;
  keytype: string;
  scheme: string;
  /** SHA-256 (hex) of the key's SPKI, when it is a key TUF clients verify with. */
  fingerprint?: string;
  /** Why TUF clients cannot verify with this key (an unknown scheme), when they cannot. */
  unusable?: string;
  /** False when the keyid is not the SHA-256 of the key object's canonical JSON (clients do not check; people should know). */
  keyidIsContentHash: boolean;
  /** The top-level roles listing this keyid. */
  roles: TopLevelRole[];
}

export interface RoleView { keyids: string[]; threshold: number }

/** A finding that does not stop the ceremony but is shown and journaled. */
export interface RootNote {
  code: 'TUF_KEYID_NOT_CONTENT_HASH' | 'TUF_KEY_UNUSABLE' | 'TUF_KEY_UNUSED' | 'TUF_SIGNATURE_EMPTY' | 'TUF_EXPIRES_FRACTION';
  message: string;
  /** The key or signature the note is about (absent for a note on the root as a whole). */
  keyid?: string;
}

export interface TufRoot {
  /** The whole file as read ({ signatures, signed, ...other members }). */
  metadata: JsonObject;
  /** metadata.signed, as read: the object that is signed. */
  signed: JsonObject;
  signatures: TufSignature[];
  specVersion: string;
  version: number;
  /** As written, "YYYY-MM-DDTHH:MM:SSZ". */
  expires: string;
  consistentSnapshot: boolean;
  keys: Record<string, RootKeyView>;
  roles: Record<TopLevelRole, RoleView>;
  notes: RootNote[];
}

const EXPIRES_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;
const KEYID_RE = /^[0-9a-f]{64}$/;
const SIG_RE = /^(?:[0-9a-fA-F]{2})*$/;

function formatError(what: string, path: string, problem: string): never {
  throw tufError('TUF_ROOT_FORMAT', `${what}: ${path} ${problem}.`, `Fix ${path} in ${what} where it was written (TUF specification 1.x, root metadata), then load it again.`, { path });
}

function readRole(what: string, name: TopLevelRole, v: unknown, keys: JsonObject): RoleView {
  const path = `signed.roles.${name}`;
  if (!isJsonObject(v)) formatError(what, path, 'is missing (root metadata names keys for root, timestamp, snapshot and targets)');
  const { keyids, threshold } = v;
  if (!Array.isArray(keyids) || !keyids.every((k) => typeof k === 'string')) formatError(what, `${path}.keyids`, 'must be a list of keyids');
  if (typeof threshold !== 'number' || !Number.isInteger(threshold)) formatError(what, `${path}.threshold`, 'must be an integer');
  const ids = keyids as string[];
  const dup = ids.find((k, i) => ids.indexOf(k) !== i);
  if (dup !== undefined) {
    throw tufError('TUF_ROLE_KEYID_INVALID', `${what}: role ${name} lists keyid ${dup} twice.`, 'List each key once; TUF clients refuse a role with a repeated keyid.', { role: name, keyid: dup });
  }
  const unknown = ids.find((k) => !Object.hasOwn(keys, k));
  if (unknown !== undefined) {
    throw tufError('TUF_ROLE_KEYID_INVALID', `${what}: role ${name} lists keyid ${unknown}, which is not in signed.keys.`, 'Add the key to signed.keys or remove the keyid from the role: a signature by it could never be checked.', { role: name, keyid: unknown });
  }
  if (threshold < 1 || threshold > ids.length) {
    throw tufError('TUF_THRESHOLD_INVALID', `${what}: role ${name} has threshold ${threshold} with ${ids.length} key(s); it must be between 1 and the number of keys.`,
      'Set a threshold the role\'s keys can meet.', { role: name, threshold, keys: ids.length });
  }
  return { keyids: ids, threshold };
}

function readSignatures(what: string, v: unknown): TufSignature[] {
  if (!Array.isArray(v)) formatError(what, 'signatures', 'must be a list (it may be empty)');
  const out: TufSignature[] = [];
  v.forEach((s, i) => {
    if (!isJsonObject(s) || typeof s.keyid !== 'string' || typeof s.sig !== 'string') formatError(what, `signatures[${i}]`, 'must be { "keyid": string, "sig": hex string }');
    if (!SIG_RE.test(s.sig)) formatError(what, `signatures[${i}].sig`, 'is not hex');
    if (out.some((o) => o.keyid === s.keyid)) {
      throw tufError('TUF_SIGNATURE_DUPLICATE', `${what} has two signatures for keyid ${s.keyid}.`, 'Keep one signature per key; TUF clients refuse metadata with two for the same keyid.', { keyid: s.keyid });
    }
    out.push({ keyid: s.keyid, sig: s.sig });
  });
  return out;
}

function readKeys(what: string, keys: JsonObject, roles: Record<TopLevelRole, RoleView>, notes: RootNote[]): Record<string, RootKeyView> {
  const out: Record<string, RootKeyView> = {};
  for (const [keyid, entry] of Object.entries(keys)) {
    const path = `signed.keys.${keyid}`;
    if (!KEYID_RE.test(keyid)) formatError(what, path, 'is not a keyid (64 lowercase hex digits)');
    if (!isJsonObject(entry) || typeof entry.keytype !== 'string' || typeof entry.scheme !== 'string' || !isJsonObject(entry.keyval) || typeof entry.keyval.public !== 'string') {
      formatError(what, path, 'must have keytype, scheme and keyval.public (strings)');
    }
    // tuf-js reads keyval as strings only and refuses the whole root otherwise.
    const odd = Object.keys(entry.keyval).find((m) => typeof (entry.keyval as JsonObject)[m] !== 'string');
    if (odd !== undefined) formatError(what, `${path}.keyval.${odd}`, 'must be a string (keyval holds strings only)');
    const pub = tufPublicKey(entry);
    if (!pub.ok && !pub.unknownScheme) {
      throw tufError('TUF_KEY_INVALID', `${what}: key ${keyid} is not a valid ${entry.scheme} key: ${pub.reason}.`, 'Fix the key entry: a TUF client refuses every signature by this key.', { keyid });
    }
    const view: RootKeyView = {
      keyid, keytype: entry.keytype, scheme: entry.scheme, keyidIsContentHash: tufKeyId(entry) === keyid,
      roles: TOP_LEVEL_ROLES.filter((r) => roles[r].keyids.includes(keyid)),
    };
    if (pub.ok) view.fingerprint = publicKeyFingerprint(pub.spki).sha256Hex;
    else view.unusable = pub.reason;
    if (!view.keyidIsContentHash) notes.push({ code: 'TUF_KEYID_NOT_CONTENT_HASH', keyid, message: `Keyid ${keyid} is not the SHA-256 of its key entry; TUF clients accept it, but check the key is the one meant.` });
    if (view.unusable) notes.push({ code: 'TUF_KEY_UNUSABLE', keyid, message: `Key ${keyid}: ${view.unusable}; its signatures cannot be counted.` });
    if (view.roles.length === 0) notes.push({ code: 'TUF_KEY_UNUSED', keyid, message: `Key ${keyid} is in signed.keys but in no role.` });
    out[keyid] = view;
  }
  return out;
}

/**
 * The expiry as the specification writes it. Fractional seconds (go-tuf wrote them in early roots;
 * tuf-js and go-tuf read them, python-tuf refuses them) are taken only when `lenient`, with a note.
 */
function readExpires(what: string, v: unknown, lenient: boolean, notes: RootNote[]): string {
  const m = typeof v === 'string' ? EXPIRES_RE.exec(v) : null;
  // Date would roll 31 February over to March: the time must read back as written.
  const valid = m !== null && new Date(Date.parse(`${m[1]}Z`) || 0).toISOString().slice(0, 19) === m[1];
  if (!valid || (m[2] !== undefined && !lenient)) {
    formatError(what, 'signed.expires', `must be a UTC time written "YYYY-MM-DDTHH:MM:SSZ"${m?.[2] ? ' without fractional seconds (python-tuf clients refuse them)' : ''}`);
  }
  if (m[2] !== undefined) notes.push({ code: 'TUF_EXPIRES_FRACTION', message: `signed.expires (${v as string}) has fractional seconds, which python-tuf clients refuse.` });
  return v as string;
}

export interface ParseOptions {
  /** Accept an expiry with fractional seconds (for a previous root already published that way). */
  lenientExpires?: boolean;
}

/** Parses and checks root metadata; `what` names the file in messages ("the new root.json"). */
export function parseRoot(text: string | Uint8Array, what = 'root.json', opts: ParseOptions = {}): TufRoot {
  const metadata = parseJsonObject(text, what);
  const signed = metadata.signed;
  if (!isJsonObject(signed)) formatError(what, 'signed', 'must be an object (the root metadata that is signed)');
  checkCanonicalEncodable(signed, 'signed', what);
  if (signed._type !== 'root') formatError(what, 'signed._type', `is ${JSON.stringify(signed._type)}, not "root"`);
  const spec = signed.spec_version;
  if (typeof spec !== 'string') formatError(what, 'signed.spec_version', 'must be a string such as "1.0.31"');
  if (!/^\d+\.\d+(\.\d+)?$/.test(spec) || spec.split('.')[0] !== '1') {
    throw tufError('TUF_SPEC_VERSION_UNSUPPORTED', `${what} is for TUF specification ${spec}; TUF clients of specification 1.x refuse it.`, 'Use root metadata of TUF specification version 1.x.', { specVersion: spec });
  }
  const version = signed.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) formatError(what, 'signed.version', 'must be an integer of at least 1');
  const notes: RootNote[] = [];
  const expires = readExpires(what, signed.expires, opts.lenientExpires === true, notes);
  if (typeof signed.consistent_snapshot !== 'boolean') formatError(what, 'signed.consistent_snapshot', 'must be true or false');
  if (!isJsonObject(signed.keys)) formatError(what, 'signed.keys', 'must be an object of keyid -> key');
  if (!isJsonObject(signed.roles)) formatError(what, 'signed.roles', 'must be an object of role -> { keyids, threshold }');
  const extra = Object.keys(signed.roles).find((r) => !(TOP_LEVEL_ROLES as readonly string[]).includes(r));
  if (extra !== undefined) formatError(what, `signed.roles.${extra}`, 'is not a top-level role (root metadata names only root, timestamp, snapshot and targets)');
  const keysObj = signed.keys;
  const rolesObj = signed.roles;
  const roles = Object.fromEntries(TOP_LEVEL_ROLES.map((r) => [r, readRole(what, r, rolesObj[r], keysObj)])) as Record<TopLevelRole, RoleView>;
  const signatures = readSignatures(what, metadata.signatures);
  const keys = readKeys(what, keysObj, roles, notes);
  for (const s of signatures) if (s.sig === '') notes.push({ code: 'TUF_SIGNATURE_EMPTY', keyid: s.keyid, message: `The signature for keyid ${s.keyid} is empty (a place kept for a signature still to come).` });
  return { metadata, signed, signatures, specVersion: spec, version, expires, consistentSnapshot: signed.consistent_snapshot, keys, roles, notes };
}
