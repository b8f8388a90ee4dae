/**
 * The seal: the per-ceremony transcript key is destroyed once the final checkpoint is signed, so
 * the ceremony folder (what auditors receive and archive) cannot be used to sign a forged
 * checkpoint; a resumed run of a sealed ceremony neither needs nor recreates it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { TRANSCRIPT_KEY_FILE } from '../../../electron/core/ceremony/transcript-key-file';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES, transcriptSecretsIn } from './helpers';
import { drive } from '../../../electron/core/ceremony/headless';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { loadPolicyFile, loadScriptFile } from '../../../electron/core/ceremony/load';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import { witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import type { TokenApi } from '../../../electron/core/token/types';
import { KeyriteError } from '../../../electron/core/util/errors';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note-keys';

const tmp = tempDir('keyrite-ceremony-seal-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const INPUTS = path.join(TEMPLATES, 'root-keygen.rehearsal.yaml');

describe('the transcript key at the seal', () => {
  const out = path.join(tmp.dir, 'root');
  beforeAll(async () => {
    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
  }, 120_000);

  it('is destroyed, and the seal entry covered by the final signed checkpoint says so', async () => {
    expect(transcriptSecretsIn(out)).toEqual([]);
    const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
    const sealed = entries[entries.length - 1]!;
    expect(sealed.kind).toBe('ceremony.sealed');
    // SoftHSM2 lists Ed25519: the key file was destroyed at the handover (login), the token key signs to the end.
    expect((sealed.data as { transcriptKey: { token: string; disposal: string } }).transcriptKey).toMatchObject({ token: expect.stringMatching(/handed over at login/), disposal: expect.stringMatching(/key file was destroyed at the handover/) });
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    const last = report.checkpoints[report.checkpoints.length - 1]!;
    expect(last.size).toBe(entries.length);
    const inForce = report.transcriptKeys?.find((k) => k.inForce);
    expect(inForce?.source).toBe('token');
    expect(last.signedBy).toContain(inForce!.key.split('+').slice(0, 2).join('+'));
  });

  it('is not recreated by a resumed run of the sealed ceremony, which adds nothing', async () => {
    const before = readFileSync(path.join(out, 'transcript.jsonl'));
    const note = readFileSync(path.join(out, 'checkpoint.note'), 'utf8');
    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    expect(existsSync(path.join(out, TRANSCRIPT_KEY_FILE))).toBe(false);
    expect(transcriptSecretsIn(out)).toEqual([]);
    expect(readFileSync(path.join(out, 'transcript.jsonl')).equals(before)).toBe(true);
    expect(readFileSync(path.join(out, 'checkpoint.note'), 'utf8')).toBe(note);
    expect((await verifyTranscript(out)).valid).toBe(true);
  }, 120_000);

  it('left behind by a crash after the final checkpoint is destroyed when the run resumes', async () => {
    // What a crash between the final checkpoint and the deletion leaves: the key file still there.
    writeFileSync(path.join(out, TRANSCRIPT_KEY_FILE), 'PRIVATE+KEY+keyrite.transcript/left-by-a-crash\n', { mode: 0o600 });
    const before = readFileSync(path.join(out, 'transcript.jsonl'));
    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    expect(existsSync(path.join(out, TRANSCRIPT_KEY_FILE))).toBe(false);
    expect(transcriptSecretsIn(out)).toEqual([]);
    expect(readFileSync(path.join(out, 'transcript.jsonl')).equals(before)).toBe(true);
    expect((await verifyTranscript(out)).valid).toBe(true);
  }, 120_000);
});

describe('a token lost while the final checkpoint is signed', () => {
  it('asks for the PIN on resume, and the final checkpoint carries the token transcript key and proves possession', async () => {
    const out = path.join(tmp.dir, 'lost-at-seal');
    const token = await createRehearsalToken({ dir: path.join(out, 'token'), label: 'keyrite-rehearsal', pin: '123456' });
    const sealed = () => existsSync(path.join(out, 'transcript.jsonl')) && readFileSync(path.join(out, 'transcript.jsonl'), 'utf8').includes('"kind":"ceremony.sealed"');
    const clients: { close?: () => Promise<void> }[] = [];
    const loaded = loadScriptFile(SCRIPT);
    const run = await openCeremonyRun({
      script: loaded, policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokenEnv: token.env,
      tokens: async (o) => {
        const client = await defaultTokenFactory(o);
        clients.push(client);
        // The token host dies once the ceremony is sealed, before the key signs the final checkpoint.
        return { ...client, sign: async (...a: Parameters<TokenApi['sign']>) => { if (sealed()) throw new KeyriteError('TOKEN_HOST_STOPPED', 'The token host stopped (test).'); return client.sign(...a); } } as TokenApi;
      },
    });
    try {
      await expect(drive(run, loadInputsFile(INPUTS), { io: captureIo() })).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });
      expect(run.view().need.kind).toBe('pin');
    } finally {
      await run.close();
      for (const c of clients) await c.close?.();
    }
    expect(sealed()).toBe(true);
    // The key file went at the handover; the transcript key on the token is what waits for the PIN.
    expect(existsSync(path.join(out, TRANSCRIPT_KEY_FILE))).toBe(false);
    const before = readFileSync(path.join(out, 'transcript.jsonl'));

    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    expect(readFileSync(path.join(out, 'transcript.jsonl')).equals(before)).toBe(true);
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    expect(report.signers.find((s) => s.role === 'root')?.checkpointsSigned).toBeGreaterThan(0);
    expect(readFileSync(path.join(out, 'checkpoint.note'), 'utf8')).toContain('\u2014 keyrite.root/example-root-2026 ');
    const inForce = report.transcriptKeys?.find((k) => k.inForce);
    expect(report.checkpoints[report.checkpoints.length - 1]!.signedBy).toContain(inForce!.key.split('+').slice(0, 2).join('+'));
    expect(transcriptSecretsIn(out)).toEqual([]);
  }, 120_000);
});

describe('witnesses cosign the final checkpoint with their own keys', () => {
  const dir = path.join(tmp.dir, 'witness');
  const keys = { wendy: generateNoteKey(witnessKeyName('Wendy Witness')), walter: generateNoteKey(witnessKeyName('Walter Witness')), mallory: generateNoteKey(witnessKeyName('Wendy Witness')) };
  const keyFile = (n: keyof typeof keys) => path.join(dir, `${n}.key`);
  const script = path.join(dir, 'root-keygen-witnessed.yaml');
  /** The template's rehearsal inputs without the throwaway keys, plus the given witnessKeys (paths). */
  const inputs = (name: string, witnessKeys: Record<string, string>) => {
    const file = path.join(dir, `${name}.inputs.yaml`);
    const base = readFileSync(INPUTS, 'utf8').replace(/^rehearsalWitnessKeys:.*$/m, '');
    writeFileSync(file, base + 'witnessKeys:\n' + Object.entries(witnessKeys).map(([w, f]) => `  ${w}: ${path.basename(f)}\n`).join(''));
    return file;
  };
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    for (const n of Object.keys(keys) as (keyof typeof keys)[]) writeFileSync(keyFile(n), keys[n].signerKey + '\n', { mode: 0o600 });
    writeFileSync(script, readFileSync(SCRIPT, 'utf8')
      .replace('{ name: Wendy Witness, role: witness }', `{ name: Wendy Witness, role: witness, key: "${keys.wendy.verifierKey}" }`)
      .replace('{ name: Walter Witness, role: witness }', `{ name: Walter Witness, role: witness, key: "${keys.walter.verifierKey}" }`));
  });

  it('the template rehearsal: two throwaway witness keys cosign, and keyrite verify lists the cosignatures', async () => {
    const out = path.join(tmp.dir, 'rehearsal-witnesses');
    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    const witnessSigners = report.signers.filter((s) => s.role === 'witness');
    expect(witnessSigners.map((s) => s.name).sort()).toEqual(['witness/Walter-Witness', 'witness/Wendy-Witness']);
    expect(witnessSigners.every((s) => s.checkpointsSigned === 1)).toBe(true);
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
    // The keys are recorded in the copy of the script the run used, whose hash the transcript holds.
    const copy = readFileSync(path.join(out, 'rehearsal-script.yaml'), 'utf8');
    expect(copy).toMatch(/^# REHEARSAL COPY/);
    for (const s of witnessSigners) expect(copy).toContain(s.key);
    const cli = execFileSync(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), 'verify', out], { encoding: 'utf8' });
    expect(cli).toMatch(/witness\s+witness\/Wendy-Witness\+[0-9a-f]{8}\s+signed 1 checkpoint/);
    expect(cli).toMatch(/witness\s+witness\/Walter-Witness\+[0-9a-f]{8}\s+signed 1 checkpoint/);
    expect(cli).toContain('Wendy Witness: 6 attestation(s), cosigned 1 checkpoint(s)');
    // The auditor is told which transcript key to compare with the paper report: the token's.
    const inForce = report.transcriptKeys?.find((t) => t.inForce);
    expect(inForce?.source).toBe('token');
    expect(cli).toContain(`Transcript key IN FORCE (compare with the signed paper report): on the token, from entry ${inForce?.fromSeq}\n             ${inForce?.key}`);
    expect(cli).toMatch(/Transcript key retired: per-ceremony key file, destroyed, entries 0 to \d+ \(handed over\)/);
    expect(transcriptSecretsIn(out)).toEqual([]);
  }, 120_000);

  it('a wrong key file named in the inputs is refused, naming the witness, before anything is done', async () => {
    const out = path.join(tmp.dir, 'wrong-key-early');
    const file = inputs('wrong', { 'Wendy Witness': keyFile('mallory'), 'Walter Witness': keyFile('walter') });
    await expect(runHeadless({ scriptFile: script, outDir: out, rehearsal: true, io: captureIo(), inputsFile: file }))
      .rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' }, message: expect.stringContaining('Wendy Witness') });
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
  }, 120_000);

  it('a wrong key at the seal is refused and nothing is cosigned; resumed with the right key, the ceremony verifies', async () => {
    const out = path.join(tmp.dir, 'wrong-key-at-seal');
    const token = await createRehearsalToken({ dir: path.join(out, 'token'), label: 'keyrite-rehearsal', pin: '123456' });
    const run = await openCeremonyRun({
      script: loadScriptFile(script), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokens: defaultTokenFactory, tokenEnv: token.env,
      witnessCosigner: async (w) => keyFileSigner(w.name === 'Walter Witness' ? keys.walter.signerKey : keys.mallory.signerKey),
    });
    try {
      await expect(drive(run, loadInputsFile(INPUTS), { io: captureIo() }))
        .rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' } });
      // The refusal leaves Wendy's turn in place; no exports before the last cosignature.
      expect(run.view().need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', cosigned: [], pending: ['Wendy Witness', 'Walter Witness'] });
      expect(existsSync(path.join(out, 'report.html'))).toBe(false);
    } finally {
      await run.close();
    }
    const refused = await verifyTranscript(out);
    expect(refused.failure?.code).toBe('WITNESS_COSIGNATURE_MISSING');
    expect(readFileSync(path.join(out, 'checkpoint.note'), 'utf8')).not.toContain('witness/Wendy-Witness');
    expect(transcriptSecretsIn(out)).toEqual([]);

    // Reopened from the same folder (as the app and the CLI do), the run asks for the cosignatures again.
    const reopened = await openCeremonyRun({
      script: loadScriptFile(script), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokens: defaultTokenFactory, tokenEnv: token.env,
      witnessCosigner: async () => { throw new Error('not asked before the witness says go'); },
    });
    try {
      expect(reopened.view().need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', keyName: 'witness/Wendy-Witness' });
      expect(reopened.view().error).toBeNull();
    } finally {
      await reopened.close();
    }
    const file = inputs('right', { 'Wendy Witness': keyFile('wendy'), 'Walter Witness': keyFile('walter') });
    await runHeadless({ scriptFile: script, outDir: out, rehearsal: true, io: captureIo(), inputsFile: file });
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
  }, 120_000);

  it('a script with witness keys is refused by a run that cannot ask for cosignatures (a caller with no cosigner)', async () => {
    const out = path.join(tmp.dir, 'no-cosigner');
    await expect(openCeremonyRun({ script: loadScriptFile(script), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokens: defaultTokenFactory }))
      .rejects.toMatchObject({ code: 'WITNESS_COSIGNER_MISSING' });
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
  });
});
