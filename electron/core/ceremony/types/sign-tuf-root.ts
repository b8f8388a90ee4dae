/**
 * sign-tuf-root: the ceremony's key signs a TUF root (root.json) that follows the previous one.
 * Before any signature the run journals what changes (keys, thresholds, expiry, version) and the
 * SHA-256 of the canonical bytes it signs; signatures made elsewhere can be imported (each checked);
 * the signed root.json is published with both root roles' thresholds counted.
 * Its section `tuf` is its own (a type is its file): the input paths, relative to the script.
 */
import { z } from 'zod';
import { defineCeremonyType, scriptObject, SIGNS_WITH_EARLIER_KEY, type RuleIssue, type ScriptCore } from './define';

const relPath = z.string().min(1);

export const tufSectionSchema = z.strictObject({
  /** The new root.json to sign (its signatures, if any, are kept: placeholders are filled). */
  root: relPath,
  /** The latest root.json clients trust; absent only when the new root is version 1. */
  previousRoot: relPath.optional(),
  /** Signatures made elsewhere: a signer's copy of root.json, or { keyid, sig } (or a list of them), JSON. */
  importSignatures: z.array(relPath).max(64).default([]),
});

export type TufSection = z.output<typeof tufSectionSchema>;

/** Key algorithms a TUF client verifies (ecdsa-sha2-nistp256/384, rsassa-pss, ed25519): no P-521. */
const TUF_KEY_ALGORITHMS = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096', 'ed25519'];

/** The `tuf` section of a sign-tuf-root script (undefined for any other script). */
export function tufSectionOf(script: ScriptCore): TufSection | undefined {
  return (script as ScriptCore & { tuf?: TufSection }).tuf;
}

const issue = (path: (string | number)[], message: string, code: string): RuleIssue => ({ path, message, code });

export const signTufRoot = defineCeremonyType({
  type: 'sign-tuf-root', schema: scriptObject('sign-tuf-root', []).extend({ tuf: tufSectionSchema }), ...SIGNS_WITH_EARLIER_KEY,
  steps: ['air-gap-check', 'login', 'sign-tuf-root', 'seal'],
  scriptRules: [
    (script) => (TUF_KEY_ALGORITHMS.includes(script.key.algorithm) ? [] : [issue(['key', 'algorithm'],
      `${script.key.algorithm} keys cannot sign TUF metadata: TUF clients verify ${TUF_KEY_ALGORITHMS.join(', ')} keys only`, 'INVALID_VALUE')]),
    (script) => {
      const files = [script.tuf.root, script.tuf.previousRoot, ...script.tuf.importSignatures].filter((f) => f !== undefined);
      const twice = files.find((f, i) => files.indexOf(f) !== i);
      return twice === undefined ? [] : [issue(['tuf'], `${twice} is named twice: the new root, the previous root and each imported file are different files`, 'DUPLICATE')];
    },
  ],
});
