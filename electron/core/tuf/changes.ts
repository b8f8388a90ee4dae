/**
 * What a new root changes from the previous one, as plain data a screen lists and the transcript
 * journals before anything is signed, and the checks that the new root may follow the previous
 * one: version + 1, not already expired, its root role meetable by keys TUF clients verify with.
 */
import { isDeepStrictEqual } from 'node:util';
import { canonicalSha256, type JsonObject } from './canonical';
import { tufError } from './errors';
import { TOP_LEVEL_ROLES, type RootKeyView, type TopLevelRole, type TufRoot } from './root-file';

export interface Change<T> { from: T; to: T; changed: boolean }

export interface KeyChange {
  keyid: string;
  keytype: string;
  scheme: string;
  /** SHA-256 of the SPKI, hex (absent for a key of a scheme TUF clients do not know). */
  fingerprint?: string;
  /** The roles listing the key in the root it is in (new root for an added key, previous for a removed one). */
  roles: TopLevelRole[];
  /** The same public key under another keyid on the other side (an entry re-written, not a new key). */
  sameKeyAs?: string;
}

export interface RoleChange {
  role: TopLevelRole;
  threshold: Change<number>;
  keyidsAdded: string[];
  keyidsRemoved: string[];
  changed: boolean;
}

export interface RootChangeSummary {
  /** SHA-256 of the canonical bytes of each signed part: the new one's is what is signed. */
  previousSignedSha256: string;
  newSignedSha256: string;
  version: Change<number>;
  specVersion: Change<string>;
  expires: Change<string>;
  consistentSnapshot: Change<boolean>;
  keysAdded: KeyChange[];
  keysRemoved: KeyChange[];
  roles: RoleChange[];
  /** Other members of the signed part (e.g. x-tuf-on-ci-expiry-period) that differ, by name. */
  otherFieldsChanged: string[];
}

const change = <T>(from: T, to: T): Change<T> => ({ from, to, changed: !isDeepStrictEqual(from, to) });

function keyChange(k: RootKeyView): KeyChange {
  const c: KeyChange = { keyid: k.keyid, keytype: k.keytype, scheme: k.scheme, roles: k.roles };
  if (k.fingerprint !== undefined) c.fingerprint = k.fingerprint;
  return c;
}

const KNOWN_FIELDS = new Set(['_type', 'spec_version', 'version', 'expires', 'consistent_snapshot', 'keys', 'roles']);

/** The differences between two roots (keys matched by keyid). */
export function rootChanges(previous: TufRoot, next: TufRoot): RootChangeSummary {
  const roles = TOP_LEVEL_ROLES.map((role): RoleChange => {
    const a = previous.roles[role];
    const b = next.roles[role];
    const keyidsAdded = b.keyids.filter((k) => !a.keyids.includes(k));
    const keyidsRemoved = a.keyids.filter((k) => !b.keyids.includes(k));
    const threshold = change(a.threshold, b.threshold);
    return { role, threshold, keyidsAdded, keyidsRemoved, changed: threshold.changed || keyidsAdded.length > 0 || keyidsRemoved.length > 0 };
  });
  const names = new Set([...Object.keys(previous.signed), ...Object.keys(next.signed)].filter((n) => !KNOWN_FIELDS.has(n)));
  // A key kept under the same keyid but with other members (e.g. a new x-tuf-on-ci-keyowner) shows as a changed key.
  const keysOf = (r: TufRoot): JsonObject => r.signed.keys as JsonObject;
  const changedKeys = Object.keys(next.keys).filter((k) => previous.keys[k] !== undefined && !isDeepStrictEqual(keysOf(previous)[k], keysOf(next)[k]));
  const added = Object.values(next.keys).filter((k) => !previous.keys[k.keyid]).map(keyChange);
  const removed = Object.values(previous.keys).filter((k) => !next.keys[k.keyid]).map(keyChange);
  // The same public key under a new keyid (its entry changed) is one key, not a new one: say so.
  for (const a of added) {
    const same = removed.find((r) => r.fingerprint !== undefined && r.fingerprint === a.fingerprint);
    if (same) { a.sameKeyAs = same.keyid; same.sameKeyAs = a.keyid; }
  }
  return {
    previousSignedSha256: canonicalSha256(previous.signed),
    newSignedSha256: canonicalSha256(next.signed),
    version: change(previous.version, next.version),
    specVersion: change(previous.specVersion, next.specVersion),
    expires: change(previous.expires, next.expires),
    consistentSnapshot: change(previous.consistentSnapshot, next.consistentSnapshot),
    keysAdded: added,
    keysRemoved: removed,
    roles,
    otherFieldsChanged: [...[...names].filter((n) => !isDeepStrictEqual(previous.signed[n], next.signed[n])), ...changedKeys.map((k) => `keys.${k}`)],
  };
}

/** The summary as lines of text, in the order a person reads them (screen, CLI, transcript note). */
export function describeRootChanges(s: RootChangeSummary): string[] {
  const lines = [`version ${s.version.from} -> ${s.version.to}`];
  if (s.specVersion.changed) lines.push(`spec_version ${s.specVersion.from} -> ${s.specVersion.to}`);
  lines.push(s.expires.changed ? `expires ${s.expires.from} -> ${s.expires.to}` : `expires unchanged (${s.expires.to})`);
  if (s.consistentSnapshot.changed) lines.push(`consistent_snapshot ${s.consistentSnapshot.from} -> ${s.consistentSnapshot.to}`);
  const same = (k: KeyChange): string => (k.sameKeyAs ? `, same public key as ${k.sameKeyAs}` : '');
  for (const k of s.keysAdded) lines.push(`key added ${k.keyid} (${k.scheme}${k.roles.length ? `, ${k.roles.join(', ')}` : ''}${same(k)})`);
  for (const k of s.keysRemoved) lines.push(`key removed ${k.keyid} (${k.scheme}${k.roles.length ? `, was ${k.roles.join(', ')}` : ''}${same(k)})`);
  for (const r of s.roles.filter((x) => x.changed)) {
    const parts = [];
    if (r.threshold.changed) parts.push(`threshold ${r.threshold.from} -> ${r.threshold.to}`);
    if (r.keyidsAdded.length) parts.push(`+${r.keyidsAdded.join(', +')}`);
    if (r.keyidsRemoved.length) parts.push(`-${r.keyidsRemoved.join(', -')}`);
    lines.push(`role ${r.role}: ${parts.join('; ')}`);
  }
  for (const f of s.otherFieldsChanged) lines.push(`${f} changed`);
  lines.push(`signed part sha256 ${s.newSignedSha256}`);
  return lines;
}

/**
 * Checks that `next` may follow `previous` (TUF specification 5.3.4-5.3.5 as a client applies it,
 * plus what would make the new root useless) and returns the change summary. `now` is the time of
 * the ceremony.
 */
export function checkRootSuccession(previous: TufRoot, next: TufRoot, now: Date): RootChangeSummary {
  if (next.version !== previous.version + 1) {
    throw tufError('TUF_VERSION_NOT_NEXT', `The new root is version ${next.version}; it must be ${previous.version + 1}, the previous root's version + 1.`,
      'TUF clients update the root one version at a time: fix the new root\'s version, or check the previous root.json is the latest published one.',
      { previous: previous.version, next: next.version });
  }
  checkSignable(next, now);
  return rootChanges(previous, next);
}

/** A root worth signing: not yet expired, and its root role meetable by keys clients verify with. */
export function checkSignable(root: TufRoot, now: Date): void {
  if (Date.parse(root.expires) <= now.getTime()) {
    throw tufError('TUF_ROOT_EXPIRED', `The new root expires ${root.expires}, which is already past (now ${now.toISOString()}).`,
      'Set signed.expires to a time after the root will be published, then load it again.', { expires: root.expires });
  }
  const role = root.roles.root;
  const usable = role.keyids.filter((k) => root.keys[k]?.fingerprint !== undefined);
  if (usable.length < role.threshold) {
    throw tufError('TUF_THRESHOLD_INVALID', `The new root's root role needs ${role.threshold} signature(s) but only ${usable.length} of its keys are keys TUF clients verify with.`,
      'Replace the keys of unknown schemes or lower the threshold: no client could ever accept this root.', { threshold: role.threshold, usable: usable.length });
  }
}
