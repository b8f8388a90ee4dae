/**
 * One root signing: the new root, the previous one it must follow, the bytes every signature is
 * over, and what changes. Made once, after every check, before anything is signed; the signing,
 * import and threshold functions take it, so none of them can run on an unchecked root.
 */
import type { JsonObject } from './canonical';
import { canonicalBytes, canonicalSha256 } from './canonical';
import { checkRootSuccession, checkSignable, type RootChangeSummary } from './changes';
import { tufError } from './errors';
import { tufPublicKey, type TufPublicKey } from './keys';
import { parseRoot, type TufRoot, type TufSignature } from './root-file';

export interface RootSigning {
  next: TufRoot;
  /** Absent only for a first root (version 1), which has nothing to follow. */
  previous?: TufRoot;
  /** The canonical JSON of next.signed: exactly what every signature is over. */
  signedBytes: Uint8Array;
  /** SHA-256 (hex) of signedBytes: what the transcript records as signed. */
  signedSha256: string;
  /** What changes from the previous root (absent for a first root). */
  changes?: RootChangeSummary;
}

/** Reads and checks both files and prepares the signing; refuses (typed errors) before anything is signed. */
export function prepareRootSigning(input: { next: string | Uint8Array; previous?: string | Uint8Array; now: Date }): RootSigning {
  const next = parseRoot(input.next, 'the new root.json');
  if (input.previous === undefined) {
    if (next.version !== 1) {
      throw tufError('TUF_VERSION_NOT_NEXT', `The new root is version ${next.version}, so it must be checked against the previous root (version ${next.version - 1}), which was not given.`,
        'Give the previous root.json (the latest one clients trust) with the new one.', { next: next.version });
    }
    checkSignable(next, input.now);
    return withRoot({ next });
  }
  // Already published and trusted: an expiry go-tuf wrote with fractional seconds is taken (and noted).
  const previous = parseRoot(input.previous, 'the previous root.json', { lenientExpires: true });
  const changes = checkRootSuccession(previous, next, input.now);
  return withRoot({ next, previous, changes });
}

function withRoot(s: { next: TufRoot; previous?: TufRoot; changes?: RootChangeSummary }): RootSigning {
  return { ...s, signedBytes: canonicalBytes(s.next.signed), signedSha256: canonicalSha256(s.next.signed) };
}

/** A keyid of a root-role key, with its entry in each root (new, previous) whose root role lists it. */
export interface RootRoleKey { keyid: string; publicKeys: Extract<TufPublicKey, { ok: true }>[]; fingerprint: string }

function entryOf(root: TufRoot, keyid: string): JsonObject | undefined {
  return (root.signed.keys as JsonObject)[keyid] as JsonObject | undefined;
}

/**
 * Every keyid whose signature counts toward the new root: the root role's keys of the new root
 * and of the previous one. Keys of schemes clients do not know are left out (they never count).
 */
export function rootRoleKeys(s: RootSigning): RootRoleKey[] {
  const out = new Map<string, RootRoleKey>();
  for (const root of [s.next, s.previous]) {
    if (!root) continue;
    for (const keyid of root.roles.root.keyids) {
      const view = root.keys[keyid];
      const pub = tufPublicKey(entryOf(root, keyid));
      if (!view?.fingerprint || !pub.ok) continue;
      const have = out.get(keyid);
      if (have) have.publicKeys.push(pub);
      else out.set(keyid, { keyid, publicKeys: [pub], fingerprint: view.fingerprint });
    }
  }
  return [...out.values()];
}

/** The root with these signatures added (a signature for a keyid already there, e.g. an empty placeholder, replaces it). */
export function withSignatures(root: TufRoot, add: TufSignature[]): TufRoot {
  const signatures = root.signatures.map((s) => add.find((a) => a.keyid === s.keyid) ?? s);
  for (const a of add) if (!signatures.some((s) => s.keyid === a.keyid)) signatures.push(a);
  const metadata: JsonObject = { ...root.metadata, signatures: signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) };
  return { ...root, metadata, signatures, notes: root.notes.filter((n) => n.code !== 'TUF_SIGNATURE_EMPTY' || !add.some((a) => a.keyid === n.keyid)) };
}

/** The root.json text to publish: the metadata as read, with its signatures. */
export function serializeRoot(root: TufRoot): string {
  const { signatures, signed, ...rest } = root.metadata;
  return `${JSON.stringify({ signatures, signed, ...rest }, null, 2)}\n`;
}
