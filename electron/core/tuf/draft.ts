/**
 * A root.json to sign, drafted from public keys (`keyrite tuf-root draft`): a first root (version 1)
 * whose four top-level roles list the given keys, or the next version of a previous root with keys
 * added to its root role. It is unsigned: signatures come in the sign-tuf-root ceremony. Rehearsals
 * use it to put the rehearsal key in a root; a real root is usually drafted by the repository's own
 * tooling (tuf-on-ci, python-tuf), and Keyrite checks whatever it is given the same way.
 */
import type { JsonObject } from './canonical';
import { tufError } from './errors';
import { tufKeyFromSpki } from './keys';
import { parseRoot, TOP_LEVEL_ROLES } from './root-file';

export interface DraftOptions {
  /** Public keys (SPKI DER) to add to the root role (and, for a first root, to every role). */
  rootKeys: Uint8Array[];
  /** The previous root.json; without it a first root (version 1) is drafted. */
  previous?: string | Uint8Array;
  /** The root role's threshold (default: kept from the previous root, or 1). */
  threshold?: number;
  /** Expiry (default: a year after `now`), written "YYYY-MM-DDTHH:MM:SSZ". */
  expires?: Date;
  now: Date;
}

const stamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/** The drafted root.json text (no signatures), checked by the same parser the ceremony uses. */
export function draftRoot(o: DraftOptions): string {
  const expires = stamp(o.expires ?? new Date(o.now.getTime() + 365 * 86_400_000));
  const added = o.rootKeys.map((k) => tufKeyFromSpki(k));
  let signed: JsonObject;
  if (o.previous === undefined) {
    if (added.length === 0) throw tufError('TUF_THRESHOLD_INVALID', 'A first root needs at least one key.', 'Give --root-key public-key.pem (repeatable).');
    const keyids = added.map((a) => a.keyid);
    signed = {
      _type: 'root', spec_version: '1.0.31', version: 1, expires, consistent_snapshot: true,
      keys: Object.fromEntries(added.map((a) => [a.keyid, a.key])),
      roles: Object.fromEntries(TOP_LEVEL_ROLES.map((r) => [r, { keyids, threshold: r === 'root' ? (o.threshold ?? 1) : 1 }])),
    };
  } else {
    const prev = parseRoot(o.previous, 'the previous root.json', { lenientExpires: true });
    const keys = { ...(prev.signed.keys as JsonObject) };
    const roles = structuredClone(prev.signed.roles as JsonObject) as Record<string, { keyids: string[]; threshold: number }>;
    for (const a of added) {
      keys[a.keyid] = a.key;
      if (!roles.root!.keyids.includes(a.keyid)) roles.root!.keyids.push(a.keyid);
    }
    if (o.threshold !== undefined) roles.root!.threshold = o.threshold;
    signed = { ...prev.signed, version: prev.version + 1, expires, keys, roles: roles as unknown as JsonObject };
  }
  const text = `${JSON.stringify({ signatures: [], signed }, null, 2)}\n`;
  parseRoot(text, 'the drafted root.json');
  return text;
}
