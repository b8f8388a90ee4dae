/**
 * A ceremony transcript made on a SoftHSM2 rehearsal token: the transcript key is Ed25519 on the
 * token, the root key is EC P-384 on the token, and both sign every checkpoint after the key exists.
 * Then: every single-byte change, and deletions, duplicates, reorders, truncations and splices, are
 * caught and blamed on the right entry; the CLI's exit codes; and the README's OpenSSL procedure.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { tokenNoteSigner } from '../../../electron/core/transcript/note-token';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { writeExports } from '../../../electron/core/transcript/exports';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';
import { writeCeremony, type CeremonyFixture } from '../../unit/transcript/ceremony-fixture';

const run = promisify(execFile);
const tmp = tempDir('keyrite-transcript-hsm-');
const good = path.join(tmp.dir, 'good');
const other = path.join(tmp.dir, 'other');
const large = path.join(tmp.dir, 'large');
let client: TokenClient;
let session: string;
let transcriptKey = '';
let rootKey = '';
let keyCounter = 0;

async function ceremonyOnToken(dir: string, ceremonyId: string, padding = 0): Promise<{ transcriptKey: string; rootKey: string }> {
  const n = ++keyCounter;
  const tk = await client.generateKeyPair(session, { algorithm: 'ed25519', label: `transcript-${ceremonyId}`, id: `70${n.toString(16).padStart(2, '0')}`, extractableForBackup: false });
  const transcriptSigner = await tokenNoteSigner(client, session, tk, 'ed25519', `keyrite.transcript/${ceremonyId}`);
  const w = generateNoteKey('witness/wendy');
  let root = '';
  const f: CeremonyFixture = {
    ceremonyId, transcriptSigner, padding,
    witnesses: [{ name: 'Wendy', signer: keyFileSigner(w.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string } }],
    makeRootKey: async (id) => {
      const key = await client.generateKeyPair(session, { algorithm: 'ec-p384', label: `root-${ceremonyId}`, id: `${id}${n.toString(16).padStart(2, '0')}`, extractableForBackup: false });
      const proof = await client.readKeyProof(session, key);
      const signer = await tokenNoteSigner(client, session, key, 'ec-p384', `keyrite.root/${ceremonyId}`);
      root = signer.verifierKey;
      return { signer, spki: key.spki, algorithm: 'ec-p384', label: key.label, id: key.id, proof: { ...proof } };
    },
  };
  const { journal } = await writeCeremony(dir, f);
  await journal.close();
  await writeExports(dir, { generatedAt: new Date('2026-11-28T12:00:00Z') });
  return { transcriptKey: transcriptSigner.verifierKey, rootKey: root };
}

function copy(name: string, from = good): string {
  const d = path.join(tmp.dir, name);
  rmSync(d, { recursive: true, force: true });
  cpSync(from, d, { recursive: true });
  return d;
}
const linesOf = (d: string) => readFileSync(path.join(d, 'transcript.jsonl'), 'utf8').split('\n').slice(0, -1);
const writeLines = (d: string, l: string[]) => writeFileSync(path.join(d, 'transcript.jsonl'), l.map((x) => x + '\n').join(''));

/** Flips byte i of the transcript and checks the verifier blames the entry holding that byte. */
async function expectByteChangeBlamed(dir: string, original: Buffer, lineOf: number[], i: number): Promise<void> {
  const m = Buffer.from(original);
  m[i] = (m[i] as number) ^ [0x01, 0x20, 0x04, 0x40][i % 4]!;
  writeFileSync(path.join(dir, 'transcript.jsonl'), m);
  const r = await verifyTranscript(dir);
  if (r.valid || r.failure?.seq !== lineOf[i]) throw new Error(`byte ${i} (entry ${lineOf[i]}) not blamed: ${JSON.stringify(r.failure)}`);
}

function lineIndex(buf: Buffer): number[] {
  const out: number[] = [];
  let seq = 0;
  for (const b of buf) {
    out.push(seq);
    if (b === 0x0a) seq++;
  }
  return out;
}

beforeAll(async () => {
  const token = await makeToken(tmp.dir, 'transcript');
  client = createTokenClient({ modulePath: token.modulePath, env: token.env });
  session = await client.openSession({ label: 'transcript' }, { pin: USER_PIN });
  ({ transcriptKey, rootKey } = await ceremonyOnToken(good, 'c-hsm'));
  await ceremonyOnToken(other, 'c-other');
});
afterAll(async () => {
  await client.close();
  tmp.cleanup();
});

describe('transcript made on SoftHSM2 (Ed25519 transcript key, P-384 root key on the token)', () => {
  it('verifies, with both token keys trusted, and reports the token\'s proof attributes', async () => {
    const r = await verifyTranscript(good, { trustedKeys: [transcriptKey, rootKey] });
    expect(r.failure).toBeUndefined();
    expect(r.signers.filter((s) => s.trustedByAuditor).map((s) => s.role).sort()).toEqual(['root', 'transcript']);
    expect(r.keys[0]).toMatchObject({ algorithm: 'ec-p384', fingerprintMatches: true, proof: { local: true, sensitive: true, extractable: false, neverExtractable: true } });
    expect(r.signers.find((s) => s.role === 'root')?.checkpointsSigned).toBe(5);
    expect(r.signers.find((s) => s.role === 'transcript')?.checkpointsSigned).toBe(r.checkpoints.length);
  });

  it('catches a change of every single byte of the transcript, naming the entry that holds it', async () => {
    const original = readFileSync(path.join(good, 'transcript.jsonl'));
    const lineOf = lineIndex(original);
    const d = copy('every-byte');
    for (let i = 0; i < original.length; i++) await expectByteChangeBlamed(d, original, lineOf, i);
  }, 900_000);

  it('catches a change of every single byte of checkpoint.note', async () => {
    const d = copy('every-cp-byte');
    const file = path.join(d, 'checkpoint.note');
    const original = readFileSync(file);
    for (let i = 0; i < original.length; i++) {
      const m = Buffer.from(original);
      m[i] = (m[i] as number) ^ [0x01, 0x20, 0x04, 0x40][i % 4]!;
      writeFileSync(file, m);
      const r = await verifyTranscript(d);
      if (r.valid) throw new Error(`checkpoint.note byte ${i} changed and still valid`);
    }
  }, 900_000);

  it('a token key signs as a witness cosigner, and RSA root keys prove possession with keyrite.spki/v1', async () => {
    const { cosignNote, openNote, parseVerifierKey } = await import('../../../electron/core/transcript/note');
    const witnessKey = await client.generateKeyPair(session, { algorithm: 'ed25519', label: 'witness-card', id: 'e101', extractableForBackup: false });
    const witness = await tokenNoteSigner(client, session, witnessKey, 'ed25519', 'witness/card');
    const rsaKey = await client.generateKeyPair(session, { algorithm: 'rsa-3072', label: 'root-rsa', id: 'e102', extractableForBackup: false });
    const rsa = await tokenNoteSigner(client, session, rsaKey, 'rsa-3072', 'keyrite.root/rsa');
    const note = await cosignNote(readFileSync(path.join(good, 'checkpoint.note'), 'utf8'), [witness, rsa]);
    const opened = openNote(note, [parseVerifierKey(witness.verifierKey), parseVerifierKey(rsa.verifierKey), parseVerifierKey(transcriptKey)]);
    expect(opened.verified.map((v) => v.name).sort()).toEqual(['keyrite.root/rsa', 'keyrite.transcript/c-hsm', 'witness/card']);
    expect(parseVerifierKey(rsa.verifierKey).type).toBe('keyrite.spki/v1');
  });

  it('names the first bad entry for deletion, duplication, reordering, truncation and splicing', async () => {
    const l = linesOf(good);
    const o = linesOf(other);
    const n = l.length;
    const cases: [string, string[], number][] = [
      ['delete first', l.slice(1), 0],
      ['delete 9', [...l.slice(0, 9), ...l.slice(10)], 9],
      ['delete last', l.slice(0, n - 1), n - 1],
      ['duplicate 2', [...l.slice(0, 3), l[2] as string, ...l.slice(3)], 3],
      ['move 12 before 10', [...l.slice(0, 10), l[12] as string, l[10] as string, l[11] as string, ...l.slice(13)], 10],
      ['truncate to 15', l.slice(0, 15), 15],
      ['splice other ceremony entry 6 in place of 6', [...l.slice(0, 6), o[6] as string, ...l.slice(7)], 6],
      ['insert other ceremony entry', [...l.slice(0, 8), o[8] as string, ...l.slice(8)], 8],
      ['other ceremony tail', [...l.slice(0, 20), ...o.slice(20)], 20],
    ];
    for (const [what, mutated, seq] of cases) {
      const d = copy('mutated');
      writeLines(d, mutated);
      const r = await verifyTranscript(d);
      expect(r.valid, what).toBe(false);
      expect(r.failure?.seq, `${what}: ${JSON.stringify(r.failure)}`).toBe(seq);
    }
  });

  it('catches sampled single-byte changes in a large transcript (about 2,000 entries)', async () => {
    await ceremonyOnToken(large, 'c-large', 400);
    const original = readFileSync(path.join(large, 'transcript.jsonl'));
    const lineOf = lineIndex(original);
    expect(lineOf[lineOf.length - 1]).toBeGreaterThan(2000);
    const d = copy('large-mut', large);
    let x = 12345;
    for (let k = 0; k < 150; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      await expectByteChangeBlamed(d, original, lineOf, k < 3 ? [0, original.length - 1, original.length - 2][k]! : x % original.length);
    }
  }, 900_000);

  it('keyrite verify: exit 0 valid, 1 invalid naming the entry, 2 unusable input; --json', async () => {
    const cli = (args: string[]) => run('node', ['bin/keyrite.mjs', 'verify', ...args], { cwd: process.cwd() }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    const ok = await cli([good, '--trusted-key', transcriptKey, '--trusted-key', rootKey]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('VALID');
    expect(ok.stdout).toContain('TRUSTED by you');
    const json = await cli([good, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, ceremonyId: 'c-hsm' });
    const d = copy('cli-bad');
    const l = linesOf(good);
    writeLines(d, [...l.slice(0, 4), ...l.slice(5)]);
    const bad = await cli([d]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/INVALID {2}\[ENTRY_SEQ\] at entry seq 4/);
    const badJson = JSON.parse((await cli([d, '--json'])).stdout);
    expect(badJson.failure).toMatchObject({ code: 'ENTRY_SEQ', seq: 4 });
    expect((await cli([path.join(tmp.dir, 'missing')])).code).toBe(2);
    expect((await cli([good, '--trusted-key', 'garbage'])).code).toBe(2);
    expect((await cli([good, '--policy', path.join(tmp.dir, 'missing.yaml')])).code).toBe(2);
    const otherKey = (await cli([good, '--trusted-key', generateNoteKey('keyrite.transcript/c-hsm').verifierKey]));
    expect(otherKey.code).toBe(1);
    expect(otherKey.stdout).toContain('TRUSTED_KEY_NOT_USED');
  });

  it('the report prints to a multi-page PDF in Chromium and carries the facts to sign', async () => {
    const html = readFileSync(path.join(good, 'report.html'), 'utf8');
    const r = await verifyTranscript(good);
    for (const fact of [r.keys[0]?.fingerprint, r.keys[0]?.fingerprintWords.join(' '), transcriptKey, rootKey, r.root]) expect(html).toContain(fact);
    const pdf = path.join(tmp.dir, 'report.pdf');
    execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${path.join(good, 'report.html')}`], { stdio: 'ignore', timeout: 120_000 });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((bytes.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('the README auditor procedure, run verbatim, verifies both checkpoint signatures with OpenSSL alone', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = /<!-- section:auditor-openssl[^\n]*-->\n([\s\S]*?)<!-- \/section:auditor-openssl -->/.exec(readme)?.[1] ?? '';
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(script).toBeDefined();
    const runIn = (dir: string) => {
      try {
        return { code: 0, out: execFileSync('bash', ['-euo', 'pipefail', '-c', script as string], { cwd: dir, env: { ...process.env, TRANSCRIPT_KEY: transcriptKey, ROOT_KEY: rootKey }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (e) {
        return { code: (e as { status: number }).status, out: String((e as { stdout: string }).stdout) };
      }
    };
    const okRun = runIn(copy('readme-ok'));
    expect(okRun.code, okRun.out).toBe(0);
    expect(okRun.out).toContain('checkpoint covers all entries');
    expect(okRun.out).toContain('Signature Verified Successfully');
    expect(okRun.out).toContain('root key is public-key.pem');
    expect(okRun.out).toContain('Verified OK');
    // The same commands must fail on a checkpoint whose text was changed after signing.
    const d = copy('readme-bad');
    const note = readFileSync(path.join(d, 'checkpoint.note'), 'utf8');
    const lines = note.split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64');
    writeFileSync(path.join(d, 'checkpoint.note'), lines.join('\n'));
    const badRun = runIn(d);
    expect(badRun.code).not.toBe(0);
    expect(badRun.out).not.toContain('Verified OK');
  });
});
