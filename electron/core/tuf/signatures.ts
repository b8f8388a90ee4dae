/**
 * TUF signatures over a prepared root: made on a token through the token API, or brought in from
 * elsewhere (a signature made offline, another signer's copy of root.json). Every signature is
 * verified over the root's canonical bytes with its key, as tuf-js verifies it, before it is given
 * back to be added: one over other bytes or by another key is refused.
 */
import { publicKeyFingerprint } from '../token/verify';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import { canonicalSha256 } from './canonical';
import { tufError } from './errors';
import { tokenSchemeOf, verifyTufSignature, type TufScheme } from './keys';
import { parseRoot, type TufSignature } from './root-file';
import { rootRoleKeys, type RootRoleKey, type RootSigning } from './root-signing';

export interface TokenRootSigner {
  token: TokenApi;
  session: SessionId;
  key: KeyRef;
  /** The key's public key (SPKI DER), as exportPublicKey gives it. */
  spki: Uint8Array;
}

const verifies = (k: RootRoleKey, data: Uint8Array, sig: string): boolean => k.publicKeys.every((p) => verifyTufSignature(p, data, sig));

/**
 * Signs the new root with the key on the token. The key must be a root-role key of the new or the
 * previous root (matched by public key); it signs once per TUF scheme its entries name and the
 * result holds one signature per keyid the key has there (a key listed under two keyids, one per
 * root, needs both). ECDSA is hex of DER, RSA-PSS and Ed25519 hex of the raw signature.
 */
export async function signRootOnToken(s: RootSigning, signer: TokenRootSigner): Promise<TufSignature[]> {
  const fp = publicKeyFingerprint(signer.spki).sha256Hex;
  const mine = rootRoleKeys(s).filter((k) => k.fingerprint === fp);
  if (mine.length === 0) {
    throw tufError('TUF_KEY_NOT_ROOT_KEY', `The key on the token (SPKI SHA-256 ${fp}) is not a root key of the new root${s.previous ? ' nor of the previous one' : ''}.`,
      'Check the token: a root signature only counts from a key the root role lists. Add the key to the new root (keyid from its public key) or use the right token.', { fingerprint: fp });
  }
  const bySchemes = new Map<TufScheme, string>();
  const out: TufSignature[] = [];
  for (const k of mine) {
    for (const p of k.publicKeys) {
      if (bySchemes.has(p.scheme)) continue;
      const sig = await signer.token.sign(signer.session, signer.key, tokenSchemeOf(p.scheme), s.signedBytes);
      bySchemes.set(p.scheme, Buffer.from(sig).toString('hex'));
    }
    const sig = k.publicKeys.map((p) => bySchemes.get(p.scheme)!).find((x) => verifies(k, s.signedBytes, x));
    if (sig === undefined) {
      throw tufError('TUF_SIGNATURE_INVALID', `The token's signature over the new root does not verify with key ${k.keyid}.`,
        'Do not publish it: check that the token holds the key the root names, then sign again.', { keyid: k.keyid });
    }
    out.push({ keyid: k.keyid, sig });
  }
  return out;
}

/** Checks a signature made elsewhere; returns it (sig lowercased) when it is a valid root-role signature over this root. */
export function importSignature(s: RootSigning, signature: TufSignature): TufSignature {
  const key = rootRoleKeys(s).find((k) => k.keyid === signature.keyid);
  if (!key) {
    throw tufError('TUF_SIGNATURE_UNKNOWN_KEY', `The signature's keyid ${signature.keyid} is not a root key of the new root${s.previous ? ' nor of the previous one' : ''} (or is a key of a scheme clients cannot verify).`,
      'Only signatures by the root role\'s keys count: check which key made it.', { keyid: signature.keyid });
  }
  const sig = signature.sig.toLowerCase();
  if (!/^(?:[0-9a-f]{2})+$/.test(sig)) {
    throw tufError('TUF_SIGNATURE_INVALID', `The signature by key ${signature.keyid} is ${sig === '' ? 'empty' : 'not hex'}: no signature to add.`,
      'Ask the key holder for the signature itself (the "sig" value, hex), or the root.json they signed.', { keyid: signature.keyid });
  }
  if (!verifies(key, s.signedBytes, sig)) {
    throw tufError('TUF_SIGNATURE_INVALID', `The signature by key ${signature.keyid} does not verify over this root's canonical bytes (SHA-256 ${s.signedSha256}): it was made over other bytes (another draft or version of the root) or is damaged.`,
      'Do not add it. Ask the key holder to sign exactly this root (compare the SHA-256 of what they signed), then import the new signature.',
      { keyid: signature.keyid, signedSha256: s.signedSha256 });
  }
  return { keyid: signature.keyid, sig };
}

export interface ImportedFile { imported: TufSignature[]; skipped: { keyid: string; reason: string }[] }

/**
 * Takes the signatures from another copy of root.json (a signer's file in a tuf-on-ci or
 * offline-signing flow). Its signed part must be this root's, byte for byte in canonical form;
 * each signature is then checked like importSignature. Empty placeholders and signatures by
 * non-root keys are skipped and listed; an invalid one refuses the whole file.
 */
export function importSignaturesFromFile(s: RootSigning, text: string | Uint8Array): ImportedFile {
  const other = parseRoot(text, 'the signed root.json', { lenientExpires: true });
  const theirs = canonicalSha256(other.signed);
  if (theirs !== s.signedSha256) {
    const fields: [string, unknown, unknown][] = [['version', other.version, s.next.version], ['expires', other.expires, s.next.expires],
      ['consistent_snapshot', other.consistentSnapshot, s.next.consistentSnapshot], ['spec_version', other.specVersion, s.next.specVersion]];
    const diff = fields.filter(([, a, b]) => a !== b).map(([name]) => name);
    throw tufError('TUF_SIGNED_DIFFERS', `The file's signed part (SHA-256 ${theirs}) is not the root being signed (SHA-256 ${s.signedSha256})${diff.length ? `; they differ in ${diff.join(', ')}` : ''}.`,
      'Its signatures are over another root: ask the signer to sign this root.json and send that file.', { theirs, ours: s.signedSha256 });
  }
  const keyids = new Set(rootRoleKeys(s).map((k) => k.keyid));
  const out: ImportedFile = { imported: [], skipped: [] };
  for (const sig of other.signatures) {
    if (sig.sig === '') out.skipped.push({ keyid: sig.keyid, reason: 'empty (no signature yet)' });
    else if (!keyids.has(sig.keyid)) out.skipped.push({ keyid: sig.keyid, reason: 'not a root key of the new or previous root' });
    else out.imported.push(importSignature(s, sig));
  }
  return out;
}
