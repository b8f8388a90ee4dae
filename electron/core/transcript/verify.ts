/**
 * verifyTranscript: everything an auditor needs checked, in one pass over the ceremony folder.
 * Entries, streamed (canonical form, seq, ceremony, chain, tree; verify-stream.ts) -> checkpoints
 * (root, signatures) ->
 * script steps and key facts -> the auditor's own trusted keys and policy. The report names the
 * first failure by entry seq where there is one.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { KeyriteError } from '../util/errors';
import { LATEST_CHECKPOINT, originFor, parseCheckpoint } from './checkpoint';
import { promiseFailures } from './verify-promises';
import type { CeremonyStartData, JournalEntry } from './entry-kinds';
import { hex } from './entry-codec';
import { hashHex, parseVerifierKey } from './note-keys';
import { parseNote } from './note';
import { checkCheckpoints, loadCheckpoints } from './verify-checkpoints';
import { transcriptSizeLimit } from './verify-entries';
import { FactCollector } from './verify-facts';
import { streamTranscript } from './verify-stream';
import { renderReportHtml } from './report-html';
import { checkFolderFiles } from './verify-files';
import { checkAttestations } from '../attestation/transcript-check';
import { checkUpsOf } from '../lifecycle/check-ups';
import type { SignerFact, VerificationReport, VerifyFailure, VerifyOptions } from './verify-types';
import { recordedKeys } from './verify-keys';

export * from './verify-types';

export const TRANSCRIPT_FILE = 'transcript.jsonl';

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

function unusable(code: string, message: string, action: string): KeyriteError {
  return new KeyriteError(code, message, { action });
}

/** Finds the ceremony folder and transcript from a folder or a transcript.jsonl path. */
async function locate(p: string): Promise<{ dir: string; file: string }> {
  const st = await fsp.stat(p).catch(() => undefined);
  if (!st) throw unusable('INPUT_NOT_FOUND', `${p} does not exist.`, 'Give the ceremony folder (the one holding transcript.jsonl).');
  if (st.isDirectory()) {
    const file = path.join(p, TRANSCRIPT_FILE);
    if (!(await fsp.stat(file).catch(() => undefined))?.isFile()) {
      throw unusable('INPUT_NO_TRANSCRIPT', `${p} holds no ${TRANSCRIPT_FILE}.`, 'Give the ceremony folder exported by Keyrite.');
    }
    return { dir: p, file };
  }
  return { dir: path.dirname(p), file: p };
}

function policyHash(policy: unknown): string {
  if (typeof policy === 'string' || policy instanceof Uint8Array) return createHash('sha256').update(policy).digest('hex');
  return createHash('sha256').update(canonicalize(policy) ?? '').digest('hex');
}

export async function verifyTranscript(p: string, opts: VerifyOptions = {}): Promise<VerificationReport> {
  const { dir, file } = await locate(p);
  const trusted = (opts.trustedKeys ?? []).map((k) => {
    try {
      return parseVerifierKey(k.trim());
    } catch (e) {
      throw unusable('INPUT_TRUSTED_KEY_INVALID', `Trusted key "${k}" is not a signed-note verifier key: ${(e as Error).message}`, 'Pass the key exactly as printed on the signed report (name+keyid+base64).');
    }
  });
  const size = (await fsp.stat(file).catch(() => undefined))?.size ?? 0;
  if (size > transcriptSizeLimit()) {
    throw unusable('INPUT_TOO_LARGE', `${file} is ${mib(size)} MiB, more than this machine can verify (at most ${mib(transcriptSizeLimit())} MiB for its memory).`, 'Verify it on a machine with more memory.');
  }
  const report: VerificationReport = {
    valid: false, dir, entries: 0, warnings: [], participants: [], steps: { expected: [], completed: [] }, checkpoints: [], signers: [], unknownSigners: [],
    transcriptKeys: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: false,
  };
  const failures: VerifyFailure[] = [];

  // The signed origin names the ceremony: prefer it to entry 0 so a changed entry 0 is the one blamed.
  let expectedCeremony: string | undefined;
  try {
    const origin = parseCheckpoint(parseNote(readFileSync(path.join(dir, LATEST_CHECKPOINT), 'utf8')).text).origin;
    if (origin.startsWith('keyrite.transcript/')) expectedCeremony = origin.slice('keyrite.transcript/'.length);
  } catch {
    // No checkpoint.note, or not a readable checkpoint: the ceremony is entry 0's (the checkpoint pass names the file).
  }
  // The checkpoints first: the one pass over the entries takes the root at each of their sizes.
  const loaded = await loadCheckpoints(dir);
  const sizes = new Set([...loaded.list, ...(loaded.latest ? [loaded.latest] : [])].map((c) => c.cp.size));
  const offsetSeqs = new Set([0, ...[...sizes].flatMap((n) => [n, n - 1])]);
  const collector = new FactCollector();
  const scanned = await streamTranscript(file, { ceremony: expectedCeremony, sizes, offsetSeqs, keepAll: opts.keepAllEntries === true, onEntry: (e, offset) => collector.add(e, offset) });
  // Entry 0 and the entries of the kinds the checks below read; the rest went to the collector and were dropped.
  const { kept: entries, offsets, count } = scanned;
  report.entries = count;
  report.ceremonyId = entries[0]?.ceremony ?? expectedCeremony;
  // A rehearsal says so in its first entry; the report carries it so the printed page cannot pass for a real ceremony.
  if (entries[0]?.kind === 'ceremony.start' && (entries[0].data as { rehearsal?: unknown }).rehearsal === true) report.rehearsal = true;
  report.root = hex(scanned.root);
  if (count > 0) {
    report.started = (entries[0] as JournalEntry).time;
    report.ended = scanned.lastTime;
  }
  if (count === 0 && !scanned.failure) failures.push({ code: 'START_MISSING', seq: 0, offset: 0, message: 'The transcript is empty.' });

  const start = entries[0];
  if (start?.kind === 'ceremony.start') {
    const d = start.data as CeremonyStartData;
    for (const p of d.participants ?? []) report.participants.push({ role: String(p.role), name: String(p.name) });
    report.script = { id: String(d.script?.id ?? ''), title: String(d.script?.title ?? ''), type: String(d.script?.type ?? ''), sha256: String(d.script?.sha256 ?? '') };
    if (d.policy?.sha256) report.policySha256 = d.policy.sha256;
    if (d.provenance) report.provenance = d.provenance;
  }
  const { known, transcriptKeys, transcriptKey, handover, rootKeys, failures: keyFailures } = recordedKeys(entries, offsets, trusted);
  report.transcriptKeys = transcriptKeys;
  failures.push(...keyFailures);

  const cps = checkCheckpoints({
    dir, list: loaded.list, origin: originFor(report.ceremonyId ?? ''), size: count, roots: scanned.roots, offsets,
    verifiers: known.map((k) => k.verifier), contentOnly: scanned.failure !== undefined, ...(loaded.latest ? { latest: loaded.latest } : {}), ...(transcriptKey ? { transcriptKey } : {}), ...(handover ? { handover } : {}),
  });
  let scannedFailure: VerifyFailure | undefined;
  if (scanned.failure) {
    const f = { ...scanned.failure };
    // A broken last link: a checkpoint covering exactly the earlier entry tells which side changed.
    if (scanned.ambiguousLink && cps.goodSizes.has(scanned.ambiguousLink.later)) {
      f.seq = scanned.ambiguousLink.later;
      f.offset = offsets[f.seq] as number;
      f.message = `Entry ${f.seq} was changed: its prev no longer links to entry ${f.seq - 1}, which a signed checkpoint still vouches for.`;
    }
    scannedFailure = f;
    report.warnings.push('Checkpoint signatures were not checked: the entries themselves already fail.');
  }
  report.checkpoints = cps.facts;
  report.unknownSigners = [...cps.unknown];
  if (loaded.failure) failures.push(loaded.failure);
  else if (cps.failure) failures.push(cps.failure);
  // The newest signed size anywhere: an older checkpoint.note is CHECKPOINT_LATEST_MISMATCH (above),
  // not a claim that entries a newer note in checkpoints/ vouches for are covered by none.
  const signedSizes = [...loaded.list, ...(loaded.latest ? [loaded.latest] : [])].map((c) => c.cp.size);
  const newestSize = signedSizes.length > 0 ? Math.max(...signedSizes) : undefined;
  if (newestSize === undefined) {
    // (An empty transcript has this too; START_MISSING, at entry 0, is named first.)
    failures.push({ code: 'CHECKPOINT_MISSING', message: 'There is no signed checkpoint: nothing vouches for the entries.' });
  } else if (!loaded.latest) {
    failures.push({ code: 'CHECKPOINT_MISSING', message: 'checkpoint.note (the latest checkpoint) is missing.' });
  } else if (newestSize < count && !scanned.failure) {
    failures.push({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: newestSize, offset: offsets[newestSize] as number, message: `Entries from seq ${newestSize} to ${count - 1} are not covered by any signed checkpoint.` });
  }

  // On no entries the collector's facts are the empty ones the report starts with (and START_MISSING).
  const { facts, failure: factFailure } = collector.finish();
  Object.assign(report, { ...facts, warnings: [...report.warnings, ...facts.warnings] });
  if (factFailure && !scanned.failure) failures.push(factFailure);
  // (When the entries fail, that failure is the one named whatever is found after it.)
  failures.push(...promiseFailures(entries, offsets));
  const attested = await checkAttestations(entries, offsets, opts.attestationRoots ?? []);
  report.attestations = attested.facts;
  report.checkUps = checkUpsOf(entries);
  if (attested.failure && !scanned.failure) failures.push(attested.failure);

  if (!cps.failure && !loaded.failure && loaded.latest) {
    for (const r of rootKeys) {
      if (!cps.latestSigners.has(`${r.name}+${hashHex(r.keyHash)}`)) {
        failures.push({ code: 'ROOT_KEY_NOT_PROVEN', checkpoint: LATEST_CHECKPOINT, message: `The latest checkpoint is not signed by the generated key ${r.name}: possession of the key is not proven.` });
      }
    }
    for (const k of known.filter((x) => x.role === 'witness')) {
      if (!cps.latestSigners.has(`${k.verifier.name}+${hashHex(k.verifier.keyHash)}`)) {
        failures.push({ code: 'WITNESS_COSIGNATURE_MISSING', checkpoint: LATEST_CHECKPOINT, actual: k.verifier.key, message: `The latest checkpoint carries no cosignature by witness ${k.owner ?? k.verifier.name} (${k.verifier.name}), whose key is recorded at ceremony start.` });
      }
    }
    for (const t of trusted) {
      if (!cps.latestSigners.has(`${t.name}+${hashHex(t.keyHash)}`)) {
        failures.push({ code: 'TRUSTED_KEY_NOT_USED', checkpoint: LATEST_CHECKPOINT, actual: t.key, message: `The latest checkpoint carries no valid signature by the trusted key ${t.name}+${hashHex(t.keyHash)}.` });
      }
    }
  }
  if (opts.policy !== undefined) {
    const h = policyHash(opts.policy);
    if (report.policySha256 !== h) {
      failures.push({ code: 'POLICY_MISMATCH', seq: 0, offset: 0, expected: h, actual: report.policySha256 ?? '(none recorded)', message: `The ceremony ran under policy ${report.policySha256 ?? '(none recorded)'}, not the given policy (${h}).` });
    }
  }

  report.signers = known.map((k): SignerFact => ({
    name: k.verifier.name, keyHash: hashHex(k.verifier.keyHash), key: k.verifier.key, role: k.role, source: k.source,
    trustedByAuditor: k.trustedByAuditor, checkpointsSigned: cps.signedCount.get(`${k.verifier.name}+${hashHex(k.verifier.keyHash)}`) ?? 0,
  }));
  for (const w of report.witnesses) {
    // The witness's own key: recorded with the participant it was listed with (a key's name is not a person's).
    const key = known.find((k) => k.role === 'witness' && k.owner === w.name);
    if (key) w.checkpointsCosigned = cps.signedCount.get(`${key.verifier.name}+${hashHex(key.verifier.keyHash)}`) ?? 0;
  }
  if (trusted.length === 0) {
    report.warnings.push('No --trusted-key given: signatures were checked against keys recorded in the transcript itself. Compare the transcript key below with the one on the signed paper report.');
  }
  // An entry-level failure is the most precise statement of what changed; checkpoint and step
  // failures that follow from it would only blame an earlier, still-intact range.
  report.failure = scannedFailure ?? firstFailure(failures);
  if (opts.files !== false) {
    // report.html is derived from the transcript alone, as the seal rendered it: no auditor options, no file list.
    const plain = (opts.trustedKeys?.length ?? 0) > 0 || opts.policy !== undefined ? undefined : structuredClone(report);
    const checked = await checkFolderFiles(dir, entries, async (at) => renderReportHtml(plain ?? (await verifyTranscript(dir, { files: false })), { generatedAt: at }));
    Object.assign(report, { files: checked.files, filesAllChecked: !checked.files.some((f) => f.status === 'not-present') });
    report.failure ??= checked.failure;
  }
  report.valid = report.failure === undefined;
  return report;
}

/** The failure at the earliest entry; failures not tied to an entry come after those that are. */
function firstFailure(failures: VerifyFailure[]): VerifyFailure | undefined {
  let best: VerifyFailure | undefined;
  for (const f of failures) {
    const rank = f.seq ?? Number.MAX_SAFE_INTEGER;
    if (!best || rank < (best.seq ?? Number.MAX_SAFE_INTEGER)) best = f;
  }
  return best;
}
