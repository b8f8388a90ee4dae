/**
 * sign-tuf-root: the new root is read and checked against the previous one, what changes is
 * journaled (tuf.root-changes, with the SHA-256 of the canonical bytes to sign) and put to the room
 * (a `review` need); only on the administrator's confirm (step.reviewed) are imported signatures
 * checked (one that does not verify stops the step, named), the ceremony key signs on the token,
 * both root roles' thresholds counted, and root.json published (file.published) and journaled with
 * every signature added (tuf.root-signed). A resumed step asks again without journaling the
 * changes twice; input files changed since they were journaled are journaled and asked again.
 * The TUF work is in plain functions of what they need; the handler at the end only wires them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError, isKeyriteError } from '../../util/errors';
import { PUBLIC_FILE_MODE } from '../../util/fs-durable';
import type { StepFact } from '../run-types';
import {
  describeRootChanges, importSignature, importSignaturesFromFile, prepareRootSigning, rootThreshold, serializeRoot, signRootOnToken, tufError, withSignatures,
  type RoleCount, type RootSigning, type ThresholdReport, type TokenRootSigner, type TufSignature,
} from '../../tuf';
import { isJsonObject, parseJsonObject } from '../../tuf/canonical';
import { ENTRY_KINDS, type TufRootChangesData, type TufRootSignedData } from '../../transcript/entry-kinds';
import { tufSectionOf, type TufSection } from '../types/sign-tuf-root';
import { publishFile } from '../publish-file';
import { keyRefOf, type ActionHandler, type RunRead, type JournalAppend, type TokenSession } from '../step-context';
import { actorOf, administratorOf } from '../run-people';
import type { RunNeed } from '../run-types';
import { subjectKey } from './keygen';

/** The file the signed root is published as, in the ceremony folder. */
export const TUF_ROOT_FILE = 'root.json';

export interface InputFile { name: string; bytes: Buffer }

/** Reads the section's files (paths relative to the script's folder); an unreadable one is named. */
export function readTufInputs(scriptDir: string, section: TufSection): { root: InputFile; previous?: InputFile; imports: InputFile[] } {
  const read = (name: string): InputFile => {
    const file = path.resolve(scriptDir, name);
    try {
      return { name, bytes: readFileSync(file) };
    } catch (e) {
      throw new KeyriteError('INPUT_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { action: 'Check the tuf section of the script (paths relative to the script).' });
    }
  };
  return { root: read(section.root), ...(section.previousRoot ? { previous: read(section.previousRoot) } : {}), imports: section.importSignatures.map(read) };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Checks both roots and says what changes, as the journal records it before anything is signed. */
export function prepareTufRoot(inputs: { root: InputFile; previous?: InputFile }, now: Date): { signing: RootSigning; changes: TufRootChangesData } {
  const signing = prepareRootSigning({ next: inputs.root.bytes, ...(inputs.previous ? { previous: inputs.previous.bytes } : {}), now });
  const notes = [...(signing.previous?.notes ?? []), ...signing.next.notes].map((n) => ({ code: n.code, message: n.message, ...(n.keyid ? { keyid: n.keyid } : {}) }));
  const summary = signing.changes ? describeRootChanges(signing.changes) : [`first root, version ${signing.next.version}`, `signed part sha256 ${signing.signedSha256}`];
  const fileHashes: Record<string, string> = { [inputs.root.name]: sha256(inputs.root.bytes) };
  if (inputs.previous) fileHashes[inputs.previous.name] = sha256(inputs.previous.bytes);
  const changes: TufRootChangesData = {
    version: signing.next.version, ...(signing.previous ? { previousVersion: signing.previous.version } : {}), signedSha256: signing.signedSha256,
    inputs: fileHashes, ...(signing.changes ? { changes: { ...signing.changes } } : {}), summary, notes,
  };
  return { signing, changes };
}

export interface AddedSignature extends TufSignature { source: 'token' | 'import'; file?: string }

/**
 * The signatures in one imported file: a signer's copy of root.json (empty placeholders and
 * non-root keys skipped and listed), or { keyid, sig } or a list of them. Each is verified over the
 * root's canonical bytes; one that does not is refused with the file's name in the message.
 */
export function importTufSignatures(s: RootSigning, file: InputFile): { added: AddedSignature[]; skipped: { keyid: string; reason: string }[] } {
  try {
    const text = file.bytes.toString('utf8');
    const json: unknown = text.trimStart().startsWith('[') ? JSON.parse(text) : parseJsonObject(text, file.name);
    if (isJsonObject(json) && 'signed' in json) {
      const r = importSignaturesFromFile(s, text);
      return { added: r.imported.map((x) => ({ ...x, source: 'import', file: file.name })), skipped: r.skipped };
    }
    const list = Array.isArray(json) ? json : [json];
    const added = list.map((x): AddedSignature => {
      if (!isJsonObject(x) || typeof x.keyid !== 'string' || typeof x.sig !== 'string') {
        throw tufError('TUF_ROOT_FORMAT', 'it is neither a root.json nor { "keyid": ..., "sig": ... } (or a list of them).', 'Give the signer\'s copy of root.json or their signature as JSON.');
      }
      return { ...importSignature(s, { keyid: x.keyid, sig: x.sig }), source: 'import', file: file.name };
    });
    return { added, skipped: [] };
  } catch (e) {
    if (!isKeyriteError(e)) throw new KeyriteError('TUF_JSON_INVALID', `Imported signature file ${file.name} is not JSON: ${(e as Error).message}.`, { action: 'Check the file is the signer\'s root.json or signature, whole and unedited.' });
    throw new KeyriteError(e.code, `Imported signature file ${file.name} refused: ${e.message}`, { ...(e.action ? { action: e.action } : {}), details: { ...e.details, file: file.name } });
  }
}

/** The token's signatures, then each imported one for a key not signed for yet (the first file naming a key wins). */
export function mergeSignatures(mine: AddedSignature[], imported: AddedSignature[]): AddedSignature[] {
  const out = [...mine];
  for (const a of imported) if (!out.some((m) => m.keyid === a.keyid)) out.push(a);
  return out;
}

/** The new root with the signatures added, what it publishes, and both root roles' thresholds counted over it. */
export function finishTufRoot(s: RootSigning, added: AddedSignature[]): { text: string; threshold: ThresholdReport } {
  const signed = withSignatures(s.next, added.map((a) => ({ keyid: a.keyid, sig: a.sig })));
  return { text: serializeRoot(signed), threshold: rootThreshold(s, signed.signatures) };
}

const roleLine = (r: RoleCount): StepFact => ({
  label: `Threshold, ${r.root} root (version ${r.version})`, value: `${r.met ? 'met' : 'NOT met'}: ${r.threshold - r.needed} of ${r.threshold} signature(s)${r.met ? '' : `, ${r.needed} more needed`}`,
});

/** The journal data of the signed root. */
export function tufRootSignedData(s: RootSigning, keyFingerprint: string, added: AddedSignature[], threshold: ThresholdReport): TufRootSignedData {
  const count = (r: RoleCount) => ({ ...r });
  return {
    version: s.next.version, signedSha256: s.signedSha256, keyFingerprint, file: TUF_ROOT_FILE,
    signatures: added.map((a) => ({ keyid: a.keyid, sig: a.sig, source: a.source, ...(a.file ? { file: a.file } : {}) })),
    threshold: { met: threshold.met, ...(threshold.previous ? { previous: count(threshold.previous) } : {}), new: count(threshold.new), invalid: threshold.invalid },
  };
}

/** What the room sees: the changes (before signing, journaled), each signature, the thresholds, the file. */
export function tufRootFacts(changes: TufRootChangesData, added: AddedSignature[], skipped: { keyid: string; reason: string }[], threshold: ThresholdReport): StepFact[] {
  return [
    ...changes.summary.map((line) => ({ label: 'Change', value: line, mono: true })),
    ...changes.notes.map((n) => ({ label: 'Note', value: n.message })),
    ...added.map((a) => ({ label: a.source === 'token' ? 'Signed on the token' : `Imported from ${a.file ?? '?'}`, value: `keyid ${a.keyid}`, mono: true })),
    ...skipped.map((k) => ({ label: 'Not imported', value: `keyid ${k.keyid}: ${k.reason}`, mono: true })),
    ...(threshold.previous ? [roleLine(threshold.previous)] : []),
    roleLine(threshold.new),
    ...(threshold.invalid.length ? [{ label: 'Invalid signatures in the file', value: threshold.invalid.join(', '), mono: true }] : []),
    { label: 'TUF clients accept it', value: threshold.met ? 'yes: both thresholds are met' : 'NOT YET: more signatures are needed (import them in a later ceremony)' },
    { label: 'File', value: TUF_ROOT_FILE },
  ];
}

/** What the room reads before anything is signed: the version, the SHA-256 of what is signed, each change and note. */
export function tufReviewNeed(admin: string, changes: TufRootChangesData): Extract<RunNeed, { kind: 'review' }> {
  const version = changes.previousVersion === undefined ? `${changes.version} (first root)` : `${changes.previousVersion} → ${changes.version}`;
  return {
    kind: 'review', who: admin, title: `Check what root.json version ${changes.version} changes before the token signs it`,
    facts: [
      { label: 'Version', value: version },
      { label: 'Signed part SHA-256', value: changes.signedSha256, mono: true },
      ...changes.summary.map((line) => ({ label: 'Change', value: line, mono: true })),
      ...changes.notes.map((n) => ({ label: 'Note', value: n.message })),
    ],
  };
}

/** The step's last journaled changes are these (same bytes to sign, same input files): already shown to the room. */
function journaledAlready(ctx: JournalAppend, changes: TufRootChangesData): boolean {
  const last = ctx.stepEntries().filter((e) => e.kind === ENTRY_KINDS.tufRootChanges).at(-1)?.data as TufRootChangesData | undefined;
  if (last === undefined || last.signedSha256 !== changes.signedSha256) return false;
  // The journal's canonical JSON orders keys: compared as sets of name and hash.
  const names = Object.keys(changes.inputs);
  return Object.keys(last.inputs).length === names.length && names.every((n) => last.inputs[n] === changes.inputs[n]);
}

export const signTufRootStep: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx, input) {
    const section = tufSectionOf(ctx.script);
    if (!section) throw new KeyriteError('SCRIPT_INVALID', 'A sign-tuf-root step needs the "tuf" section, which only sign-tuf-root scripts have.', { action: 'Use a script of type sign-tuf-root.' });
    // Resumed after the signing was journaled (before the step ended): report it, never sign again.
    const signedAlready = ctx.stepEntries().filter((e) => e.kind === ENTRY_KINDS.tufRootSigned).at(-1)?.data as TufRootSignedData | undefined;
    const reviewed = ctx.stepEntries().filter((e) => e.kind === ENTRY_KINDS.tufRootChanges).at(-1)?.data as TufRootChangesData | undefined;
    if (signedAlready && reviewed) {
      return { performed: tufRootFacts(reviewed, signedAlready.signatures, [], signedAlready.threshold as unknown as ThresholdReport) };
    }
    const key = subjectKey(ctx);
    const inputs = readTufInputs(ctx.scriptDir, section);
    const { signing, changes } = prepareTufRoot(inputs, ctx.now());
    const review = tufReviewNeed(administratorOf(ctx.script), changes);
    // Shown to the room before anything is signed: a confirm counts only for the changes journaled before it.
    if (!journaledAlready(ctx, changes)) {
      await ctx.append({ kind: ENTRY_KINDS.tufRootChanges, data: changes });
      return { need: review };
    }
    if (input?.kind !== 'confirm') return { need: review };
    await ctx.append({ kind: ENTRY_KINDS.stepReviewed, actor: actorOf(ctx.script, input.who), data: { confirmedBy: input.who, title: review.title, signedSha256: changes.signedSha256 } });
    const imported = inputs.imports.map((f) => importTufSignatures(signing, f));
    const signer: TokenRootSigner = { token: ctx.token(), session: ctx.session(), key: keyRefOf(key), spki: new Uint8Array(Buffer.from(key.spki, 'base64')) };
    const mine: AddedSignature[] = (await signRootOnToken(signing, signer)).map((x) => ({ ...x, source: 'token' }));
    const added = mergeSignatures(mine, imported.flatMap((r) => r.added));
    const { text, threshold } = finishTufRoot(signing, added);
    await publishFile(ctx, TUF_ROOT_FILE, text, { mode: PUBLIC_FILE_MODE });
    await ctx.append({ kind: ENTRY_KINDS.tufRootSigned, data: tufRootSignedData(signing, key.fingerprint, added, threshold) });
    return { performed: tufRootFacts(changes, added, imported.flatMap((r) => r.skipped), threshold) };
  },
};
