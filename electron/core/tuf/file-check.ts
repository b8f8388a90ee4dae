/**
 * `keyrite verify` on a sign-tuf-root folder: root.json must be the root whose canonical signed part
 * the transcript records (its SHA-256), carry every signature the ceremony added, and each of its
 * signatures by a key the root itself lists must verify. Returns why the file fails, or undefined.
 */
import { canonicalBytes, canonicalSha256, type JsonObject } from './canonical';
import { tufPublicKey, verifyTufSignature } from './keys';
import { parseRoot, type TufRoot } from './root-file';

export function tufRootFileProblem(bytes: Uint8Array, signedSha256: string, signatures: { keyid: string; sig: string }[]): string | undefined {
  let root: TufRoot;
  try {
    root = parseRoot(bytes, 'root.json', { lenientExpires: true });
  } catch (e) {
    return `it is not TUF root metadata: ${(e as Error).message}`;
  }
  const sha = canonicalSha256(root.signed);
  if (sha !== signedSha256) return `its signed part (SHA-256 ${sha}) is not the one signed (${signedSha256})`;
  const missing = signatures.find((s) => !root.signatures.some((r) => r.keyid === s.keyid && r.sig.toLowerCase() === s.sig.toLowerCase()));
  if (missing) return `the signature by key ${missing.keyid} journaled in the ceremony is not in it`;
  const data = canonicalBytes(root.signed);
  for (const s of root.signatures) {
    const pub = tufPublicKey((root.signed.keys as JsonObject)[s.keyid]);
    if (s.sig !== '' && pub.ok && !verifyTufSignature(pub, data, s.sig)) return `its signature by key ${s.keyid} does not verify over its signed part`;
  }
  return undefined;
}
