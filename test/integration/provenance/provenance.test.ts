/**
 * Provenance in ceremony.start, checked against outside tools: the code digest against the
 * sha256sum pipeline an auditor runs, the module's SHA-256 against sha256sum, the token's identity
 * against pkcs11-tool, the kernel against uname; `keyrite verify` and report.html show them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import type { Provenance } from '../../../electron/core/provenance/gather';
import { toPgpWords } from '../../../electron/core/util/pgp-words';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const tmp = tempDir('keyrite-provenance-');
afterAll(() => tmp.cleanup());
const BOOT = 'ab'.repeat(32);
const out = path.join(tmp.dir, 'root');
let prov: Provenance;

beforeAll(async () => {
  const script = path.join(tmp.dir, 'root-keygen.yaml');
  writeFileSync(script, readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8').replace('type: root-keygen\n', `type: root-keygen\nbootMediaSha256: ${BOOT}\n`));
  await runHeadless({ scriptFile: script, outDir: out, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'root-keygen.rehearsal.yaml') });
  prov = (readJournalEntries(path.join(out, 'transcript.jsonl'))[0]!.data as { provenance: Provenance }).provenance;
}, 180_000);

describe('provenance recorded at ceremony start', () => {
  it('digests the running code exactly as the documented sha256sum pipeline does', () => {
    const pipeline = execFileSync('sh', ['-c', 'find electron -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum'], { cwd: ROOT, encoding: 'utf8' }).split(' ')[0];
    expect(prov.keyrite.code).toMatchObject({ folder: 'electron', sha256: pipeline });
    expect('words' in prov.keyrite.code && prov.keyrite.code.words).toEqual(toPgpWords(Buffer.from(pipeline!, 'hex')));
    expect(prov.keyrite.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('hashes the PKCS#11 module file and reads the token as pkcs11-tool does', () => {
    const sum = execFileSync('sha256sum', [prov.module.path], { encoding: 'utf8' }).split(' ')[0];
    expect(prov.module.sha256).toBe(sum);
    const listing = execFileSync('pkcs11-tool', ['--module', prov.module.path, '-L'], { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: path.join(out, 'token', 'softhsm2.conf') } });
    expect('error' in prov.token).toBe(false);
    const t = prov.token as Exclude<Provenance['token'], { error: string }>;
    expect(listing).toContain(`token label        : ${t.label}`);
    expect(listing).toContain(`token manufacturer : ${t.manufacturer}`);
    expect(listing).toContain(`token model        : ${t.model}`);
    expect(listing).toContain(`serial num         : ${t.serial}`);
    expect(listing).toMatch(new RegExp(`firmware version\\s+: ${t.firmware!.replace('.', '\\.')}`));
  });

  it('puts the code digest, as words, in the air-gap check the room reads aloud', () => {
    const result = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'step.result' && e.step === 'air-gap');
    const words = (prov.keyrite.code as { words: string[] }).words.join(' ');
    expect((result?.data as { facts: { label: string; value: string }[] }).facts).toContainEqual(expect.objectContaining({ label: 'Read aloud and compare with the published release', value: words }));
  });

  it('records the kernel and the boot media hash the script gives', () => {
    expect(prov.os.release).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    expect(prov.bootMedia?.sha256).toBe(BOOT);
  });

  it('is shown by keyrite verify and in report.html', async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), 'verify', out]);
    const code = prov.keyrite.code as { sha256: string; words: string[] };
    expect(stdout).toContain(`code electron/ (`);
    expect(stdout).toContain(`sha256 ${code.sha256}`);
    expect(stdout).toContain(`read aloud: ${code.words.join(' ')}`);
    expect(stdout).toContain(`sha256 ${prov.module.sha256}`);
    expect(stdout).toContain(`Boot media  sha256 ${BOOT}`);
    // No verify-attestation step: said plainly, not left out.
    expect(stdout).toContain('Attestation NONE: the ceremony has no verify-attestation step');
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain(code.sha256);
    expect(html).toContain(code.words.join(' '));
    expect(html).toContain(BOOT);
  });
});
