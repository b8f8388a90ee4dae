/**
 * The promise: after a ceremony the root key cannot leave the HSM. Checked from outside Keyrite:
 * pkcs11-tool -O lists the key without "extractable", and a small pkcs11js client of its own
 * (wrap-attempt.ts) logs in with the user PIN and fails to C_WrapKey it under a fresh session AES key.
 * Also: a kill between the wrap and the lock resumes to a locked key with one wrap and one lock;
 * a token that refuses the lock stops the ceremony with KEY_LOCK_REFUSED and nothing seals; and a
 * final proof that breaks the policy stops it with KEY_PROOF_POLICY.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { createTokenClient } from '../../../electron/core/token/client';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, pkcs11Objects, ROOT, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-ceremony-lock-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const ROOT_LABEL = 'example-root-2026';

function keyrite(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const entriesOf = (dir: string): JournalEntry[] => readJournalEntries(path.join(dir, 'transcript.jsonl'));
const rootKeyId = (dir: string): string => String((entriesOf(dir).find((e) => e.kind === 'key.generated' || e.kind === 'key.prior')?.data as { id: string }).id);

/** The Access line pkcs11-tool prints for the root private key, as a list of flags. */
function accessFlags(dir: string, tokenLabel: string): string[] {
  const block = pkcs11Objects(path.join(dir, 'token/softhsm2.conf'), tokenLabel).split(/\n(?=\S)/).find((b) => b.startsWith('Private Key Object') && b.includes(`label:      ${ROOT_LABEL}`));
  expect(block, 'root private key listed by pkcs11-tool').toBeDefined();
  return (/Access:\s+(.*)/.exec(block!)?.[1] ?? '').split(',').map((s) => s.trim());
}

function wrapAttempt(dir: string, tokenLabel: string, id: string): { wrap: string; setExtractable: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'wrap-attempt.ts'), tokenLabel, id, '123456'], {
    encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: path.join(dir, 'token/softhsm2.conf') },
  });
  return JSON.parse(out) as { wrap: string; setExtractable: string };
}

function lockOps(entries: JournalEntry[]) {
  const intents = entries.filter((e) => e.kind === 'step.intent' && (e.data as { operation?: string }).operation === 'lockKey');
  const results = entries.filter((e) => e.kind === 'step.result' && intents.some((i) => (i.data as { opId: string }).opId === (e.data as { opId?: string }).opId));
  return { intents, ok: results.filter((r) => (r.data as { outcome: string }).outcome === 'ok'), results };
}

function expectLocked(dir: string, tokenLabel: string) {
  const flags = accessFlags(dir, tokenLabel);
  expect(flags).toContain('sensitive');
  expect(flags).not.toContain('extractable');
  const attempt = wrapAttempt(dir, tokenLabel, rootKeyId(dir));
  expect(attempt.wrap).toBe('CKR_KEY_UNEXTRACTABLE');
  // Refused either way: READ_ONLY (FALSE never goes back to TRUE), or SoftHSM2's vendor code for a key made unmodifiable.
  expect(attempt.setExtractable).toMatch(/^CKR_(ATTRIBUTE_READ_ONLY|VENDOR_DEFINED|ACTION_PROHIBITED)$/);
}

describe('root-keygen and recovery rehearsals leave the key locked in the token', () => {
  const D = path.join(tmp.dir, 'D');
  beforeAll(async () => {
    const run = await keyrite('ceremony', 'run', SCRIPT, '--rehearsal', '--out', D);
    expect(run.code, run.output).toBe(0);
  }, 180_000);

  it('root-keygen: not extractable (pkcs11-tool), C_WrapKey with the user PIN fails, the final proof is journaled', async () => {
    expectLocked(D, 'keyrite-rehearsal');
    const entries = entriesOf(D);
    const locked = entries.filter((e) => e.kind === 'key.locked');
    expect(locked).toHaveLength(1);
    expect(locked[0]!.step).toBe('backup');
    expect((locked[0]!.data as { proof: Record<string, unknown> }).proof).toMatchObject({ extractable: false, sensitive: true, local: true, copyable: false });
    // The lock comes after the last share check and before the seal.
    const lastVerified = entries.findLast((e) => e.kind === 'share.verified')!.seq;
    expect(lastVerified).toBeLessThan(lockOps(entries).intents[0]!.seq);
    expect(lockOps(entries).intents).toHaveLength(1);
    expect(entries.findIndex((e) => e.kind === 'ceremony.sealed')).toBeGreaterThan(locked[0]!.seq);
    // The proof step said what was true then: extractable, for the wrap.
    const proofStep = entries.find((e) => e.kind === 'step.result' && e.step === 'proof');
    expect((proofStep?.data as { proof: { extractable: boolean } }).proof.extractable).toBe(true);
    expect((await verifyTranscript(D)).valid).toBe(true);
    // The auditor's report shows the final proof beside the one read at generation.
    const verify = await keyrite('verify', D);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toMatch(/proven attributes \(at generation\): .*\bextractable=true/);
    expect(verify.output).toMatch(new RegExp(`locked in the token \\(entry ${locked[0]!.seq}\\): .*\\bextractable=false`));
  });

  it('recovery: the restored key is locked the same way', async () => {
    const R = path.join(tmp.dir, 'R');
    const run = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'recovery.yaml'), '--rehearsal', '--out', R, '--from', D);
    expect(run.code, run.output).toBe(0);
    expectLocked(R, 'keyrite-recovery');
    const locked = entriesOf(R).filter((e) => e.kind === 'key.locked');
    expect(locked).toHaveLength(1);
    expect((locked[0]!.data as { proof: Record<string, unknown> }).proof).toMatchObject({ extractable: false, copyable: false, modifiable: false, local: false });
  }, 180_000);
});

describe('a key with no backup', () => {
  it('is generated never extractable and final at birth, locked at its generation step, and its proof meets a policy asking for all of it', async () => {
    const out = path.join(tmp.dir, 'no-backup');
    const script = path.join(tmp.dir, 'root-keygen-no-backup.yaml');
    const text = readFileSync(SCRIPT, 'utf8')
      .replace(/\nbackup:\n(?: {2}.*\n)+/, '\n')
      .replace(/ {2}- id: backup\n(?: {4}.*\n)+/, '');
    expect(text).not.toMatch(/action: backup|^backup:/m);
    writeFileSync(script, text);
    const policyFile = path.join(tmp.dir, 'no-backup-policy.yaml');
    writeFileSync(policyFile, `version: 1
name: no-backup
classes:
  root:
    algorithms: [ec-p384]
    minK: 3
    minN: 5
    minWitnesses: 2
    requiredAttributes: [local, sensitive, alwaysSensitive, neverExtractable, token, private, notExtractable, notCopyable, notModifiable]
    rotationPeriodDays: 3650
    airGapOverride: true
    backupRequired: false
`);
    await runHeadless({ scriptFile: script, outDir: out, rehearsal: true, io: captureIo(), policyFile, inputsFile: path.join(TEMPLATES, 'root-keygen.rehearsal.yaml') });
    const entries = entriesOf(out);
    const generated = entries.find((e) => e.kind === 'key.generated')!.data as { proof: Record<string, unknown> };
    expect(generated.proof).toMatchObject({ extractable: false, neverExtractable: true, copyable: false, modifiable: false });
    const locked = entries.filter((e) => e.kind === 'key.locked');
    expect(locked.map((e) => e.step)).toEqual(['generate']);
    expect(entries.some((e) => e.kind === 'ceremony.sealed')).toBe(true);
    expect(accessFlags(out, 'keyrite-rehearsal')).toContain('never extractable');
    expect(wrapAttempt(out, 'keyrite-rehearsal', rootKeyId(out)).wrap).toBe('CKR_KEY_UNEXTRACTABLE');
  }, 180_000);
});

describe('a kill between the wrap and the lock', () => {
  const killAt = (out: string, mode: 'before' | 'after'): Promise<void> => new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'lock-child.ts'), [SCRIPT, out, mode], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d) => { stderr += String(d); });
    child.on('message', () => child.kill('SIGKILL'));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended ${code}: ${stderr}`))));
  });

  for (const mode of ['before', 'after'] as const) {
    it(`${mode === 'before' ? 'with the lock announced but not done' : 'with the token locked but its result not journaled'}: the same command again ends locked, with one wrap and one lock`, async () => {
      const out = path.join(tmp.dir, `kill-${mode}`);
      await killAt(out, mode);
      expect(existsSync(path.join(out, 'report.html'))).toBe(false);
      if (mode === 'before') {
        // Not yet locked: the same outside attempt does take the key out, so the check below can fail.
        expect(wrapAttempt(out, 'keyrite-rehearsal', rootKeyId(out)).wrap).toBe('ok');
      }
      const again = await keyrite('ceremony', 'run', SCRIPT, '--rehearsal', '--out', out);
      expect(again.code, again.output).toBe(0);
      expectLocked(out, 'keyrite-rehearsal');
      const entries = entriesOf(out);
      expect(entries.filter((e) => e.kind === 'backup.created')).toHaveLength(1);
      expect(entries.filter((e) => e.kind === 'key.locked')).toHaveLength(1);
      const ops = lockOps(entries);
      expect(ops.ok).toHaveLength(1);
      // The interrupted lock is settled by reading the key's attributes, not by wrapping again.
      const reconciled = ops.results.find((r) => (r.data as { reconciled?: boolean }).reconciled === true);
      expect((reconciled?.data as { outcome: string }).outcome).toBe(mode === 'after' ? 'ok' : 'failed');
      expect(ops.intents).toHaveLength(mode === 'after' ? 1 : 2);
      expect((await verifyTranscript(out)).valid).toBe(true);
    }, 180_000);
  }
});

describe('a lock that cannot be done stops the ceremony before the seal', () => {
  it('a token refusing C_SetAttributeValue: KEY_LOCK_REFUSED, and the ceremony does not seal', async () => {
    const out = path.join(tmp.dir, 'refused');
    const err = await runHeadless({
      scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(),
      tokenFactory: async (o) => createTokenClient({ ...o, faults: { throws: [{ fn: 'C_SetAttributeValue', ckr: 'CKR_ATTRIBUTE_READ_ONLY', times: 1000 }] } }),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_LOCK_REFUSED', details: { ckr: 'CKR_ATTRIBUTE_READ_ONLY' } });
    expect((err as { action: string }).action).toMatch(/Do not seal/);
    const entries = entriesOf(out);
    expect(entries.some((e) => e.kind === 'ceremony.sealed')).toBe(false);
    expect(entries.some((e) => e.kind === 'key.locked')).toBe(false);
    expect(lockOps(entries).results.map((r) => (r.data as { outcome: string }).outcome)).toEqual(['failed']);
    expect(existsSync(path.join(out, 'report.html'))).toBe(false);
    expect(accessFlags(out, 'keyrite-rehearsal')).toContain('extractable');
  }, 180_000);

  it('a token that reports a lock it did not do: caught when the key is read at the seal, which refuses (KEY_NOT_LOCKED)', async () => {
    const out = path.join(tmp.dir, 'lying');
    // lockKey does nothing and the read right after it claims CKA_EXTRACTABLE FALSE; every later read is true.
    const err = await runHeadless({
      scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(),
      tokenFactory: async (o) => {
        const api = createTokenClient(o);
        let lie = false;
        return {
          ...api,
          lockKey: async () => { lie = true; return { steps: [], extractable: false, copyable: false, modifiable: false }; },
          readKeyProof: async (...a) => {
            const real = await api.readKeyProof(...a);
            if (!lie) return real;
            lie = false;
            return { ...real, extractable: false };
          },
        };
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_NOT_LOCKED' });
    const entries = entriesOf(out);
    expect(entries.some((e) => e.kind === 'key.locked')).toBe(true);
    expect(entries.some((e) => e.kind === 'ceremony.sealed')).toBe(false);
    expect(accessFlags(out, 'keyrite-rehearsal')).toContain('extractable');
  }, 180_000);

  it('a final proof that breaks the policy (CKA_MODIFIABLE, which SoftHSM2 will not clear): KEY_PROOF_POLICY, no seal', async () => {
    const out = path.join(tmp.dir, 'policy');
    const policyFile = path.join(tmp.dir, 'strict-policy.yaml');
    writeFileSync(policyFile, `version: 1
name: strict
classes:
  root:
    algorithms: [ec-p384]
    minK: 3
    minN: 5
    minWitnesses: 2
    requiredAttributes: [local, sensitive, alwaysSensitive, token, private, notExtractable, notCopyable, notModifiable]
    rotationPeriodDays: 3650
    airGapOverride: true
`);
    const err = await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io: captureIo(), policyFile }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_PROOF_POLICY', details: { failing: ['notModifiable'] } });
    expect((err as Error).message).toMatch(/CKA_MODIFIABLE is TRUE/);
    const entries = entriesOf(out);
    const locked = entries.filter((e) => e.kind === 'key.locked');
    expect(locked).toHaveLength(1);
    expect((locked[0]!.data as { failing: { rule: string }[] }).failing.map((f) => f.rule)).toEqual(['notModifiable']);
    expect(entries.some((e) => e.kind === 'ceremony.sealed')).toBe(false);
  }, 180_000);
});
