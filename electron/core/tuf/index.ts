/**
 * TUF root metadata signing, independent of the ceremony engine. A sign-tuf-root ceremony uses it so:
 *
 *   const s = prepareRootSigning({ next, previous, now });   // reads + checks both files, refuses early
 *   show/journal s.changes (describeRootChanges(s.changes) for text), s.signedSha256, s.next.notes
 *   for each token key:   sigs.push(...await signRootOnToken(s, { token, session, key, spki }))
 *   for each file/paste:  sigs.push(importSignature(s, { keyid, sig }))   // or importSignaturesFromFile(s, text)
 *   const signed = withSignatures(s.next, sigs);                           // replaces placeholders, appends the rest
 *   const report = rootThreshold(s, signed.signatures);                    // previous + new root-role thresholds
 *   const out = serializeRoot(signed);                                     // root.json to publish
 *
 * Every function refuses with a KeyriteError whose code is a TufErrorCode (errors.ts). All results
 * are plain data (no KeyObject), so they cross IPC and go into the journal as they are.
 */
export { canonicalBytes, canonicalSha256 } from './canonical';
export type { JsonObject, JsonValue } from './canonical';
export { checkRootSuccession, describeRootChanges, rootChanges } from './changes';
export type { Change, KeyChange, RoleChange, RootChangeSummary } from './changes';
export { tufError } from './errors';
export type { TufErrorCode } from './errors';
export { tokenSchemeOf, tufKeyFromSpki, tufKeyId, tufPublicKey, verifyTufSignature } from './keys';
export type { TufKey, TufScheme } from './keys';
export { parseRoot, TOP_LEVEL_ROLES } from './root-file';
export type { RoleView, RootKeyView, RootNote, TopLevelRole, TufRoot, TufSignature } from './root-file';
export { prepareRootSigning, rootRoleKeys, serializeRoot, withSignatures } from './root-signing';
export type { RootSigning } from './root-signing';
export { importSignature, importSignaturesFromFile, signRootOnToken } from './signatures';
export type { ImportedFile, TokenRootSigner } from './signatures';
export { rootThreshold } from './threshold';
export type { RoleCount, ThresholdReport } from './threshold';
