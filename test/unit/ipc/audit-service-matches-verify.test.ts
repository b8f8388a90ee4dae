/**
 * The audit service main wires (createCoreServices, electron/core/ipc/services.ts), on small signed
 * transcripts in temp folders (no token): the Audit screen shows the same verdict and the same
 * per-file list as `keyrite verify`; a changed file is INVALID on both, naming the file; a key the
 * auditor trusts is checked, none given is none required; the exported report is the one the CLI
 * renders, written to the data folder and never into the audited one.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { command as verifyCommand } from '../../../electron/cli/commands/verify';
import { createCoreServices } from '../../../electron/core/ipc/services';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { renderReportHtml } from '../../../electron/core/transcript/report-html';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import type { FileStatus, VerificationReport } from '../../../electron/core/transcript/verify-types';
import { spkiToPem } from '../../../electron/core/token/verify';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-audit-service-');
afterAll(() => tmp.cleanup());
const admin = { role: 'administrator', name: 'Ada' };
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
let n = 0;

/** A sealed, checkpointed one-step ceremony with a key (public-key.pem beside it) and one published file. */
async function ceremony(opts: { rehearsal?: boolean; id?: string } = {}): Promise<{ dir: string; id: string }> {
  const dir = path.join(tmp.dir, `run${n++}`);
  const id = opts.id ?? `root-2026-${n}`;
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' });
  const notes = 'handover notes\n';
  const t = generateNoteKey(`keyrite.transcript/${id.replace(/[^A-Za-z0-9.-]/g, '-')}`);
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: id });
  await j.append({ kind: 'ceremony.start', step: '-', actor: admin, data: { script: { id: 's', title: 'Root 2026', type: 'root-keygen', sha256: '00'.repeat(32) }, steps: ['a'], transcriptKey: t.verifierKey, transcriptKeySource: 'file', participants: [admin], ...(opts.rehearsal ? { rehearsal: true } : {}) } });
  await j.append({ kind: 'step.start', step: 'a', actor: admin, data: {} });
  await j.append({ kind: 'key.generated', step: 'a', actor: admin, data: { label: 'root', id: '01', algorithm: 'ec-p384', spki: spki.toString('base64'), fingerprint: sha256(spki), fingerprintWords: [], proof: {} } });
  await j.append({ kind: 'file.published', step: 'a', actor: admin, data: { file: 'notes.txt', sha256: sha256(notes), bytes: notes.length } });
  await j.append({ kind: 'step.result', step: 'a', actor: admin, data: { outcome: 'ok' } });
  await j.append({ kind: 'ceremony.sealed', step: '-', actor: admin, data: { entries: 5, outcome: 'completed' } });
  await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey)]);
  await j.close();
  writeFileSync(path.join(dir, 'public-key.pem'), spkiToPem(spki));
  writeFileSync(path.join(dir, 'notes.txt'), notes);
  // The report the seal leaves beside the transcript, so that every file it names is there to check.
  writeFileSync(path.join(dir, 'report.html'), renderReportHtml(await verifyTranscript(dir, { files: false }), { generatedAt: new Date('2026-03-04T05:06:07.000Z') }));
  return { dir, id };
}

/** `keyrite verify --json DIR`: exit code and the report it prints. */
async function cliVerify(dir: string, ...args: string[]): Promise<{ code: number; report: VerificationReport }> {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  const code = await verifyCommand.run(['--json', ...args, dir], { stdout: w, stderr: w, stdin: Readable.from([]) } as never);
  return { code, report: JSON.parse(out) as VerificationReport };
}

/** How the audit screen labels each status the CLI prints. */
const LABEL: Record<FileStatus, string> = {
  bound: 'Bound', 'content-checked': 'Content matches', changed: 'Changed', 'not-present': 'Not present, not checked', 'not-bound': 'Not bound by this transcript',
  unexpected: 'Unexpected', 'report-matches': 'Matches the transcript', 'report-differs': 'Does not match the transcript', transcript: 'Transcript', working: 'Not checked',
};

const dataDir = () => path.join(tmp.dir, `data${n++}`);

describe('the Audit screen and keyrite verify', () => {
  it('give the same verdict and the same per-file list for an untouched folder (VALID, exit 0)', async () => {
    const { dir, id } = await ceremony({ rehearsal: true });
    const audit = createCoreServices({ dataDir: dataDir() }).audit!;
    const view = await audit.verify(dir);
    const cli = await cliVerify(dir);
    expect(cli.code).toBe(0);
    expect(view.verdict).toBe('verified');
    expect(view.dir).toBe(cli.report.dir);
    expect(view.ceremony).toEqual({ id, title: 'Root 2026', type: 'root-keygen', rehearsal: true });
    expect(view.files?.map((f) => [f.file, f.label, f.detail])).toEqual(cli.report.files!.map((f) => [f.file, LABEL[f.status], f.detail]));
    expect(view.files?.find((f) => f.file === 'notes.txt')).toMatchObject({ status: 'pass', label: 'Bound', entry: 'entry 3 (file.published)' });
    expect(view.files?.find((f) => f.file === 'public-key.pem')).toMatchObject({ status: 'pass', entry: 'entry 2 (key.generated)' });
    // The timeline is read from the folder's own journal: one row per line, in order.
    expect(view.entries.map((e) => e.kind)).toEqual(['ceremony.start', 'step.start', 'key.generated', 'file.published', 'step.result', 'ceremony.sealed']);
    expect(view.entries.every((e) => e.status === 'ok')).toBe(true);
    expect(view.entries[0]!.summary).toBe('Ceremony started: Root 2026');
    expect(view.checks.find((c) => c.id === 'files')?.status).toBe('pass');
  });

  it('show a changed file as INVALID naming the file, as keyrite verify does (exit 1)', async () => {
    for (const file of ['notes.txt', 'public-key.pem']) {
      const { dir } = await ceremony();
      writeFileSync(path.join(dir, file), file === 'notes.txt' ? 'handover notes, edited\n' : spkiToPem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' })));
      const view = await createCoreServices({ dataDir: dataDir() }).audit!.verify(dir);
      const cli = await cliVerify(dir);
      expect(cli.code, file).toBe(1);
      expect(cli.report.failure, file).toMatchObject({ code: 'FILE_CHANGED', file });
      expect(view.verdict, file).toBe('failed');
      expect(view.headline, file).toBe(cli.report.failure!.message);
      expect(view.headline, file).toContain(file);
      expect(view.files?.find((f) => f.file === file), file).toMatchObject({ status: 'fail', label: 'Changed' });
      expect(view.files?.map((f) => [f.file, f.label, f.detail]), file).toEqual(cli.report.files!.map((f) => [f.file, LABEL[f.status], f.detail]));
      expect(view.checks.find((c) => c.id === 'files'), file).toMatchObject({ status: 'fail', detail: expect.stringContaining(`${file}: `) });
    }
  });

  it('checks a key the auditor trusts, and requires none when none is given', async () => {
    const { dir } = await ceremony();
    const audit = createCoreServices({ dataDir: dataDir() }).audit!;
    const stranger = generateNoteKey('keyrite.transcript/someone-else').verifierKey;
    const trusted = await audit.verify(dir, [stranger]);
    const cli = await cliVerify(dir, '--trusted-key', stranger);
    expect(cli.code).toBe(1);
    expect(trusted.verdict).toBe('failed');
    expect(trusted.headline).toBe(cli.report.failure!.message);
    expect(cli.report.failure?.code).toBe('TRUSTED_KEY_NOT_USED');
    expect((await audit.verify(dir, [])).verdict).toBe('verified');
    expect((await audit.verify(dir)).verdict).toBe('verified');
  });

});

describe('the exported audit report', () => {
  it('is the report the CLI renders, written to the data folder under the ceremony id, and the audited folder is left as it was', async () => {
    const { dir } = await ceremony({ id: 'root_2026.a-1' });
    const before = readdirSync(dir).sort();
    const data = dataDir();
    const t0 = Date.now();
    const file = await createCoreServices({ dataDir: data }).audit!.exportReport(dir);
    expect(path.dirname(file)).toBe(path.join(data, 'audit-reports'));
    expect(path.basename(file)).toMatch(/^audit-root_2026\.a-1-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.html$/);
        const stamp = path.basename(file).slice('audit-root_2026.a-1-'.length, -'.html'.length);
    const when = new Date(stamp.replace(/^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, '$1:$2:$3.$4Z'));
    expect(when.getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(when.getTime()).toBeLessThanOrEqual(Date.now());
    const html = readFileSync(file, 'utf8');
    expect(html).toBe(renderReportHtml(await verifyTranscript(dir), { generatedAt: when }));
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(statSync(path.join(data, 'audit-reports')).mode & 0o777).toBe(0o700);
  });

  it('keeps a hostile ceremony id from naming a path outside the reports folder', async () => {
    const dir = path.join(tmp.dir, `hostile${n++}`);
    mkdirSync(dir);
    // A forged latest checkpoint whose origin names the ceremony: the verifier reports that name.
    writeFileSync(path.join(dir, 'transcript.jsonl'), 'not json\n');
    writeFileSync(path.join(dir, 'checkpoint.note'), `keyrite.transcript/../../x y\n1\n${Buffer.alloc(32).toString('base64')}\n\n\u2014 forger ${Buffer.alloc(12).toString('base64')}\n`);
    const report = await verifyTranscript(dir);
    expect(report.ceremonyId).toBe('../../x y');
    const data = dataDir();
    const file = await createCoreServices({ dataDir: data }).audit!.exportReport(dir);
    expect(path.dirname(file)).toBe(path.join(data, 'audit-reports'));
    expect(path.basename(file)).toMatch(/^audit-\.\._\.\._x_y-[0-9T-]+Z\.html$/);
  });

  it('is named "transcript" when the transcript names no ceremony', async () => {
    const dir = path.join(tmp.dir, `noid${n++}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'transcript.jsonl'), 'not json\n');
    const file = await createCoreServices({ dataDir: dataDir() }).audit!.exportReport(dir);
    expect(path.basename(file)).toMatch(/^audit-transcript-[0-9T-]+Z\.html$/);
  });
});
