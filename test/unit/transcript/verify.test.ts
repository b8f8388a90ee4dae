import { cpSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { writeExports } from '../../../electron/core/transcript/exports';
import { scanTranscript } from '../../../electron/core/transcript/verify-entries';
import { Journal } from '../../../electron/core/transcript/journal';
import { createPublicKey } from 'node:crypto';
import { tempDir } from '../../helpers/softhsm';
import { writeCeremony, softwareRootKey } from './ceremony-fixture';

const tmp = tempDir('keyrite-verify-');
const good = path.join(tmp.dir, 'good');
const other = path.join(tmp.dir, 'other');
let transcriptKey = '';

function fileSigner(name: string) {
  const k = generateNoteKey(name);
  return { signer: keyFileSigner(k.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string }, verifierKey: k.verifierKey };
}

async function make(dir: string, ceremonyId: string) {
  const t = fileSigner(`keyrite.transcript/${ceremonyId}`);
  const w = fileSigner('witness/wendy');
  const { journal } = await writeCeremony(dir, {
    ceremonyId, transcriptSigner: t.signer, witnesses: [{ name: 'Wendy', signer: w.signer }],
    makeRootKey: softwareRootKey,
  });
  await journal.close();
  return t.verifierKey;
}

function copy(name: string): string {
  const d = path.join(tmp.dir, name);
  rmSync(d, { recursive: true, force: true });
  cpSync(good, d, { recursive: true });
  return d;
}
const lines = (d: string) => readFileSync(path.join(d, 'transcript.jsonl'), 'utf8').split('\n').slice(0, -1);
const writeLines = (d: string, l: string[]) => writeFileSync(path.join(d, 'transcript.jsonl'), l.map((x) => x + '\n').join(''));

beforeAll(async () => {
  transcriptKey = await make(good, 'c-good');
  await make(other, 'c-other');
});
afterAll(() => tmp.cleanup());

describe('verifyTranscript on a key-file ceremony', () => {
  it('accepts the intact transcript and reports its key facts', async () => {
    const r = await verifyTranscript(good, { trustedKeys: [transcriptKey] });
    expect(r.failure).toBeUndefined();
    expect(r.valid).toBe(true);
    expect(r.ceremonyId).toBe('c-good');
    expect(r.steps.completed).toEqual(r.steps.expected);
    expect(r.keys).toHaveLength(1);
    expect(r.keys[0]?.fingerprintMatches).toBe(true);
    expect(r.keys[0]?.proof).toMatchObject({ local: true, neverExtractable: true });
    expect(r.shares[0]?.shares.map((s) => s.custodian)).toEqual(['Carol', 'Dan', 'Erin']);
    expect(r.shares[0]?.verified.every((v) => v.ok)).toBe(true);
    expect(r.witnesses[0]?.name).toBe('Wendy');
    expect(r.witnesses[0]?.attestations).toHaveLength(5);
    expect(r.witnesses[0]?.checkpointsCosigned).toBe(r.checkpoints.length);
    expect(r.deviations[0]?.why).toMatch(/Printer jammed/);
    expect(r.signers.find((s) => s.role === 'transcript')?.trustedByAuditor).toBe(true);
    expect(r.signers.find((s) => s.role === 'root')?.checkpointsSigned).toBeGreaterThan(0);
    expect(r.sealed).toBe(true);
  });

  it('names the first bad entry for deletion, duplication, reordering, truncation and splicing', async () => {
    const l = lines(good);
    const n = l.length;
    const cases: [string, string[], number, string][] = [
      ['delete 4', [...l.slice(0, 4), ...l.slice(5)], 4, 'ENTRY_SEQ'],
      ['duplicate 4', [...l.slice(0, 5), l[4] as string, ...l.slice(5)], 5, 'ENTRY_SEQ'],
      ['swap 6 and 7', [...l.slice(0, 6), l[7] as string, l[6] as string, ...l.slice(8)], 6, 'ENTRY_SEQ'],
      ['truncate last 3', l.slice(0, n - 3), n - 3, 'CHECKPOINT_BEYOND_END'],
      ['truncate last 1', l.slice(0, n - 1), n - 1, 'CHECKPOINT_BEYOND_END'],
      ['splice from other ceremony', [...l.slice(0, 3), lines(other)[3] as string, ...l.slice(4)], 3, 'ENTRY_CEREMONY'],
      ['append foreign tail', [...l, lines(other)[n - 1] as string], n, 'ENTRY_SEQ'],
    ];
    for (const [what, mutated, seq, code] of cases) {
      const d = copy('m');
      writeLines(d, mutated);
      const r = await verifyTranscript(d);
      expect(r.valid, what).toBe(false);
      expect(r.failure?.seq, `${what}: ${r.failure?.message}`).toBe(seq);
      expect(r.failure?.code, what).toBe(code);
    }
  });

  it('detects a change of sampled bytes (every 5th) of the transcript and names the entry holding it', async () => {
    const bytes = readFileSync(path.join(good, 'transcript.jsonl'));
    const lineOf: number[] = [];
    let seq = 0;
    for (const b of bytes) {
      lineOf.push(seq);
      if (b === 0x0a) seq++;
    }
    const d = copy('bytes');
    const file = path.join(d, 'transcript.jsonl');
    for (let i = 0; i < bytes.length; i += 5) {
      const m = Buffer.from(bytes);
      m[i] = (m[i] as number) ^ (i % 3 === 0 ? 0x01 : i % 3 === 1 ? 0x20 : 0x04);
      writeFileSync(file, m);
      const r = await verifyTranscript(d);
      if (r.valid || r.failure?.seq !== lineOf[i]) {
        throw new Error(`byte ${i} (entry ${lineOf[i]}): valid=${r.valid} failure=${JSON.stringify(r.failure)}`);
      }
    }
  }, 600_000);

  it('refuses a checkpoint changed, resigned by an unknown key, or missing', async () => {
    let d = copy('cp1');
    const cpFile = path.join(d, 'checkpoint.note');
    const note = readFileSync(cpFile, 'utf8');
    writeFileSync(cpFile, note.replace(/\n(\d+)\n/, (_m, s: string) => `\n${Number(s) + 1}\n`));
    expect((await verifyTranscript(d)).failure?.code).toBe('CHECKPOINT_LATEST_MISMATCH');
    d = copy('cp1b');
    const names = readdirSync(path.join(d, 'checkpoints'));
    const mid = path.join(d, 'checkpoints', names[2] as string);
    const sigs = readFileSync(mid, 'utf8').split('\n');
    const tampered = sigs.map((s) => (s.startsWith('\u2014 keyrite.transcript') ? s.slice(0, -8) + (s.endsWith('AAAAAAA=') ? 'BBBBBBB=' : 'AAAAAAA=') : s)).join('\n');
    writeFileSync(mid, tampered);
    expect((await verifyTranscript(d)).failure?.code).toMatch(/CHECKPOINT_(SIGNATURE_INVALID|MALFORMED)/);
    d = copy('cp2');
    rmSync(path.join(d, 'checkpoint.note'));
    expect((await verifyTranscript(d)).failure?.code).toBe('CHECKPOINT_MISSING');
    const r = await verifyTranscript(good, { trustedKeys: [fileSigner('keyrite.transcript/c-good').verifierKey] });
    expect(r.failure?.code).toBe('TRUSTED_KEY_NOT_USED');
  });

  it('refuses unusable input with INPUT_ codes', async () => {
    await expect(verifyTranscript(path.join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(verifyTranscript(good, { trustedKeys: ['not-a-key'] })).rejects.toMatchObject({ code: 'INPUT_TRUSTED_KEY_INVALID' });
  });

  it('checks the policy against the hash recorded at ceremony start', async () => {
    expect((await verifyTranscript(good, { policy: 'policy: default\n' })).valid).toBe(true);
    expect((await verifyTranscript(good, { policy: 'policy: lax\n' })).failure?.code).toBe('POLICY_MISMATCH');
  });

  it('exports transcript, checkpoints, public key PEM and a self-contained report, never replacing files', async () => {
    const out = path.join(tmp.dir, 'export');
    const { files, report } = await writeExports(good, { outDir: out, generatedAt: new Date('2026-01-02T03:04:05Z') });
    expect(report.valid).toBe(true);
    expect(files).toEqual(expect.arrayContaining(['transcript.jsonl', 'checkpoint.note', 'public-key.pem', 'report.html']));
    expect(readFileSync(path.join(out, 'transcript.jsonl'))).toEqual(readFileSync(path.join(good, 'transcript.jsonl')));
    const pem = readFileSync(path.join(out, 'public-key.pem'), 'utf8');
    const spki = createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64');
    expect(spki).toBe(report.keys[0]?.spki);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain(report.keys[0]?.fingerprint);
    expect(html).toContain(report.keys[0]?.fingerprintWords.join(' '));
    expect(html).toContain('VALID');
    expect(html).toContain(transcriptKey);
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:/i);
    for (const who of ['Ada Admin', 'Wendy', 'Carol']) expect(html).toContain(`<td>${who}</td>`);
    expect((await verifyTranscript(out, { trustedKeys: [transcriptKey] })).valid).toBe(true);
    await expect(writeExports(good, { outDir: out })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });

  it('reads non-ASCII entries byte-exactly, and names an entry holding invalid UTF-8', async () => {
    const file = path.join(tmp.dir, 'utf8', 'transcript.jsonl');
    const j = await Journal.create(file, { ceremonyId: 'c-utf8' });
    for (const name of ['Zoë', 'Łukasz', '山田', 'plain']) await j.append({ kind: 'step.note', step: '-', actor: { role: 'witness', name }, data: { emoji: '\u{1F510}' } });
    const leaves = j.leafHashes().map((l) => Buffer.from(l).toString('hex'));
    await j.close();
    const buf = readFileSync(file);
    const scanned = scanTranscript(buf, undefined);
    expect(scanned.failure).toBeUndefined();
    expect(scanned.entries.map((e) => e.actor.name)).toEqual(['Zoë', 'Łukasz', '山田', 'plain']);
    expect(scanned.leaves.map((l) => Buffer.from(l).toString('hex'))).toEqual(leaves);
    const bad = Buffer.from(buf);
    bad[buf.indexOf('plain') + 1] = 0xff;
    expect(scanTranscript(bad, undefined).failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 3 });
    const d = copy('utf8bad');
    const lines5 = readFileSync(path.join(d, 'transcript.jsonl'));
    let at = 0;
    for (let k = 0; k < 5; k++) at = lines5.indexOf(0x0a, at) + 1;
    lines5[at + 3] = 0xc3;
    writeFileSync(path.join(d, 'transcript.jsonl'), lines5);
    expect((await verifyTranscript(d)).failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 5 });
  });
});
