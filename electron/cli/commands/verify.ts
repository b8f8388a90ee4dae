import { readFileSync } from 'node:fs';
import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { KeyriteError, isKeyriteError } from '../../core/util/errors';
import { verifyTranscript, type FileStatus, type VerificationReport } from '../../core/transcript/verify';
import { describeShareOutcome, shareOutcome } from '../../core/transcript/share-outcome';
import { describeAttestationFacts, describeCheckUps, describeProvenance } from './evidence-lines';

const HELP: CommandHelp = {
  usage: ['verify PATH [--json] [--policy FILE] [--trusted-key KEY]... [--attestation-root FILE]...'],
  description: [
    'Verifies a ceremony transcript: every entry\'s hash and chain link, the Merkle tree, every signed checkpoint and its consistency with the one before, every signature, the script\'s steps complete and in order. Then every file beside it: each file the transcript names must be the one the ceremony wrote (its SHA-256 as journaled, its content as recorded: public key, certificates, CRL, signatures, backup.json, share files); a changed file is INVALID. A named file that is missing is listed as not checked, an unnamed file as unexpected, and report.html is compared with the report derived again from the transcript. Prints the key facts (public key fingerprint, proven attributes, shares, witnesses, deviations). PATH is the ceremony folder (or its transcript.jsonl).',
    'Exit status: 0 valid, 1 invalid (the first failure is named), 2 unusable input.',
  ],
  options: [
    { name: '--trusted-key KEY', text: 'a signed-note verifier key you trust (name+keyid+base64), e.g. the transcript key printed on the signed paper report; it must have signed the latest checkpoint. Repeat for several keys.' },
    { name: '--policy FILE', text: 'the policy file the ceremony must have run under (its SHA-256 is compared)' },
    { name: '--attestation-root FILE', text: 'a key-attestation root CA (PEM) you trust besides the vendor roots shipped with Keyrite (e.g. a rehearsal\'s stand-in root). Repeat for several.' },
    { name: '--json', text: 'print the full report as JSON' },
  ],
};

function human(r: VerificationReport): string {
  const out: string[] = [];
  const f = r.failure;
  out.push(`Transcript  ${r.dir}${r.ceremonyId ? `  (ceremony ${r.ceremonyId})` : ''}`);
  if (r.rehearsal) out.push('Rehearsal   REHEARSAL: not a real ceremony (throwaway token, keys and shares)');
  if (f) {
    const where = [f.seq !== undefined ? `entry seq ${f.seq}` : '', f.offset !== undefined ? `byte ${f.offset}` : '', f.checkpoint ? `checkpoint ${f.checkpoint}` : '', f.file ? `file ${f.file}` : ''].filter(Boolean).join(', ');
    out.push(`Result      INVALID  [${f.code}]${where ? ` at ${where}` : ''}`);
    out.push(`            ${f.message}`);
    if (f.expected !== undefined) out.push(`            expected: ${f.expected}`);
    if (f.actual !== undefined) out.push(`            found:    ${f.actual}`);
  } else {
    out.push(`Result      VALID: intact, signed, complete and in order${filesVerdict(r)}`);
  }
  out.push(`Entries     ${r.entries}   Merkle root ${r.root ?? '-'}`);
  if (r.script) out.push(`Script      ${r.script.title} (${r.script.id}, ${r.script.type})  sha256 ${r.script.sha256}`);
  out.push(...describeProvenance(r.provenance));
  out.push(`Steps       ${r.steps.completed.length} of ${r.steps.expected.length} completed in order: ${r.steps.completed.join(', ') || '-'}`);
  const latest = r.checkpoints[r.checkpoints.length - 1];
  out.push(`Checkpoints ${r.checkpoints.length} verified${latest ? `; latest covers ${latest.size} entries` : ''}`);
  if (r.signers.length) {
    out.push('Signers');
    for (const s of r.signers) {
      out.push(`  ${s.role.padEnd(10)} ${s.name}+${s.keyHash}  signed ${s.checkpointsSigned} checkpoint(s); ${s.trustedByAuditor ? 'TRUSTED by you (--trusted-key)' : `recorded in ${s.source}`}`);
      out.push(`             ${s.key}`);
    }
  }
  for (const t of r.transcriptKeys ?? []) {
    const span = t.untilSeq === undefined ? `from entry ${t.fromSeq}` : `entries ${t.fromSeq} to ${t.untilSeq} (handed over)`;
    out.push(`Transcript key ${t.inForce ? 'IN FORCE (compare with the signed paper report)' : 'retired'}: ${t.source === 'token' ? 'on the token' : 'per-ceremony key file, destroyed'}, ${span}`);
    out.push(`             ${t.key}`);
  }
  if (r.unknownSigners.length) out.push(`Unknown signers (not checked): ${r.unknownSigners.join(', ')}`);
  for (const k of r.keys) {
    out.push(`Key         ${k.label} (${k.algorithm}, CKA_ID ${k.id}${k.token ? `, token ${k.token.label} ${k.token.serial}` : ''}), entry ${k.seq}`);
    out.push(`  SHA-256 of public key: ${k.fingerprint}${k.fingerprintMatches ? '' : '  (DOES NOT MATCH the recorded public key)'}`);
    out.push(`  read aloud: ${k.fingerprintWords.join(' ')}`);
    out.push(`  proven attributes (at generation): ${Object.entries(k.proof).map(([a, v]) => `${a}=${String(v)}`).join(' ')}`);
    out.push(k.locked ? `  locked in the token (entry ${k.locked.seq}): ${Object.entries(k.locked.proof).map(([a, v]) => `${a}=${String(v)}`).join(' ')}` : '  not locked in this transcript (no key.locked entry): the key may still be extractable');
  }
  for (const s of r.shares) {
    out.push(`Backup      ${s.k}-of-${s.n} shares, split ${s.splitId} (entry ${s.seq})`);
    for (const sh of s.shares) {
      const o = shareOutcome(s, sh.index);
      out.push(`  share ${sh.index} -> ${sh.custodian}  fingerprint ${sh.fingerprint}  ${o.medium ? `by ${o.medium}  ` : ''}${describeShareOutcome(o)}`);
      if (o.file) out.push(`    file ${o.file.name}  sha256 ${o.file.sha256}`);
    }
  }
  out.push(...describeAttestationFacts(r.attestations ?? [], r.keys.length > 0));
  out.push(...describeCheckUps(r.checkUps ?? []));
  for (const c of r.certificates) out.push(`Certificate ${c.subject} serial ${c.serial} sha256 ${c.sha256} (entry ${c.seq})`);
  for (const s of r.signedRecords ?? []) out.push(`DNSKEY RRset ${s.owner} sha256 ${s.rrsetSha256} signed by key tag ${s.keyTag} (algorithm ${s.algorithm}) for ${s.windows.map((w) => `${w.inception}-${w.expiration}`).join(', ')} (entry ${s.seq})`);
  for (const m of r.signedMetadata ?? []) {
    const counts = m.thresholds.map((t) => `${t.root} root v${t.version} ${t.threshold - t.needed}/${t.threshold}${t.met ? ' met' : ' NOT met'}`).join(', ');
    out.push(`TUF root    version ${m.version} signed part sha256 ${m.signedSha256}; ${m.signatures} signature(s) added; thresholds ${counts}${m.met ? '' : ' (clients refuse it until more signatures are added)'} (entry ${m.seq})`);
  }
  for (const w of r.witnesses) out.push(`Witness     ${w.name}: ${w.attestations.length} attestation(s), cosigned ${w.checkpointsCosigned} checkpoint(s)`);
  for (const d of r.deviations) out.push(`Deviation   entry ${d.seq}, step ${d.step}: ${d.who}: ${d.why}${d.action ? ` (${d.action})` : ''}`);
  for (const x of r.exceptions.filter((e) => e.kind !== 'deviation')) out.push(`Exception   entry ${x.seq}, step ${x.step}: ${x.kind}: ${x.detail}`);
  for (const w of r.warnings) out.push(`Note        ${w}`);
  out.push(...filesLines(r));
  return out.join('\n') + '\n';
}

const FILE_LABEL: Record<FileStatus, string> = {
  bound: 'bound', 'content-checked': 'content ok', changed: 'CHANGED', 'not-present': 'not present', 'not-bound': 'not bound', unexpected: 'UNEXPECTED',
  'report-matches': 'matches', 'report-differs': 'DIFFERS', transcript: 'transcript', working: 'not checked',
};

/** What VALID says about the files: all the transcript names were there and checked, or not. */
function filesVerdict(r: VerificationReport): string {
  if (!r.files) return '';
  const missing = r.files.filter((f) => f.status === 'not-present').length;
  return missing === 0 ? '; every file it names is present and matches' : `; files NOT all checked: ${missing} file(s) it names are not present`;
}

function filesLines(r: VerificationReport): string[] {
  if (!r.files) return [];
  const width = Math.min(40, Math.max(...r.files.map((f) => f.file.length), 4));
  return ['Files', ...r.files.map((f) => `  ${FILE_LABEL[f.status].padEnd(12)} ${f.file.padEnd(width)}  ${f.detail}`)];
}

export const command: CliCommand = {
  name: 'verify',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCli('verify', argv, {
      json: { type: 'boolean' },
      policy: { type: 'string' },
      'trusted-key': { type: 'string', multiple: true },
      'attestation-root': { type: 'string', multiple: true },
    }, { allowPositionals: true });
    if (values.help) return showHelp(io, HELP);
    if (positionals.length !== 1) throw usageError('verify', 'Give exactly one ceremony folder.');
    let policy: Uint8Array | undefined;
    if (values.policy !== undefined) {
      try {
        policy = new Uint8Array(readFileSync(values.policy));
      } catch (e) {
        throw new KeyriteError('INPUT_UNREADABLE', `Cannot read the policy file ${values.policy}: ${(e as Error).message}`, { action: 'Check the path.' });
      }
    }
    let report: VerificationReport;
    try {
      const attestationRoots = (values['attestation-root'] ?? []).map((f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch (e) {
          throw new KeyriteError('INPUT_UNREADABLE', `Cannot read the attestation root ${f}: ${(e as Error).message}`, { action: 'Check the path.' });
        }
      });
      report = await verifyTranscript(positionals[0] as string, { trustedKeys: values['trusted-key'] ?? [], attestationRoots, ...(policy ? { policy } : {}) });
    } catch (e) {
      if (isKeyriteError(e) && e.code.startsWith('INPUT_')) {
        if (values.json) io.stdout.write(JSON.stringify({ valid: false, unusable: e.toData() }, null, 2) + '\n');
        io.stderr.write(`keyrite verify: ${e.message}\n  What to do: ${e.action ?? ''}\n  [${e.code}]\n`);
        return 2;
      }
      throw e;
    }
    io.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : human(report));
    return report.valid ? 0 : 1;
  },
};
