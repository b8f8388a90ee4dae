/**
 * The policy and order rules a script must keep before anything runs, each checked through
 * `keyrite ceremony check` (the command a security officer runs before the day) and through the
 * runner (which checks again and writes nothing when refused). Each case is one small change to a
 * template that passes, so a test fails if its rule is skipped, and the unchanged template shows
 * the rule is not simply "refuse everything".
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/commands/ceremony';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { TokenApi } from '../../../electron/core/token/types';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { SourceIssue } from '../../../electron/core/ceremony/yaml-source';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-policy-promises-');
afterAll(() => tmp.cleanup());
const template = (name: string) => readFileSync(path.join(ROOT, 'resources/ceremonies', `${name}.yaml`), 'utf8');
const defaultPolicy = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used'); } }) as TokenApi;

function io() {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  return { stdout: w, stderr: w, stdin: Readable.from([]), text: () => out };
}

let n = 0;
function file(text: string): string {
  const f = path.join(tmp.dir, `s${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** Runs `keyrite ceremony check`; returns the refusal's code and issues, or the exit code. */
async function check(script: string, policy?: string): Promise<{ exit?: number; code?: string; issues: SourceIssue[] }> {
  const args = ['check', file(script), ...(policy ? ['--policy', file(policy)] : [])];
  try {
    return { exit: await command.run(args, io()), issues: [] };
  } catch (e) {
    if (!(e instanceof KeyriteError)) throw e;
    return { code: e.code, issues: (e.details?.issues ?? []) as SourceIssue[] };
  }
}

const stepBlock = (text: string, id: string) => {
  const m = new RegExp(`  - id: ${id}\\n(?: {4}.*\\n)+`).exec(text);
  if (!m) throw new Error(`no step ${id}`);
  return m[0];
};

describe('policy rules (keyrite ceremony check)', () => {
  const rootKeygen = template('root-keygen');

  it('passes the unchanged root-keygen and rotate templates', async () => {
    expect((await check(rootKeygen)).exit).toBe(0);
    expect((await check(template('rotate'))).exit).toBe(0);
  });

  it('minN: a backup with fewer shares than the class minimum is refused at backup.n', async () => {
    const text = rootKeygen.replace('  n: 5', '  n: 4').replace('    - { name: Grace, delivery: paper }\n', '');
    expect(parseScript(text).script.backup?.n).toBe(4);
    const r = await check(text);
    expect(r.code).toBe('SCRIPT_POLICY_VIOLATION');
    expect(r.issues).toEqual([expect.objectContaining({ path: 'backup.n', code: 'POLICY_QUORUM' })]);
    // The same script under a policy whose minimum is 4 is accepted: the rule compares, it does not guess.
    expect((await check(text, defaultPolicy.replace('minN: 5', 'minN: 4'))).exit).toBe(0);
  });

  it('a rotation\'s successor key must use an algorithm the class allows', async () => {
    const rotate = template('rotate');
    const text = rotate.replace(/(successor:\n {2}algorithm: )ec-p384/, '$1ed25519');
    expect(text).not.toBe(rotate);
    const r = await check(text);
    expect(r.code).toBe('SCRIPT_POLICY_VIOLATION');
    // The certificate profile rules also refuse an Ed25519 CA key; the policy's own rule is the one pinned here.
    expect(r.issues.filter((i: { code: string }) => i.code.startsWith('POLICY_'))).toEqual([expect.objectContaining({ path: 'successor.algorithm', code: 'POLICY_ALGORITHM' })]);
  });

  it('backupRequired: a key generated without a backup step is refused; allowed when the policy says so', async () => {
    const text = rootKeygen.replace(stepBlock(rootKeygen, 'backup'), '');
    expect(parseScript(text).script.steps.some((s) => s.action === 'backup')).toBe(false);
    const r = await check(text);
    expect(r.code).toBe('SCRIPT_POLICY_VIOLATION');
    expect(r.issues).toEqual([expect.objectContaining({ path: 'steps', code: 'POLICY_BACKUP' })]);
    const lenient = defaultPolicy.replace(/(root:[\s\S]*?backupRequired: )true/, '$1false');
    expect((await check(text, lenient)).exit).toBe(0);
  });

  it('step order: key generation before the login is refused with STEP_ORDER', async () => {
    const login = stepBlock(rootKeygen, 'login');
    const generate = stepBlock(rootKeygen, 'generate');
    const text = rootKeygen.replace(login + generate, generate + login);
    expect(text).not.toBe(rootKeygen);
    const r = await check(text);
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toEqual([expect.objectContaining({ code: 'STEP_ORDER', path: 'steps[2].action' })]);
  });

  it('seal last: a step after the seal is refused, even though every required step is in order', async () => {
    const text = `${rootKeygen.trimEnd()}\n  - id: after\n    instruction: One more thing.\n    action: confirm\n`;
    const r = await check(text);
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toEqual([expect.objectContaining({ code: 'STEP_ORDER', path: 'steps[9]' })]);
  });
});

describe('the runner checks the policy again', () => {
  it('refuses a rotation whose successor breaks the policy before writing anything', async () => {
    const text = template('rotate').replace(/(successor:\n {2}algorithm: )ec-p384/, '$1ed25519');
    const outDir = path.join(tmp.dir, 'rotate-run');
    await expect(openCeremonyRun({
      script: parseScript(text, 'rotate.yaml'), policy: parsePolicy(defaultPolicy).policy, policyText: defaultPolicy,
      outDir, tokens: noToken, rehearsal: true, airGapProbe: async () => [],
    })).rejects.toMatchObject({ code: 'SCRIPT_POLICY_VIOLATION' });
    expect(existsSync(path.join(outDir, 'transcript.jsonl'))).toBe(false);
  });
});
