/**
 * Maps the transcript verifier's VerificationReport onto the audit screen's AuditReport: a timeline
 * of every journal line with its status (intact up to the first failure, the failure at its entry,
 * not checked after it), checkpoints with their signatures, integrity and policy checks, key facts.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AuditCheckView, AuditCheckpointView, AuditEntryView, AuditReport, CheckStatus, KeyFact } from '../../contract/views';
import { fileViews, filesCheck, filesHeadline } from './audit-files';
import type { VerificationReport, VerifyFailure, VerifyFailureCode } from '../transcript/verify-types';
import { describeShareOutcome, shareOutcome } from '../transcript/share-outcome';
import type { ErrorData } from '../util/errors';
import { attestationViews, provenanceView } from './evidence-view';

const ACTION: Partial<Record<VerifyFailureCode, string>> = {
  ENTRY_CHAIN: 'This entry was changed, removed or reordered after it was written. Compare it with the archived copy of the transcript.',
  ENTRY_MALFORMED: 'This line is not a valid entry. Compare the transcript with its archived copy.',
  ENTRY_TORN: 'The last line was cut off (a crash while writing). The ceremony may resume from the entry before it.',
  ENTRY_SEQ: 'An entry is missing or duplicated here. Compare the transcript with its archived copy.',
  CHECKPOINT_ROOT: 'The entries do not match what the checkpoint signed: the transcript was changed after signing.',
  CHECKPOINT_SIGNATURE_INVALID: 'A signature does not verify. Treat this transcript as untrusted until explained.',
};

function failureError(f: VerifyFailure): ErrorData {
  const details: Record<string, unknown> = {};
  if (f.seq !== undefined) details.seq = f.seq;
  if (f.checkpoint !== undefined) details.checkpoint = f.checkpoint;
  if (f.expected !== undefined) details.expected = f.expected;
  if (f.actual !== undefined) details.actual = f.actual;
  return {
    code: f.code,
    message: f.message,
    action: ACTION[f.code] ?? 'Treat this transcript as untrusted until the failure is explained. Compare it with its archived copy.',
    details,
  };
}

interface RawEntry {
  seq?: unknown;
  time?: unknown;
  kind?: unknown;
  step?: unknown;
  actor?: { role?: unknown; name?: unknown };
  data?: Record<string, unknown>;
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback);

/** One line a person can read, from the entry's kind and data (never a secret: entries hold none). */
export function summariseEntry(kind: string, step: string, data: Record<string, unknown>): string {
  switch (kind) {
    case 'ceremony.start': {
      const script = (data.script ?? {}) as Record<string, unknown>;
      return `Ceremony started: ${str(script.title, 'untitled')}`;
    }
    case 'step.start': return `Step ${step} started${data.title ? `: ${str(data.title)}` : ''}`;
    case 'step.intent': return `About to ${str(data.operation, 'act')}${data.label ? ` (${str(data.label)})` : ''}`;
    case 'step.result': return `Step ${step} ${str(data.outcome) === 'ok' ? 'completed' : str(data.outcome, 'ended')}`;
    case 'step.attest': return `${str(data.witness, 'A witness')} attested: ${str(data.statement)}`;
    case 'deviation': return `Deviation recorded by ${str(data.who, 'someone')}: ${str(data.why)}`;
    case 'key.generated': return `Key generated on the token: ${str(data.label)} (${str(data.algorithm)})`;
    case 'key.locked': {
      const proof = (data.proof ?? {}) as Record<string, unknown>;
      return `Key locked in the token: ${str(data.label)} (extractable: ${str(proof.extractable)})`;
    }
    case 'backup.created': return `Backup made: ${str(data.k)} of ${str(data.n)} shares`;
    case 'share.verified': return `Share of ${str(data.custodian)} ${data.ok === false ? 'failed verification' : 'verified'}`;
    case 'certificate.issued': return `Certificate issued: ${str(data.subject)}`;
    case 'ceremony.sealed': return `Ceremony sealed (${str(data.outcome, 'completed')})`;
    case 'step.done': return `Step ${step} done`;
    case 'share.shown': return `Share shown to ${str(data.custodian, 'a custodian')}`;
    default: {
      const words = kind.replace(/[._-]+/g, ' ').trim();
      return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Entry';
    }
  }
}

export function timelineFrom(lines: string[], failure: VerifyFailure | undefined): AuditEntryView[] {
  const failSeq = failure?.seq;
  return lines.map((line, i): AuditEntryView => {
    let raw: RawEntry = {};
    let readable = true;
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === 'object') raw = v as RawEntry;
      else readable = false;
    } catch {
      readable = false;
    }
    // Position, not the recorded seq: a tampered seq must not move the entry in the timeline.
    const seq = i;
    const kind = str(raw.kind, 'unreadable');
    const step = str(raw.step, '-');
    const status: AuditEntryView['status'] = failSeq === undefined ? 'ok' : seq < failSeq ? 'ok' : seq === failSeq ? 'failed' : 'unchecked';
    const view: AuditEntryView = {
      seq,
      time: str(raw.time),
      kind,
      step,
      actor: { role: str(raw.actor?.role, 'unknown'), name: str(raw.actor?.name, 'unknown') },
      summary: readable ? summariseEntry(kind, step, raw.data ?? {}) : 'Unreadable line',
      status,
    };
    if (status === 'failed' && failure) view.problem = failureError(failure);
    return view;
  });
}

function check(id: string, title: string, status: CheckStatus, detail: string): AuditCheckView {
  return { id, title, status, detail };
}

const ENTRY_CODES = new Set<string>(['ENTRY_TORN', 'ENTRY_MALFORMED', 'ENTRY_SEQ', 'ENTRY_CHAIN', 'ENTRY_CEREMONY', 'START_MISSING']);
const CHECKPOINT_CODES = new Set<string>([
  'CHECKPOINT_MISSING', 'CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN', 'CHECKPOINT_BEYOND_END', 'CHECKPOINT_ROOT',
  'CHECKPOINT_INCONSISTENT', 'CHECKPOINT_LATEST_MISMATCH', 'ENTRIES_NOT_CHECKPOINTED',
]);
const SIGNATURE_CODES = new Set<string>(['CHECKPOINT_SIGNATURE_INVALID', 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', 'ROOT_KEY_NOT_PROVEN', 'TRUSTED_KEY_NOT_USED']);
const STEP_CODES = new Set<string>(['STEP_UNKNOWN', 'STEP_OUT_OF_ORDER', 'STEPS_INCOMPLETE', 'INTENT_WITHOUT_RESULT']);

function statusFor(codes: Set<string>, r: VerificationReport): CheckStatus {
  if (r.failure && codes.has(r.failure.code)) return 'fail';
  // The verifier stops at the first failure: checks of a later stage were not reached (an entry
  // failure has already failed the entries' own check above).
  if (r.failure && ENTRY_CODES.has(r.failure.code)) return 'skipped';
  return 'pass';
}

function entriesFailed(r: VerificationReport): boolean {
  return r.failure !== undefined && ENTRY_CODES.has(r.failure.code);
}

function integrityChecks(r: VerificationReport): AuditCheckView[] {
  const f = r.failure;
  const msg = (codes: Set<string>, ok: string) => (f && codes.has(f.code) ? f.message : statusFor(codes, r) === 'skipped' ? 'Not reached: the entries failed first.' : ok);
  const checks = [
    check('chain', 'Hash chain of entries', statusFor(ENTRY_CODES, r), msg(ENTRY_CODES, `${r.entries} entries, each linked to the one before.`)),
    check('checkpoints', 'Checkpoints match the entries', statusFor(CHECKPOINT_CODES, r), msg(CHECKPOINT_CODES, `${r.checkpoints.length} checkpoints over the Merkle tree of the entries.`)),
    check('signatures', 'Signatures', statusFor(SIGNATURE_CODES, r), msg(SIGNATURE_CODES, `${r.signers.length} signers; ${r.unknownSigners.length} unknown signature${r.unknownSigners.length === 1 ? '' : 's'}.`)),
    check('steps', 'Every script step ran, in order', statusFor(STEP_CODES, r), msg(STEP_CODES, `${r.steps.completed.length} of ${r.steps.expected.length} steps completed.`)),
    entriesFailed(r)
      ? check('sealed', 'Ceremony sealed', 'skipped', 'Not reached: the entries failed first.')
      : check('sealed', 'Ceremony sealed', r.sealed ? 'pass' : 'warn', r.sealed ? 'The transcript ends with its sealing entry.' : 'The transcript has no sealing entry: the ceremony did not finish, or it is still running.'),
  ];
  const files = filesCheck(r);
  if (files) checks.push(files);
  for (const [i, w] of r.warnings.entries()) checks.push(check(`warning-${i}`, 'Warning', 'warn', w));
  return checks;
}

function policyChecks(r: VerificationReport): AuditCheckView[] {
  const policyFailure = r.failure?.code === 'POLICY_MISMATCH' ? r.failure : undefined;
  const checks = [
    check('policy', 'Policy recorded at the start', policyFailure ? 'fail' : r.policySha256 ? 'pass' : 'warn',
      policyFailure ? policyFailure.message : r.policySha256 ? `Policy SHA-256 ${r.policySha256}` : 'No policy hash recorded: the default policy applied.'),
    check('witnesses', 'Witnessed', r.witnesses.length > 0 ? 'pass' : 'warn',
      r.witnesses.length > 0 ? r.witnesses.map((w) => `${w.name}: ${w.attestations.length} attestations, ${w.checkpointsCosigned} cosigned checkpoints`).join('; ') : 'No witness attested a step.'),
    check('deviations', 'Deviations from the script', r.deviations.length === 0 ? 'pass' : 'warn',
      r.deviations.length === 0 ? 'None recorded.' : r.deviations.map((d) => `Entry ${d.seq}, step ${d.step}: ${d.who}: ${d.why}`).join('; ')),
    check('exceptions', 'Failed or skipped steps', r.exceptions.length === 0 ? 'pass' : 'warn',
      r.exceptions.length === 0 ? 'None recorded.' : r.exceptions.map((e) => `Entry ${e.seq}, step ${e.step}: ${e.detail}`).join('; ')),
  ];
  for (const s of r.shares) {
    const verified = s.shares.filter((sh) => shareOutcome(s, sh.index).status === 'verified').length;
    checks.push(check(`shares-${s.splitId}`, `Backup shares (${s.k} of ${s.n})`, verified === s.n ? 'pass' : 'warn', `${verified} of ${s.n} shares verified by their custodians: ${s.shares.map((sh) => `#${sh.index} ${sh.custodian} (${sh.medium ?? 'paper'}): ${describeShareOutcome(shareOutcome(s, sh.index))}`).join('; ')}.`));
  }
  // What a failed transcript records cannot be trusted: show it, but do not call it compliant.
  if (!r.valid) return checks.map((c) => (c.status === 'fail' ? c : { ...c, status: 'skipped', detail: `Recorded, not trusted: ${c.detail}` }));
  return checks;
}

function keyFacts(r: VerificationReport): KeyFact[] {
  const facts: KeyFact[] = [];
  if (r.ceremonyId) facts.push({ label: 'Ceremony', value: r.ceremonyId, mono: true });
  if (r.script) facts.push({ label: 'Script', value: `${r.script.title} (${r.script.type})` });
  facts.push({ label: 'Entries', value: String(r.entries) });
  if (r.root) facts.push({ label: 'Merkle root', value: r.root, mono: true });
  for (const k of r.keys) {
    facts.push({ label: 'Key', value: `${k.label} · ${k.algorithm} · CKA_ID ${k.id}` });
    facts.push({ label: 'Fingerprint (SHA-256)', value: k.fingerprint, mono: true });
    facts.push({ label: 'Fingerprint words', value: k.fingerprintWords.join(' ') });
    if (!k.fingerprintMatches) facts.push({ label: 'Fingerprint check', value: 'The recorded fingerprint does not match the recorded public key.' });
    if (k.token) facts.push({ label: 'Token', value: `${k.token.label} (serial ${k.token.serial})` });
  }
  for (const c of r.certificates) facts.push({ label: 'Certificate', value: `${c.subject} · serial ${c.serial}` });
  // The keys the checkpoints were checked against: compare them with the signed paper report.
  // After a handover to a token key, the key in force is "Transcript key"; the retired file key is named so.
  const retired = new Map((r.transcriptKeys ?? []).filter((t) => !t.inForce).map((t) => [t.key, t.untilSeq]));
  for (const s of r.signers) {
    const transcriptWho = retired.has(s.key) ? `Transcript key (retired: handed over at entry ${retired.get(s.key) ?? '?'})` : 'Transcript key';
    const who = s.role === 'transcript' ? transcriptWho : s.role === 'root' ? 'Root key (note signer)' : s.role === 'witness' ? `Witness key (${s.name})` : `Trusted key (${s.name})`;
    facts.push({ label: s.trustedByAuditor ? `${who}, given by you` : who, value: s.key, mono: true });
  }
  return facts;
}

function checkpointViews(r: VerificationReport): AuditCheckpointView[] {
  const roleOf = new Map(r.signers.map((s) => [s.name, s.role]));
  return r.checkpoints.map((c) => {
    const failed = r.failure?.checkpoint === c.file;
    const view: AuditCheckpointView = {
      size: c.size,
      file: c.file,
      status: failed ? 'fail' : 'pass',
      signatures: [
        ...c.signedBy.map((name) => ({ name, role: roleOf.get(name) ?? 'signer', status: 'pass' as const })),
        ...c.unknownSigners.map((name) => ({ name, role: 'unknown key', status: 'warn' as const, detail: 'Signed by a key the transcript does not name.' })),
      ],
    };
    if (failed && r.failure) view.detail = r.failure.message;
    return view;
  });
}

export async function readJournalLines(dir: string): Promise<string[]> {
  const text = await fsp.readFile(path.join(dir, 'transcript.jsonl'), 'utf8').catch(() => '');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function toAuditReport(r: VerificationReport, lines: string[]): AuditReport {
  const title = r.script?.title ?? r.ceremonyId ?? path.basename(r.dir);
  const report: AuditReport = {
    dir: r.dir,
    verdict: r.valid ? 'verified' : 'failed',
    headline: r.valid
      ? `All ${r.entries} entries are intact and every checkpoint verifies.${filesHeadline(r)}`
      : (r.failure?.message ?? 'The transcript did not verify.'),
    ceremony: { id: r.ceremonyId ?? 'unknown', title, type: r.script?.type ?? 'ceremony', rehearsal: false },
    entries: timelineFrom(lines, r.failure),
    checkpoints: checkpointViews(r),
    checkpointsNote: entriesFailed(r) ? 'Not checked: the entries failed first.' : r.checkpoints.length === 0 ? 'This transcript has no checkpoint.' : '',
    checks: integrityChecks(r),
    policy: policyChecks(r),
    keyFacts: keyFacts(r),
    ...(r.files ? { files: fileViews(r.files) } : {}),
    provenance: provenanceView(r.provenance),
    attestations: attestationViews(r.attestations ?? [], r.keys.length > 0),
  };
  if (r.failure?.seq !== undefined) report.firstFailure = { seq: r.failure.seq, error: failureError(r.failure) };
  const start = lines[0] ? (() => { try { return JSON.parse(lines[0]) as RawEntry; } catch { return null; } })() : null;
  if (start?.data && start.data.rehearsal === true) report.ceremony.rehearsal = true;
  return report;
}
