/**
 * VALID binds every file: in copies of one root-keygen rehearsal folder (made once with the CLI),
 * each file an auditor relies on, changed, makes `keyrite verify` INVALID (exit 1) naming the file
 * and the entry; report.html changed is reported as not matching; a missing file is listed as not
 * checked; the untouched folder is VALID (exit 0). Plus the verifier's other promises through the
 * CLI: an uncheckpointed tail, a --policy other than the recorded one, unknown signers reported.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { createAuditService } from '../../../electron/core/ipc/services';
import { Journal } from '../../../electron/core/transcript/journal';
import { cosignCheckpoint, writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note-keys';
import type { AuditReport } from '../../../electron/contract/views';
import type { FileFact, VerificationReport } from '../../../electron/core/transcript/verify-types';
import { tempDir } from '../../helpers/softhsm';
import { keyrite } from '../../helpers/keyrite-cli';

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATES = path.join(ROOT, 'resources/ceremonies');
const POLICY = path.join(ROOT, 'resources/policy/default.yaml');

const tmp = tempDir('keyrite-verify-files-');
afterAll(() => tmp.cleanup());
const made = path.join(tmp.dir, 'made');
let n = 0;

/** A fresh copy of the rehearsal folder, as an auditor would receive it. */
function copy(): string {
  const d = path.join(tmp.dir, `copy-${n++}`);
  cpSync(made, d, { recursive: true });
  return d;
}

async function verifyJson(dir: string, ...extra: string[]): Promise<{ code: number; report: VerificationReport }> {
  const r = await keyrite('verify', dir, '--json', ...extra);
  return { code: r.code, report: JSON.parse(r.stdout) as VerificationReport };
}

const fileFact = (r: VerificationReport, file: string): FileFact | undefined => r.files?.find((f) => f.file === file);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

function flipOneBit(file: string, at: (b: Buffer) => number): void {
  const b = readFileSync(file);
  const i = at(b);
  b[i] = (b[i] as number) ^ 0x01;
  writeFileSync(file, b);
}

/** Changes one base64 character to another valid one, so the field still parses and only its bytes differ (flipping a bit can leave the alphabet). */
function changeBase64Char(file: string, at: (b: Buffer) => number): void {
  const b = readFileSync(file);
  const i = at(b);
  b[i] = b[i] === 0x41 ? 0x42 : 0x41; // 'A' <-> 'B', else 'A'
  writeFileSync(file, b);
}

beforeAll(async () => {
  const r = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--rehearsal', '--out', made, '--inputs', path.join(TEMPLATES, 'root-keygen.rehearsal.yaml'));
  expect(r.code, r.stderr).toBe(0);
}, 180_000);

describe('keyrite verify binds every file beside the transcript', () => {
  it('the untouched folder is VALID, exit 0, with every file the transcript names bound by its entry', async () => {
    const text = await keyrite('verify', made);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/VALID: intact, signed, complete and in order; every file it names is present and matches/);
    const { code, report } = await verifyJson(made);
    expect(code).toBe(0);
    expect(report.filesAllChecked).toBe(true);
    for (const f of ['public-key.pem', 'root-cert.pem', 'backup.json', 'shares/Carol.txt', 'rehearsal-script.yaml']) {
      expect(fileFact(report, f), f).toMatchObject({ status: 'bound', entry: { kind: expect.any(String) } });
    }
    expect(report.files?.find((f) => f.file.startsWith('custody/'))).toMatchObject({ status: 'bound', entry: { kind: 'share.delivered' } });
    expect(fileFact(report, 'report.html')?.status).toBe('report-matches');
    expect(report.files?.filter((f) => f.status === 'unexpected' || f.status === 'changed')).toEqual([]);
    // OpenSSL reads the bound public key as the recorded key, and the root certificate as its own issuer over that key.
    const der = openssl('pkey', '-pubin', '-in', path.join(made, 'public-key.pem'), '-outform', 'DER');
    expect(createHash('sha256').update(der).digest('hex')).toBe(report.keys[0]?.fingerprint);
    expect(openssl('x509', '-in', path.join(made, 'root-cert.pem'), '-noout', '-pubkey').toString()).toBe(readFileSync(path.join(made, 'public-key.pem'), 'utf8'));
    expect(openssl('verify', '-CAfile', path.join(made, 'root-cert.pem'), path.join(made, 'root-cert.pem')).toString()).toMatch(/: OK/);
  });

  it('report.html still matches when the auditor passes --trusted-key (it is derived from the transcript alone)', async () => {
    const { report } = await verifyJson(made);
    const inForce = report.transcriptKeys?.find((k) => k.inForce)?.key;
    expect(inForce).toBeTruthy();
    const trusted = await verifyJson(made, '--trusted-key', inForce!);
    expect(trusted.code).toBe(0);
    expect(trusted.report.signers.some((s) => s.trustedByAuditor)).toBe(true);
    expect(fileFact(trusted.report, 'report.html')?.status).toBe('report-matches');
  });

  it('a different P-384 key in public-key.pem is INVALID, exit 1, naming the file and its entry', async () => {
    const d = copy();
    const key = path.join(tmp.dir, `other-${n}.key`);
    openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', key);
    openssl('ec', '-in', key, '-pubout', '-out', path.join(d, 'public-key.pem'));
    openssl('pkey', '-pubin', '-in', path.join(d, 'public-key.pem'), '-noout'); // a well-formed key: only the binding catches it
    const text = await keyrite('verify', d);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/INVALID {2}\[FILE_CHANGED\]/);
    expect(text.stdout).toMatch(/public-key\.pem is not the file the ceremony wrote: .*entry \d+ \(file\.published\)/);
    const { report } = await verifyJson(d);
    expect(report.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'public-key.pem' });
    expect(fileFact(report, 'public-key.pem')).toMatchObject({ status: 'changed', entry: { kind: 'file.published' } });
  });

  it('another self-signed certificate with the same DN in root-cert.pem is INVALID, exit 1, naming the file', async () => {
    const d = copy();
    const subject = openssl('x509', '-in', path.join(made, 'root-cert.pem'), '-noout', '-subject', '-nameopt', 'compat').toString().replace(/^subject=/, '').trim();
    const key = path.join(tmp.dir, `other-${n}.key`);
    openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', key);
    openssl('req', '-x509', '-new', '-key', key, '-subj', subject, '-days', '30', '-out', path.join(d, 'root-cert.pem'));
    expect(openssl('x509', '-in', path.join(d, 'root-cert.pem'), '-noout', '-subject', '-nameopt', 'compat').toString()).toBe(openssl('x509', '-in', path.join(made, 'root-cert.pem'), '-noout', '-subject', '-nameopt', 'compat').toString());
    const { code, report } = await verifyJson(d);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'root-cert.pem' });
    expect(report.failure?.message).toMatch(/root-cert\.pem.*entry \d+ \(file\.published\)/);
  });

  it('one flipped bit in backup.json\'s wrapped key is INVALID, exit 1, naming the file', async () => {
    const d = copy();
    changeBase64Char(path.join(d, 'backup.json'), (b) => b.indexOf('"wrappedKey": "') + 20);
    const text = await keyrite('verify', d);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/backup\.json is not the file the ceremony wrote/);
    expect(text.stdout).toMatch(/CHANGED +backup\.json/);
  });

  it('a changed custody share file and a changed share sheet are each INVALID, exit 1, naming the file', async () => {
    const { report: untouched } = await verifyJson(made);
    const custody = untouched.files!.find((f) => f.file.startsWith('custody/'))!.file;
    for (const file of [custody, 'shares/Carol.txt']) {
      const d = copy();
      flipOneBit(path.join(d, file), (b) => b.length - 2);
      const { code, report } = await verifyJson(d);
      expect(code, file).toBe(1);
      expect(report.failure, file).toMatchObject({ code: 'FILE_CHANGED', file });
      expect(fileFact(report, file)?.entry?.kind).toBe(file === custody ? 'share.delivered' : 'file.published');
    }
  });

  it('a changed report.html is reported as not matching the report derived from the transcript; the verdict stands', async () => {
    const d = copy();
    writeFileSync(path.join(d, 'report.html'), readFileSync(path.join(d, 'report.html'), 'utf8').replace(/Entries/, 'Entries (edited)'));
    const text = await keyrite('verify', d);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/DIFFERS +report\.html +does not match the report derived again from the transcript/);
    expect(fileFact((await verifyJson(d)).report, 'report.html')?.status).toBe('report-differs');
  });

  it('a missing file is listed as not present, not checked, and the verdict says so; an extra file is listed as unexpected', async () => {
    const d = copy();
    rmSync(path.join(d, 'backup.json'));
    writeFileSync(path.join(d, 'extra-cert.pem'), 'not from this ceremony\n');
    const text = await keyrite('verify', d);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/VALID: .*; files NOT all checked: 1 file\(s\) it names are not present/);
    expect(text.stdout).toMatch(/not present +backup\.json +not present, not checked: named by entry \d+/);
    const { report } = await verifyJson(d);
    expect(report.filesAllChecked).toBe(false);
    expect(fileFact(report, 'backup.json')?.status).toBe('not-present');
    expect(fileFact(report, 'extra-cert.pem')?.status).toBe('unexpected');
  });
});

describe('keyrite verify keeps the transcript promises', () => {
  it('an entry after the last signed checkpoint is fatal (ENTRIES_NOT_CHECKPOINTED), exit 1', async () => {
    const d = copy();
    const { journal } = await Journal.open(path.join(d, 'transcript.jsonl'));
    const size = journal.size;
    await journal.append({ kind: 'deviation', step: '-', actor: { role: 'administrator', name: 'Alice Admin' }, data: { who: 'Alice Admin', why: 'added after the seal' } });
    await journal.close();
    const { code, report } = await verifyJson(d);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: size });
  });

  it('a --policy other than the one recorded is refused (POLICY_MISMATCH), exit 1; the recorded one passes', async () => {
    expect((await keyrite('verify', made, '--policy', POLICY)).code).toBe(0);
    const other = path.join(tmp.dir, 'other-policy.yaml');
    writeFileSync(other, `${readFileSync(POLICY, 'utf8')}\n# one more line\n`);
    const { code, report } = await verifyJson(made, '--policy', other);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ code: 'POLICY_MISMATCH', actual: report.policySha256 });
  });

  it('a signature line by a key the transcript does not name, in checkpoint.note, is reported', async () => {
    const d = copy();
    const stranger = generateNoteKey('auditor/stranger');
    await cosignCheckpoint(d, [keyFileSigner(stranger.signerKey)]);
    expect(readFileSync(path.join(d, 'checkpoint.note'), 'utf8')).toMatch(/— auditor\/stranger /);
    const text = await keyrite('verify', d);
    expect(text.stdout).toMatch(/Unknown signers \(not checked\): auditor\/stranger\+[0-9a-f]{8}/);
    const { report } = await verifyJson(d);
    expect(report.unknownSigners).toEqual([expect.stringMatching(/^auditor\/stranger\+[0-9a-f]{8}$/)]);
  });
});

describe('the Audit screen (through the handler table) shows the same per-file list', () => {
  const audit = async (dir: string): Promise<AuditReport> => {
    const r = await invokeChannel(table(), 'audit/verify', { dir });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as AuditReport;
  };
  const table = () => createHandlerTable({
    dataDir: path.join(tmp.dir, 'app-data'), app: { version: 'test', platform: 'linux', rehearsal: true },
    tokens: { listSlots: async () => [] }, audit: createAuditService(path.join(tmp.dir, 'app-data')),
  });

  it('a changed backup.json fails the verdict, names the file and its entry in the file list and the files check', async () => {
    const d = copy();
    changeBase64Char(path.join(d, 'backup.json'), (b) => b.indexOf('"wrappedKey": "') + 20);
    const report = await audit(d);
    expect(report.verdict).toBe('failed');
    expect(report.headline).toMatch(/^backup\.json is not the file the ceremony wrote/);
    expect(report.files?.find((f) => f.file === 'backup.json')).toMatchObject({ status: 'fail', label: 'Changed', entry: expect.stringMatching(/^entry \d+ \(file\.published\)$/) });
    expect(report.checks.find((c) => c.id === 'files')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^backup\.json: /) });
    // The timeline blames no entry: the transcript itself is intact.
    expect(report.firstFailure).toBeUndefined();
  });

  it('the untouched folder lists the same files as keyrite verify, every named one passing', async () => {
    const r = { value: await audit(made) };
    const { report: cli } = await verifyJson(made);
    expect(r.value.verdict).toBe('verified');
    expect(r.value.files?.map((f) => f.file)).toEqual(cli.files?.map((f) => f.file));
    expect(r.value.files?.find((f) => f.file === 'public-key.pem')).toMatchObject({ status: 'pass', label: 'Bound' });
    expect(r.value.checks.find((c) => c.id === 'files')?.status).toBe('pass');
  });
});

describe('backup.json is bound by its content too (a transcript written before file hashes were journaled)', () => {
  /** A small signed transcript recording the rehearsal's key and backup.created, and no file.published: backup.json is checked by content alone. */
  async function olderTranscript(edit: (backupCreated: Record<string, unknown>) => void = () => {}): Promise<string> {
    const entries = readFileSync(path.join(made, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
    // Without its note key: the older transcript's checkpoints are signed by its transcript key only.
    const { noteVerifierKey: _proofKey, ...key } = entries.find((e) => e.kind === 'key.generated')!.data;
    const backup = structuredClone(entries.filter((e) => e.kind === 'backup.created').pop()!.data);
    edit(backup);
    const dir = path.join(tmp.dir, `older-${n++}`);
    const t = generateNoteKey('keyrite.transcript/older');
    const actor = { role: 'administrator', name: 'Alice Admin' };
    const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: 'older' });
    await j.append({ kind: 'ceremony.start', step: '-', actor, data: { script: { id: 's', title: 'S', type: 'test', sha256: '00'.repeat(32) }, steps: ['b'], transcriptKey: t.verifierKey, transcriptKeySource: 'file', participants: [actor] } });
    await j.append({ kind: 'step.start', step: 'b', actor, data: {} });
    await j.append({ kind: 'key.generated', step: 'b', actor, data: key as never });
    await j.append({ kind: 'backup.created', step: 'b', actor, data: backup as never });
    await j.append({ kind: 'step.result', step: 'b', actor, data: { outcome: 'ok' } });
    await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey)]);
    await j.close();
    cpSync(path.join(made, 'backup.json'), path.join(dir, 'backup.json'));
    return dir;
  }

  it('the rehearsal\'s backup.json matches the recorded wrapped key, split and commitments', async () => {
    const r = await verifyTranscript(await olderTranscript());
    expect(r.failure).toBeUndefined();
    expect(fileFact(r, 'backup.json')).toMatchObject({ status: 'content-checked', entry: { kind: 'backup.created' } });
  });

  it('a backup of the same key with another split, other commitments or another wrapped key is INVALID, naming the entry', async () => {
    const cases: [(d: Record<string, unknown>) => void, RegExp][] = [
      [(d) => { d.splitId = '00000000'; }, /its split is [0-9a-f]{8}, the transcript's is 00000000/],
      [(d) => { (d.commitments as Record<string, string>).Carol = 'ab'.repeat(32); }, /the commitment to Carol's share differs/],
      [(d) => { d.wrappedKeySha256 = 'cd'.repeat(32); }, /its wrapped key's SHA-256 is [0-9a-f]{64}, the transcript's is (cd){32}/],
      [(d) => { d.wrappingKeyCommitment = 'ef'.repeat(32); }, /its wrapping-key commitment differs/],
    ];
    for (const [edit, why] of cases) {
      const r = await verifyTranscript(await olderTranscript(edit));
      expect(r.failure, String(why)).toMatchObject({ code: 'FILE_CHANGED', file: 'backup.json', message: expect.stringMatching(why) });
      expect(r.failure?.message).toMatch(/entry 3 \(backup\.created\)/);
    }
  });

  it('one changed character in the wrapped key breaks the root key\'s signature over the backup', async () => {
    const dir = await olderTranscript();
    changeBase64Char(path.join(dir, 'backup.json'), (b) => b.indexOf('"wrappedKey": "') + 20);
    expect((await verifyTranscript(dir)).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'backup.json', message: expect.stringMatching(/signature does not verify/) });
  });
});

describe('keyrite verify binds the CRL and a detached artifact signature', () => {
  const crlDir = path.join(tmp.dir, 'sign-crl');
  const artDir = path.join(tmp.dir, 'sign-artifact');
  beforeAll(async () => {
    for (const [name, out] of [['sign-crl', crlDir], ['sign-artifact', artDir]] as const) {
      const r = await keyrite('ceremony', 'run', path.join(TEMPLATES, `${name}.yaml`), '--rehearsal', '--out', out, '--inputs', path.join(TEMPLATES, `${name}.rehearsal.yaml`), '--from', made);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 180_000);

  const copyOf = (src: string) => {
    const d = path.join(tmp.dir, `copy-${n++}`);
    cpSync(src, d, { recursive: true });
    return d;
  };

  it('untouched, both are VALID with every file bound; OpenSSL accepts the CRL under the root certificate', async () => {
    for (const dir of [crlDir, artDir]) {
      const { code, report } = await verifyJson(dir);
      expect(code, dir).toBe(0);
      expect(report.filesAllChecked).toBe(true);
    }
    const { report } = await verifyJson(crlDir);
    expect(fileFact(report, 'crl.pem')).toMatchObject({ status: 'bound', detail: expect.stringMatching(/crl\.issued/) });
    expect(fileFact(report, 'issuer-cert.pem')?.status).toBe('bound');
    openssl('crl', '-in', path.join(crlDir, 'crl.pem'), '-CAfile', path.join(made, 'root-cert.pem'), '-noout');
    const art = (await verifyJson(artDir)).report;
    for (const f of ['sign-artifact.manifest.txt', 'sign-artifact.manifest.txt.sig', 'signing-key.pem']) expect(fileFact(art, f)?.detail, f).toMatch(/artifact\.signed/);
  });

  it('a changed CRL, artifact, signature or signing key is INVALID, exit 1, naming the file', async () => {
    const cases: [string, string, (file: string) => void][] = [
      [crlDir, 'crl.pem', (f) => flipOneBit(f, (b) => b.indexOf('\n', 30) - 5)],
      [artDir, 'sign-artifact.manifest.txt', (f) => flipOneBit(f, () => 0)],
      [artDir, 'sign-artifact.manifest.txt.sig', (f) => flipOneBit(f, (b) => b.length - 1)],
      [artDir, 'signing-key.pem', (f) => {
        const key = `${f}.other`;
        openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', key);
        openssl('ec', '-in', key, '-pubout', '-out', f);
        rmSync(key);
      }],
    ];
    for (const [src, file, change] of cases) {
      const d = copyOf(src);
      change(path.join(d, file));
      const { code, report } = await verifyJson(d);
      expect(code, file).toBe(1);
      expect(report.failure, file).toMatchObject({ code: 'FILE_CHANGED', file });
    }
  });
});
