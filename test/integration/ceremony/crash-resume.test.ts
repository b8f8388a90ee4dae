/**
 * Crash safety of the root-keygen ceremony: the CLI runner is SIGKILLed at each step boundary and
 * run again on the same folder. The restart resumes, nothing is done twice (one key on the token,
 * one result per step) and the transcript verifies. A kill between a token operation and its
 * journaled result is reconciled by looking the key up by CKA_ID, never by generating again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { loadPolicyFile, loadScriptFile } from '../../../electron/core/ceremony/load';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { drive, runHeadless } from '../../../electron/core/ceremony/headless';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { createTokenClient } from '../../../electron/core/token/client';
import type { TokenApi } from '../../../electron/core/token/types';
import { KeyriteError } from '../../../electron/core/util/errors';
import { makeToken, tempDir } from '../../helpers/softhsm';
import { captureIo, pkcs11Objects, privateKeyObjects, ROOT, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-ceremony-crash-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const STEPS = loadScriptFile(SCRIPT).script.steps.map((s) => s.id);

function countKinds(file: string): { starts: number; done: number } {
  if (!existsSync(file)) return { starts: 0, done: 0 };
  const lines = readFileSync(file, 'utf8').split('\n');
  return { starts: lines.filter((l) => l.includes('"kind":"ceremony.start"')).length, done: lines.filter((l) => l.includes('"kind":"step.done"')).length };
}

function runCli(out: string, killAfterDone?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), 'ceremony', 'run', SCRIPT, '--rehearsal', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    let timer: NodeJS.Timeout | undefined;
    if (killAfterDone !== undefined) {
      timer = setInterval(() => {
        const c = countKinds(path.join(out, 'transcript.jsonl'));
        const reached = killAfterDone === 0 ? c.starts > 0 && existsSync(path.join(out, 'checkpoint.note')) : c.done >= killAfterDone;
        if (reached) { child.kill('SIGKILL'); clearInterval(timer); }
      }, 2);
    }
    child.on('exit', (code, signal) => { if (timer) clearInterval(timer); resolve({ code, signal, output }); });
  });
}

async function expectCompleteOnce(out: string) {
  const report = await verifyTranscript(out);
  expect(report.failure).toBeUndefined();
  expect(report.steps.completed).toEqual(STEPS);
  const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
  for (const step of STEPS) {
    const results = entries.filter((e) => e.step === step && e.kind === 'step.result' && (e.data as { opId?: string }).opId === undefined && (e.data as { outcome: string }).outcome === 'ok');
    expect(results, step).toHaveLength(1);
    expect(entries.filter((e) => e.step === step && e.kind === 'step.done'), step).toHaveLength(1);
  }
  expect(entries.filter((e) => e.kind === 'key.generated')).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'ceremony.sealed')).toHaveLength(1);
  const generations = entries.filter((e) => e.kind === 'step.intent' && (e.data as { operation: string }).operation === 'generateKeyPair');
  const okResults = entries.filter((e) => e.kind === 'step.result' && generations.some((g) => (g.data as { opId: string }).opId === (e.data as { opId?: string }).opId) && (e.data as { outcome: string }).outcome === 'ok');
  expect(okResults).toHaveLength(1);
  const objects = pkcs11Objects(path.join(out, 'token/softhsm2.conf'), 'keyrite-rehearsal');
  // The root key, and the transcript key handed over to the token at login: each exactly once.
  const privates = privateKeyObjects(objects);
  const ceremonyId = (entries[0]?.data as { script: { id: string } }).script.id;
  expect(privates.transcript).toHaveLength(1);
  expect(privates.transcript[0]).toContain(`keyrite-transcript-${ceremonyId}`);
  expect(privates.others).toHaveLength(1);
  const handovers = entries.filter((e) => e.kind === 'transcript.key-handover');
  expect(handovers).toHaveLength(1);
  const transcriptGenerations = entries.filter((e) => e.kind === 'step.intent' && (e.data as { operation: string }).operation === 'generateTranscriptKeyPair');
  expect(transcriptGenerations).toHaveLength(1);
  expect(existsSync(path.join(out, 'transcript-key.secret'))).toBe(false);
  return entries;
}

describe('root-keygen killed at each step boundary', () => {
  for (let boundary = 0; boundary < STEPS.length; boundary++) {
    const label = boundary === 0 ? 'after the ceremony starts' : `after step "${STEPS[boundary - 1]}"`;
    it(`resumes ${label} without doing anything twice`, async () => {
      const out = path.join(tmp.dir, `kill-${boundary}`);
      const first = await runCli(out, boundary);
      expect(first.signal, first.output).toBe('SIGKILL');
      const second = await runCli(out);
      expect(second.code, second.output).toBe(0);
      await expectCompleteOnce(out);
    }, 120_000);
  }
});

describe('an interrupted key generation', () => {
  const cases = [
    { what: 'of the root key', skip: 'keyrite-transcript-', step: 'generate', dir: 'reconcile' },
    { what: 'of the transcript key at login (the handover)', skip: '\u0000', step: 'login', dir: 'reconcile-transcript' },
  ];
  for (const c of cases) it(`${c.what} is reconciled by CKA_ID on the token, not generated again`, async () => {
    // Labels starting with this pass through; the other generation "crashes".
    const crashOn = c.skip;
    const out = path.join(tmp.dir, c.dir);
    const token = await makeToken(path.join(out, 'token'), 'keyrite-rehearsal');
    const clients: { close: () => Promise<void> }[] = [];
    let generated = false;
    const loaded = loadScriptFile(SCRIPT);
    const run1 = await openCeremonyRun({
      script: loaded, policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokenEnv: token.env, modulePath: token.modulePath,
      tokens: async ({ modulePath, env }) => {
        const client = createTokenClient({ modulePath, env });
        clients.push(client);
        // The key is made on the token, then the process "dies" before the result is journaled.
        const crashing: TokenApi = { ...client, generateKeyPair: async (...a) => {
          const made = await client.generateKeyPair(...a);
          if (a[1].label.startsWith(crashOn)) return made;
          generated = true;
          return new Promise(() => undefined);
        } };
        return crashing;
      },
    });
    const inputs = loadInputsFile(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml'));
    void drive(run1, inputs, { io: captureIo() });
    while (!generated) await new Promise((r) => setTimeout(r, 20));
    for (const cl of clients) await cl.close();

    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo() });
    const entries = await expectCompleteOnce(out);
    const reconciled = entries.find((e) => e.kind === 'step.result' && (e.data as { reconciled?: boolean }).reconciled === true);
    expect(reconciled?.step).toBe(c.step);
    expect((reconciled?.data as { outcome: string }).outcome).toBe('ok');
  }, 120_000);

  it('reported as failed while the key was made is found by CKA_ID and used, with a deviation', async () => {
    const out = path.join(tmp.dir, 'ambiguous');
    const token = await makeToken(path.join(out, 'token'), 'keyrite-rehearsal');
    const clients: { close: () => Promise<void> }[] = [];
    const run1 = await openCeremonyRun({
      script: loadScriptFile(SCRIPT), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokenEnv: token.env, modulePath: token.modulePath,
      tokens: async ({ modulePath, env }) => {
        const client = createTokenClient({ modulePath, env });
        clients.push(client);
        return { ...client, generateKeyPair: async (...a) => {
          const made = await client.generateKeyPair(...a);
          if (a[1].label.startsWith('keyrite-transcript-')) return made;
          throw new KeyriteError('TOKEN_HOST_STOPPED', 'The token host stopped (test).');
        } } as TokenApi;
      },
    });
    await expect(drive(run1, loadInputsFile(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml')), { io: captureIo() })).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });
    await run1.close();
    for (const c of clients) await c.close();

    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo() });
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    expect(report.deviations.some((d) => /reported as failed, but the key is on the token/.test(d.why))).toBe(true);
    expect(privateKeyObjects(pkcs11Objects(path.join(out, 'token/softhsm2.conf'), 'keyrite-rehearsal')).others).toHaveLength(1);
  }, 120_000);
});
